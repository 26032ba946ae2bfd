// --prices FILE: the organisation's own storage prices, replacing the built-in list prices.

import { parse } from 'yaml';
import { firstLine, InputError } from '../model/errors.ts';
import { readSmallFile } from '../model/input-files.ts';
import { BUILT_IN_PRICES, type PriceTable } from '../model/pricing.ts';

export function priceTable(path: string | undefined): PriceTable {
  return path === undefined ? BUILT_IN_PRICES : readPriceTable(path);
}

/** A YAML or JSON file:
 *  { currency: EUR, region: eu-west-1, perGiBMonth: { fast: 0.12, "ebs.csi.aws.com/gp3": 0.07 },
 *    snapshotPerGiBMonth: { "ebs.csi.aws.com": 0.045 } }. */
function readPriceTable(path: string): PriceTable {
  const text = readSmallFile(path, '--prices');
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new InputError(`--prices ${path}: ${firstLine(err)}`);
  }
  const table = doc as { currency?: unknown; region?: unknown; perGiBMonth?: unknown; snapshotPerGiBMonth?: unknown };
  const prices = priceMap(path, 'perGiBMonth', table?.perGiBMonth, true)!;
  const snapshots = priceMap(path, 'snapshotPerGiBMonth', table?.snapshotPerGiBMonth, false);
  return {
    currency: typeof table.currency === 'string' ? table.currency : 'USD', source: path, perGiBMonth: prices,
    ...(typeof table.region === 'string' ? { region: table.region } : {}), ...(snapshots ? { snapshotPerGiBMonth: snapshots } : {}),
  };
}

function priceMap(path: string, field: string, value: unknown, required: boolean): Record<string, number> | undefined {
  if (value === undefined && !required) return undefined;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new InputError(`--prices ${path}: expected a map ${field} of class or provisioner to a price`);
  for (const [key, price] of Object.entries(value)) {
    if (typeof price !== 'number' || !(price >= 0)) throw new InputError(`--prices ${path}: ${field}.${key} is not a price (a number ≥ 0)`);
  }
  return value as Record<string, number>;
}
