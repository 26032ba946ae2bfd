// The newest timestamps of a dump, one per object: the witnesses of when it was taken. Kept apart
// from the choice (clock.ts) because they are gathered while objects stream past, a few at a time.

import type { ObjectRef } from './types.ts';

export interface TimeWitness {
  ms: number;
  object: ObjectRef;
}

/** More witnesses than this are never needed: the clock is chosen among the newest, and a dump
 *  where dozens of objects each hold a time no other object comes near has no clock to find. */
const KEEP = 32;

/** The `KEEP` objects with the newest timestamps, newest first. */
export class NewestTimes {
  private readonly witnesses: TimeWitness[] = [];

  /** One object's newest timestamp. */
  note(ms: number, object: ObjectRef): void {
    const list = this.witnesses;
    if (list.length === KEEP && ms <= list[KEEP - 1]!.ms) return;
    let at = list.length;
    while (at > 0 && list[at - 1]!.ms < ms) at--;
    list.splice(at, 0, { ms, object });
    if (list.length > KEEP) list.pop();
  }

  get newestFirst(): readonly TimeWitness[] {
    return this.witnesses;
  }
}
