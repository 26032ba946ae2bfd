// Counts in words that agree with their number: "1 replica", "2 replicas", never "1 replicas".

const IRREGULAR: Record<string, string> = { class: 'classes' };

export function count(n: number, noun: string): string {
  return n === 1 ? `1 ${noun}` : `${n} ${IRREGULAR[noun] ?? `${noun}s`}`;
}
