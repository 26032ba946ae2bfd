// Which `now` an analysis uses, and why, so the report can say so. Live: the wall clock. Offline:
// `--now` when given, else the moment `stsvol snapshot` recorded, else the newest timestamp inside
// the dump; so the same dump gives the same findings whenever it is analysed.
//
// One absurd timestamp (a node whose clock is set to 2099, or a year ahead in an old dump) must not
// move the clock of a whole dump. Two rules, both said in the report header:
// - a timestamp later than this machine's clock plus a day cannot have been recorded yet, and is not
//   believed (snapshot.ts leaves it out and counts it);
// - the newest timestamp counts only when another object confirms it, with a time of its own less
//   than an hour earlier: the writers of a healthy cluster (apiserver, controllers, every kubelet's
//   heartbeat) agree with each other, an object no other comes near is an outlier. An object and
//   the events about it are one witness (newest-times.ts). Only when no two objects agree is the
//   newest timestamp used alone.

import { InputError } from './errors.ts';
import type { Snapshot } from './snapshot.ts';
import type { TimeWitness } from './newest-times.ts';
import { DAY, HOUR, parseTime, toRfc3339, formatDuration } from './time.ts';
import { count } from './words.ts';

export type ClockSource = '--now' | 'wall-clock' | 'captured-at' | 'newest-timestamp' | 'epoch';

export interface Clock {
  now: number;
  source: ClockSource;
  /** One line for the report header: where the clock came from. */
  reason: string;
}

/** Clock skew between this machine and a cluster that is still believable. */
const SKEW_ALLOWANCE = DAY;

/** How close another object's time must be to confirm the newest one. */
const CONFIRMATION_WINDOW = HOUR;

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
  const witnesses = snapshot.newestTimes;
  if (!witnesses.length) return { now: 0, source: 'epoch', reason: 'the input holds no timestamp; pass --now' };
  const confirmed = witnesses.findIndex((w, i) => i + 1 < witnesses.length && w.ms - witnesses[i + 1]!.ms < CONFIRMATION_WINDOW);
  const chosen = witnesses[Math.max(confirmed, 0)]!;
  const how = confirmed >= 0
    ? `the newest timestamp another object confirms within ${formatDuration(CONFIRMATION_WINDOW)} (${toRfc3339(chosen.ms)}, ${refText(chosen)})`
    : witnesses.length === 1
      ? `the newest timestamp in the input (${toRfc3339(chosen.ms)}, ${refText(chosen)}), the only object with one`
      : `the newest timestamp in the input (${toRfc3339(chosen.ms)}, ${refText(chosen)}), which no other object confirms within ${formatDuration(CONFIRMATION_WINDOW)}`;
  return { now: chosen.ms, source: 'newest-timestamp', reason: `${how}${unconfirmedText(witnesses.slice(0, Math.max(confirmed, 0)))}${futureText(snapshot)}; pass --now to choose` };
}

function refText(w: Pick<TimeWitness, 'object'>): string {
  return `${w.object.kind} ${w.object.namespace ? `${w.object.namespace}/` : ''}${w.object.name}`;
}

function unconfirmedText(outliers: TimeWitness[]): string {
  if (!outliers.length) return '';
  const latest = outliers[0]!;
  return `; ignored as unconfirmed: later times of ${count(outliers.length, 'object')} (latest ${toRfc3339(latest.ms)}, ${refText(latest)})`;
}

function futureText(snapshot: Snapshot): string {
  const future = snapshot.futureTimestamps;
  return future ? `; ${count(future.count, 'later timestamp')} ignored as after this machine's clock (latest ${future.latest}, ${refText(future)})` : '';
}
