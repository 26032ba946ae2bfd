// StatefulSet ordinal arithmetic, in one place: every remedy that names a replica count or a
// member's name goes through here, so `spec.ordinals.start` (GA 1.31) is never forgotten and
// ordinal 0 never yields "-1 replicas".

import type { StatefulSet } from './types.ts';

/** replicas defaults to 1 when unset, as the API defaults it. */
export function replicasOf(sts: StatefulSet): number {
  return sts.spec?.replicas ?? 1;
}

export function firstOrdinal(sts: StatefulSet): number {
  return sts.spec?.ordinals?.start ?? 0;
}

/** The ordinals the StatefulSet runs: [start, start + replicas). */
export function ordinalRange(sts: StatefulSet): { start: number; end: number } {
  const start = firstOrdinal(sts);
  return { start, end: start + replicasOf(sts) };
}

export function runsOrdinal(sts: StatefulSet, ordinal: number): boolean {
  const { start, end } = ordinalRange(sts);
  return ordinal >= start && ordinal < end;
}

/** The fewest replicas at which `ordinal` runs (0 for an ordinal below the first). */
export function replicasIncluding(sts: StatefulSet, ordinal: number): number {
  return Math.max(0, ordinal - firstOrdinal(sts) + 1);
}

/** Pods and claims of a StatefulSet are named <sts>-<ordinal> and <template>-<sts>-<ordinal>. */
export function memberName(sts: StatefulSet, ordinal: number): string {
  return `${sts.metadata.name}-${ordinal}`;
}

export function claimName(sts: StatefulSet, template: string, ordinal: number): string {
  return `${template}-${sts.metadata.name}-${ordinal}`;
}
