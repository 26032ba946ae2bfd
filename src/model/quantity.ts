// Kubernetes resource quantities (the storage subset: plain bytes, decimal and binary suffixes,
// decimals and exponents). Bytes are kept as numbers: 2^53 bytes is 8 PiB, far past any volume.
//
// Sizes are never printed lossily: a message quotes the quantity as the API wrote it, and a size
// stsvol computes is written exactly (10G stays 10G, never "9.3Gi"), so a remedy that proposes it
// asks for exactly what it says.

const SUFFIX: Record<string, number> = {
  '': 1,
  n: 1e-9, u: 1e-6, m: 1e-3,
  k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

// Unambiguous (the digits before the point, then an optional point and digits), so a long
// malformed number is refused in one pass, not in time quadratic in its length.
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;
/** No storage size needs more: 2^63 bytes is 19 digits, and a decimal form a few more. */
const MAX_QUANTITY_LENGTH = 64;

/** A cluster writes a handful of distinct sizes thousands of times; remembering them halves the
 *  checks' time on quantities. Bounded, since a dump can hold any number of distinct texts. */
const parsed = new Map<string, number | undefined>();
const MAX_REMEMBERED = 10_000;

/** Bytes of a quantity, rounded up to a whole byte as Kubernetes does, or undefined when it is not
 *  a valid quantity. */
export function parseQuantity(text: string | undefined | null): number | undefined {
  if (typeof text !== 'string') return undefined;
  if (parsed.has(text)) return parsed.get(text);
  if (parsed.size >= MAX_REMEMBERED) parsed.clear();
  const bytes = parseQuantityText(text);
  parsed.set(text, bytes);
  return bytes;
}

function parseQuantityText(text: string): number | undefined {
  if (text.length > MAX_QUANTITY_LENGTH) return undefined;
  const match = QUANTITY.exec(text.trim());
  if (!match) return undefined;
  const [, number, exponent, suffix] = match;
  const value = Number(number) * (exponent ? 10 ** Number(exponent.slice(1)) : SUFFIX[suffix ?? '']!);
  return Number.isFinite(value) ? Math.ceil(value) : undefined;
}

const BINARY: [string, number][] = [['Ei', 2 ** 60], ['Pi', 2 ** 50], ['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];
const DECIMAL: [string, number][] = [['E', 1e18], ['P', 1e15], ['T', 1e12], ['G', 1e9], ['M', 1e6], ['k', 1e3]];

/** The exact quantity of a whole number of bytes, in its shortest form: 10G, 1536Mi, 1000Gi, 12345. */
export function formatBytes(bytes: number): string {
  const whole = Math.ceil(bytes);
  let best = String(whole);
  // Binary units first, so a tie goes to the form storage people write (1Gi, not 1073741824).
  for (const [suffix, unit] of [...BINARY, ...DECIMAL]) {
    if (whole < unit || whole % unit !== 0) continue;
    const candidate = `${whole / unit}${suffix}`;
    if (candidate.length < best.length) best = candidate;
  }
  return best;
}
