// What storage costs per GiB and month: to price a scale-up (seed 000's cost estimate), what reclaim
// frees, and what a cluster's storage costs (stsvol audit --cost). The built-in table holds list
// prices of the common block-storage classes and of their snapshots, in USD, each with where it was
// read and when; capacity only (provisioned IOPS and throughput, discounts and taxes not included).
// A prices file (--prices, read by the CLI) replaces it with what the organisation pays.

import type { StorageClass } from './types.ts';

export interface CostLine {
  what: string;
  gib: number;
  /** Per month, in `currency`; undefined when no price is known for its class. */
  monthly?: number;
}

export interface CostEstimate {
  currency: string;
  lines: CostLine[];
  /** Sum of the lines with a price. */
  monthly: number;
  /** Where the prices come from. */
  source: string;
}

export interface PriceTable {
  currency: string;
  /** Where the prices apply ("us-east-1, us-central1, eastus, cn-hangzhou"), said with every estimate. */
  region?: string;
  source: string;
  /** Keys: a StorageClass name, "<provisioner>/<type>", or "<provisioner>". */
  perGiBMonth: Record<string, number>;
  /** Snapshot storage, by the same keys (a snapshot is priced by its driver's key). */
  snapshotPerGiBMonth?: Record<string, number>;
  /** Where each provider's prices were read, and when: "<provisioner>" → "URL (as of YYYY-MM)". */
  references?: Record<string, string>;
}

export const BUILT_IN_PRICES: PriceTable = {
  currency: 'USD',
  region: 'AWS us-east-1, Google us-central1, Azure East US, Alibaba Cloud cn-hangzhou',
  source: 'built-in list prices (2026), capacity only',
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
  snapshotPerGiBMonth: {
    'ebs.csi.aws.com': 0.05, 'pd.csi.storage.gke.io': 0.05, 'disk.csi.azure.com': 0.05, 'diskplugin.csi.alibabacloud.com': 0.017,
  },
  references: {
    'ebs.csi.aws.com': 'https://aws.amazon.com/ebs/pricing/ (as of 2026-01)',
    'pd.csi.storage.gke.io': 'https://cloud.google.com/compute/disks-image-pricing (as of 2026-01)',
    'disk.csi.azure.com': 'https://azure.microsoft.com/pricing/details/managed-disks/ (as of 2026-01; Premium and Standard are sold in size tiers, the price of a 128 GiB disk per GiB)',
    'diskplugin.csi.alibabacloud.com': 'https://www.alibabacloud.com/product/disk/pricing (as of 2026-01, pay-as-you-go, converted from CNY)',
  },
};

const GIB = 2 ** 30;

/** Cents: prices and sums are shown to two decimals. */
export function cents(n: number): number {
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

/** A snapshot of a volume of this driver, per GiB of its size and month. */
export function snapshotPricePerGiBMonth(table: PriceTable, driver: string | undefined): number | undefined {
  return driver ? table.snapshotPerGiBMonth?.[driver] : undefined;
}
