// Which `now` an analysis uses, and why, so the report can say so. Live: the wall clock. Offline:
// `--now` when given, else the moment `stsvol snapshot` recorded, else the newest timestamp inside
// the dump; so the same dump gives the same findings whenever it is analysed.
//
// One absurd timestamp (a node whose clock is set to 2099) must not move the clock of a whole dump:
// a timestamp later than this machine's clock plus a day cannot have been recorded yet, and is not
// believed (snapshot.ts leaves it out and counts it).

import { InputError } from './errors.ts';
import type { Snapshot } from './snapshot.ts';
import { DAY, parseTime, toRfc3339 } from './time.ts';

export type ClockSource = '--now' | 'wall-clock' | 'captured-at' | 'newest-timestamp' | 'epoch';

export interface Clock {
  now: number;
  source: ClockSource;
  /** One line for the report header: where the clock came from. */
  reason: string;
}

/** Clock skew between this machine and a cluster that is still believable. */
const SKEW_ALLOWANCE = DAY;

/** The latest timestamp an offline dump can believably hold, read at `wallClock`. */
export function believableUntil(wallClock: number): number {
  return wallClock + SKEW_ALLOWANCE;
}

/** Checks --now before anything is loaded. */
export function parseNow(text: string): number {
  const now = parseTime(text);
  if (now === undefined) throw new InputError(`--now ${text}: not a valid RFC3339 time (e.g. 2026-11-21T15:04:05Z)`);
  return now;
}

export function analysisClock(snapshot: Snapshot, options: { now?: string; live: boolean; wallClock: number }): Clock {
  if (options.now !== undefined) return { now: parseNow(options.now), source: '--now', reason: 'given with --now' };
  if (options.live) return { now: options.wallClock, source: 'wall-clock', reason: "this machine's clock" };
  if (snapshot.capturedAt !== undefined) return { now: snapshot.capturedAt, source: 'captured-at', reason: 'when stsvol snapshot read the cluster' };
  const newest = snapshot.newestTimestamp;
  if (newest === undefined) return { now: 0, source: 'epoch', reason: 'the input holds no timestamp; pass --now' };
  const ref = `${newest.object.kind} ${newest.object.namespace ? `${newest.object.namespace}/` : ''}${newest.object.name}`;
  const future = snapshot.futureTimestamps;
  const ignored = future ? `; ${future.count} later timestamp(s) ignored as after this machine's clock (latest ${future.latest}, ${future.object.kind} ${future.object.name})` : '';
  return { now: newest.ms, source: 'newest-timestamp', reason: `the newest timestamp in the input (${toRfc3339(newest.ms)}, ${ref})${ignored}; pass --now to choose` };
}
