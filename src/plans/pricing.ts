// What storage costs per GiB and month, to put a price on a scale-up (seed 000's cost estimate) and
// on what reclaim frees. Built-in list prices of the common block-storage classes (USD, a reference
// region, 2026; provisioned IOPS and throughput not included) are a starting point; a prices file
// (--prices, read by the CLI) replaces them with what the organisation pays.

import type { StorageClass } from '../model/types.ts';
import type { CostEstimate, CostLine } from './plan.ts';

export interface PriceTable {
  currency: string;
  source: string;
  /** Keys: a StorageClass name, "<provisioner>/<type>", or "<provisioner>". */
  perGiBMonth: Record<string, number>;
}

export const BUILT_IN_PRICES: PriceTable = {
  currency: 'USD',
  source: 'built-in list prices (us-east-1 / us-central1 / eastus / cn-hangzhou, 2026)',
  perGiBMonth: {
    'ebs.csi.aws.com/gp3': 0.08, 'ebs.csi.aws.com/gp2': 0.1, 'ebs.csi.aws.com/io1': 0.125, 'ebs.csi.aws.com/io2': 0.125,
    'ebs.csi.aws.com/st1': 0.045, 'ebs.csi.aws.com/sc1': 0.015, 'ebs.csi.aws.com': 0.08,
    'pd.csi.storage.gke.io/pd-standard': 0.04, 'pd.csi.storage.gke.io/pd-balanced': 0.1, 'pd.csi.storage.gke.io/pd-ssd': 0.17,
    'pd.csi.storage.gke.io/hyperdisk-balanced': 0.08, 'pd.csi.storage.gke.io': 0.04,
    'disk.csi.azure.com/Premium_LRS': 0.154, 'disk.csi.azure.com/StandardSSD_LRS': 0.075, 'disk.csi.azure.com/Standard_LRS': 0.045,
    'disk.csi.azure.com/PremiumV2_LRS': 0.12, 'disk.csi.azure.com': 0.075,
    'diskplugin.csi.alibabacloud.com/cloud_essd': 0.15, 'diskplugin.csi.alibabacloud.com/cloud_ssd': 0.14,
    'diskplugin.csi.alibabacloud.com/cloud_efficiency': 0.05, 'diskplugin.csi.alibabacloud.com': 0.15,
  },
};

const GIB = 2 ** 30;

/** Cents: prices and sums are shown to two decimals. */
function cents(n: number): number {
  return Math.round(n * 100) / 100;
}

/** One volume's line of an estimate: its size in GiB and, when its class has a price, its monthly cost. */
export function costLine(table: PriceTable, sc: StorageClass | undefined, what: string, bytes: number): CostLine {
  const gib = bytes / GIB;
  const price = pricePerGiBMonth(table, sc);
  return { what, gib, ...(price !== undefined ? { monthly: cents(gib * price) } : {}) };
}

export function estimate(table: PriceTable, lines: CostLine[]): CostEstimate {
  return { currency: table.currency, lines, monthly: cents(lines.reduce((sum, l) => sum + (l.monthly ?? 0), 0)), source: table.source };
}

export function totalGiB(cost: CostEstimate): number {
  return cents(cost.lines.reduce((sum, l) => sum + l.gib, 0));
}

export function pricePerGiBMonth(table: PriceTable, sc: StorageClass | undefined): number | undefined {
  if (!sc) return undefined;
  const type = sc.parameters?.type ?? sc.parameters?.skuName ?? sc.parameters?.skuname ?? sc.parameters?.storageaccounttype;
  return table.perGiBMonth[sc.metadata.name] ?? (type ? table.perGiBMonth[`${sc.provisioner}/${type}`] : undefined) ?? table.perGiBMonth[sc.provisioner];
}
