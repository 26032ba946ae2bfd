// --prices FILE: the organisation's own storage prices, replacing the built-in list prices.

import { parse } from 'yaml';
import { firstLine, InputError } from '../model/errors.ts';
import { readSmallFile } from '../model/input-files.ts';
import { BUILT_IN_PRICES, type PriceTable } from '../plans/pricing.ts';

export function priceTable(path: string | undefined): PriceTable {
  return path === undefined ? BUILT_IN_PRICES : readPriceTable(path);
}

/** A YAML or JSON file: { currency: EUR, perGiBMonth: { fast: 0.12, "ebs.csi.aws.com/gp3": 0.07 } }. */
function readPriceTable(path: string): PriceTable {
  const text = readSmallFile(path, '--prices');
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new InputError(`--prices ${path}: ${firstLine(err)}`);
  }
  const table = doc as { currency?: unknown; perGiBMonth?: unknown };
  const prices = table?.perGiBMonth;
  if (!prices || typeof prices !== 'object' || Array.isArray(prices)) throw new InputError(`--prices ${path}: expected a map perGiBMonth of class or provisioner to a price`);
  for (const [key, value] of Object.entries(prices)) {
    if (typeof value !== 'number' || !(value >= 0)) throw new InputError(`--prices ${path}: perGiBMonth.${key} is not a price (a number ≥ 0)`);
  }
  return { currency: typeof table.currency === 'string' ? table.currency : 'USD', source: path, perGiBMonth: prices as Record<string, number> };
}

