// Scores, popeye-style: every check a workload was judged by counts by its weight; a failing check
// costs its weight fully when critical and half when a warning; an info item costs nothing. A score
// is the share kept, 0–100. A StatefulSet is scored on the checks that judged it; the cluster on every
// judgement made (each StatefulSet's and the cluster's own). A finding suppressed by the ignore file
// counts as passed: the risk was accepted by someone, with a reason.

import type { ObjectRef } from '../../model/types.ts';
import type { Finding, Severity } from '../finding.ts';
import { refKey } from '../incidents.ts';
import { AUDIT_CATALOG, type AuditId } from './catalog.ts';

export const SEVERITY_COST: Record<Severity, number> = { critical: 1, warning: 0.5, info: 0 };

export interface WorkloadScore {
  workload: ObjectRef;
  score: number;
  /** How many checks judged it; how many of those it failed (info aside). */
  checks: number;
  failed: number;
}

export interface Scores {
  cluster: number;
  workloads: WorkloadScore[];
}

/** The cost of each (check, workload): the worst severity its findings have. */
function costs(findings: readonly Finding<AuditId>[]): Map<string, number> {
  const cost = new Map<string, number>();
  for (const f of findings) {
    const key = `${f.check} ${refKey(f.workload)}`;
    cost.set(key, Math.max(cost.get(key) ?? 0, SEVERITY_COST[f.severity]));
  }
  return cost;
}

export function score(judged: readonly { check: AuditId; workload: ObjectRef }[], findings: readonly Finding<AuditId>[]): Scores {
  const cost = costs(findings);
  const byWorkload = new Map<string, { workload: ObjectRef; weight: number; lost: number; checks: Set<AuditId>; failed: Set<AuditId> }>();
  const seen = new Set<string>();
  let weight = 0;
  let lost = 0;
  // A finding's workload is judged by its check even if the check forgot to say so.
  const all = [...judged, ...findings.map((f) => ({ check: f.check, workload: f.workload }))];
  for (const { check, workload } of all) {
    const key = `${check} ${refKey(workload)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const w = AUDIT_CATALOG[check].weight;
    const l = w * (cost.get(key) ?? 0);
    weight += w;
    lost += l;
    let entry = byWorkload.get(refKey(workload));
    if (!entry) byWorkload.set(refKey(workload), (entry = { workload, weight: 0, lost: 0, checks: new Set(), failed: new Set() }));
    entry.weight += w;
    entry.lost += l;
    entry.checks.add(check);
    if (l > 0) entry.failed.add(check);
  }
  const pct = (w: number, l: number) => (w === 0 ? 100 : Math.round(100 * (1 - l / w)));
  return {
    cluster: pct(weight, lost),
    workloads: [...byWorkload.values()]
      .map((e) => ({ workload: e.workload, score: pct(e.weight, e.lost), checks: e.checks.size, failed: e.failed.size }))
      .sort((a, b) => a.score - b.score || (refKey(a.workload) < refKey(b.workload) ? -1 : 1)),
  };
}
