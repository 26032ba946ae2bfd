// Kubernetes resource quantities (the storage subset: plain bytes, decimal and binary suffixes,
// decimals and exponents). Bytes are kept as numbers: 2^53 bytes is 8 PiB, far past any volume.

const SUFFIX: Record<string, number> = {
  '': 1,
  k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  m: 1e-3,
};

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[kMGTPEm])?)$/;

/** Bytes of a quantity, or undefined when it is not a valid quantity. */
export function parseQuantity(text: string | undefined | null): number | undefined {
  if (text === undefined || text === null) return undefined;
  const match = QUANTITY.exec(String(text).trim());
  if (!match) return undefined;
  const [, number, exponent, suffix] = match;
  const value = Number(number);
  if (exponent) return value * 10 ** Number(exponent.slice(1));
  return value * (SUFFIX[suffix ?? ''] ?? 1);
}

/** Short human form in binary units, as kubectl users read sizes: 1000Gi, 1.5Ti, 512Mi. */
export function formatBytes(bytes: number): string {
  const units = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const rounded = Number.isInteger(value) ? String(value) : value.toFixed(1).replace(/\.0$/, '');
  return `${rounded}${units[unit]}`;
}
