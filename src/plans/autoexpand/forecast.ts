// A short history of a volume's usage and what it says about the future. A least-squares line over
// the recent samples, not the last two points: one burst (a compaction, a log rotation) must not
// read as a trend.

export interface UsageSample {
  at: number;
  usedBytes: number;
  capacityBytes: number;
  /** What the workload can still write: less than capacity - used on file systems that reserve
   *  blocks for root (ext4: 5%). */
  availableBytes?: number;
  inodesUsed?: number;
  inodes?: number;
}

/** A trend needs at least this many samples. */
export const MIN_TREND_SAMPLES = 3;
/** A threshold counts as crossed when this many latest samples in a row are beyond it. */
export const CONFIRMING_SAMPLES = 2;
/** Samples older than this are forgotten: the trend is about the recent rate. */
export const HISTORY_WINDOW_MS = 60 * 60 * 1000;
/** And never more than this many per claim, whatever the sampling interval. */
export const HISTORY_LIMIT = 60;

/** Appends a sample and drops what fell out of the window (the array is the claim's history). */
export function remember(history: UsageSample[], sample: UsageSample): UsageSample[] {
  const kept = history.filter((s) => s.at > sample.at - HISTORY_WINDOW_MS && s.at < sample.at);
  kept.push(sample);
  return kept.slice(-HISTORY_LIMIT);
}

/** Units per millisecond of the least-squares line through (at, value); undefined with too few points. */
export function slope(points: { at: number; value: number }[]): number | undefined {
  if (points.length < MIN_TREND_SAMPLES) return undefined;
  const n = points.length;
  const meanT = points.reduce((a, p) => a + p.at, 0) / n;
  const meanV = points.reduce((a, p) => a + p.value, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.at - meanT) * (p.value - meanV);
    den += (p.at - meanT) ** 2;
  }
  return den > 0 ? num / den : undefined;
}

export interface Trend {
  /** Bytes per millisecond (positive: filling). */
  bytesPerMs?: number;
  inodesPerMs?: number;
  /** Milliseconds until bytes or inodes run out at that rate; undefined when not filling. */
  fullInMs?: number;
}

/** Bytes the workload can still write. */
export function freeBytes(s: UsageSample): number {
  return Math.max(0, s.availableBytes ?? s.capacityBytes - s.usedBytes);
}

/** Used as `df` counts it: of what the workload can use, not of the raw capacity. */
export function usedPercent(s: UsageSample): number {
  const usable = s.usedBytes + freeBytes(s);
  return usable > 0 ? (100 * s.usedBytes) / usable : 0;
}

export function trendOf(history: readonly UsageSample[]): Trend {
  const latest = history.at(-1);
  if (!latest) return {};
  const bytesPerMs = slope(history.map((s) => ({ at: s.at, value: s.usedBytes })));
  const withInodes = history.filter((s) => s.inodes !== undefined && s.inodesUsed !== undefined);
  const inodesPerMs = slope(withInodes.map((s) => ({ at: s.at, value: s.inodesUsed! })));
  const times: number[] = [];
  if (bytesPerMs && bytesPerMs > 0) times.push(freeBytes(latest) / bytesPerMs);
  if (inodesPerMs && inodesPerMs > 0 && latest.inodes !== undefined) times.push(Math.max(0, latest.inodes - (latest.inodesUsed ?? 0)) / inodesPerMs);
  return { bytesPerMs, inodesPerMs, fullInMs: times.length ? Math.min(...times) : undefined };
}
