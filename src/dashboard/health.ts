// The order of health, worst first, for the server's rows and the page's sorting and filter alike.
// Types only besides: the page bundles it as is.

import type { Health, StatefulSetRow } from './types.ts';

export const HEALTH_RANK: Record<Health, number> = { critical: 0, warning: 1, info: 2, ok: 3 };

/** Worst health first, then the most critical findings. */
export function byHealth(a: StatefulSetRow, b: StatefulSetRow): number {
  return HEALTH_RANK[a.health] - HEALTH_RANK[b.health] || b.counts.critical - a.counts.critical;
}
