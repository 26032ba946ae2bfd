// Which `now` an analysis uses. Live: the wall clock. Offline: `--now` when given, else the moment
// `stsvol snapshot` recorded, else the newest timestamp inside the dump; so the same dump gives the
// same findings whenever it is analysed.

import { InputError } from './errors.ts';
import type { Snapshot } from './snapshot.ts';
import { parseTime } from './time.ts';

export type ClockSource = '--now' | 'wall-clock' | 'captured-at' | 'newest-timestamp' | 'epoch';

export function analysisTime(snapshot: Snapshot, options: { now?: string; live: boolean; wallClock?: number }): { now: number; source: ClockSource } {
  if (options.now !== undefined) {
    const now = parseTime(options.now);
    if (now === undefined) throw new InputError(`--now ${options.now}: not an RFC3339 time (e.g. 2026-11-21T15:04:05Z)`);
    return { now, source: '--now' };
  }
  if (options.live) return { now: options.wallClock ?? Date.now(), source: 'wall-clock' };
  if (snapshot.capturedAt !== undefined) return { now: snapshot.capturedAt, source: 'captured-at' };
  if (snapshot.newestTimestamp !== undefined) return { now: snapshot.newestTimestamp, source: 'newest-timestamp' };
  return { now: 0, source: 'epoch' };
}
