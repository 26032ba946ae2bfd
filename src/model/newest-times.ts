// The newest timestamps of a dump, one per subject: the witnesses of when it was taken. Kept apart
// from the choice (clock.ts) because they are gathered while objects stream past, a few at a time.
//
// A subject is the object the times are about: an object for its own times, and for an Event the
// object it regards. All the times about one subject count as one witness, so an object cannot
// confirm itself, whether it appears twice in the input (two files, both Event APIs) or through the
// events written about it (a node's kubelet stamps both with the same clock).

import type { ObjectRef } from './types.ts';

export interface TimeWitness {
  ms: number;
  /** The subject. */
  object: ObjectRef;
}

/** More witnesses than this are never needed: the clock is chosen among the newest, and a dump
 *  where dozens of subjects each hold a time no other comes near has no clock to find. */
const KEEP = 32;

/** The `KEEP` subjects with the newest timestamps, newest first. */
export class NewestTimes {
  private readonly witnesses: (TimeWitness & { key: string })[] = [];

  /** Whether a time could be among the newest: a cheap test before the subject is named. */
  admits(ms: number): boolean {
    return ms > Number.NEGATIVE_INFINITY && (this.witnesses.length < KEEP || ms > this.witnesses[KEEP - 1]!.ms);
  }

  /** A timestamp about `subject`. */
  note(ms: number, subject: ObjectRef): void {
    if (!this.admits(ms)) return;
    const list = this.witnesses;
    const key = `${subject.kind}/${subject.namespace ?? ''}/${subject.name}`;
    const known = list.findIndex((w) => w.key === key);
    if (known >= 0) {
      if (list[known]!.ms >= ms) return;
      list.splice(known, 1);
    }
    let at = list.length;
    while (at > 0 && list[at - 1]!.ms < ms) at--;
    list.splice(at, 0, { ms, object: subject, key });
    if (list.length > KEEP) list.pop();
  }

  get newestFirst(): readonly TimeWitness[] {
    return this.witnesses.map(({ ms, object }) => ({ ms, object }));
  }
}
