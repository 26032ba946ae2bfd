// Scores, popeye-style: every check a workload was judged by counts by its weight; a failing check
// costs its weight fully when critical and half when a warning; an info item costs nothing. A score
// is the share kept, 0–100. A StatefulSet is scored on the checks that judged it; the cluster on every
// judgement made (each StatefulSet's and the cluster's own). A finding suppressed by the ignore file
// counts as passed: the risk was accepted by someone, with a reason.

import type { ObjectRef } from '../../model/types.ts';
import type { Finding, Severity } from '../finding.ts';
import { refKey } from '../incidents.ts';
import { AUDIT_CATALOG, type AuditId } from './catalog.ts';
import type { Judged } from './index.ts';

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

export function score(judged: readonly Judged[], findings: readonly Finding<AuditId>[]): Scores {
  // Per workload, each check that judged it and what failing it cost: 0 when it passed, the worst
  // severity of its findings otherwise. A finding's workload is judged by its check even if the
  // check forgot to say so.
  // Found by kind, namespace and name in nested maps: no key string is built per judgement (there
  // are one per check and StatefulSet: 375,000 at 25,000 StatefulSets).
  const byWorkload = new Map<string, Map<string, Map<string, { key: string; workload: ObjectRef; costs: Map<AuditId, number> }>>>();
  const all: { key: string; workload: ObjectRef; costs: Map<AuditId, number> }[] = [];
  const entry = (workload: ObjectRef) => {
    let byNamespace = byWorkload.get(workload.kind);
    if (!byNamespace) byWorkload.set(workload.kind, (byNamespace = new Map()));
    let byName = byNamespace.get(workload.namespace ?? '');
    if (!byName) byNamespace.set(workload.namespace ?? '', (byName = new Map()));
    let e = byName.get(workload.name);
    if (!e) {
      byName.set(workload.name, (e = { key: refKey(workload), workload, costs: new Map() }));
      all.push(e);
    }
    return e;
  };
  for (const { check, workloads } of judged) {
    for (const workload of workloads) {
      const costs = entry(workload).costs;
      if (!costs.has(check)) costs.set(check, 0);
    }
  }
  for (const f of findings) {
    const costs = entry(f.workload).costs;
    costs.set(f.check, Math.max(costs.get(f.check) ?? 0, SEVERITY_COST[f.severity]));
  }
  const pct = (w: number, l: number) => (w === 0 ? 100 : Math.round(100 * (1 - l / w)));
  let weight = 0;
  let lost = 0;
  const scored = all.map((e) => {
    let w = 0;
    let l = 0;
    let failed = 0;
    for (const [check, cost] of e.costs) {
      w += AUDIT_CATALOG[check].weight;
      l += AUDIT_CATALOG[check].weight * cost;
      if (cost > 0) failed++;
    }
    weight += w;
    lost += l;
    return { key: e.key, workload: { workload: e.workload, score: pct(w, l), checks: e.costs.size, failed } };
  });
  return {
    cluster: pct(weight, lost),
    workloads: scored.sort((a, b) => a.workload.score - b.workload.score || (a.key < b.key ? -1 : 1)).map((e) => e.workload),
  };
}

/** Under -n: the findings about the namespace's objects or its workloads. */
export function findingsInNamespace<F extends Finding<string>>(findings: readonly F[], namespace: string | undefined): F[] {
  return namespace ? findings.filter((f) => f.object.namespace === namespace || f.workload.namespace === namespace) : [...findings];
}

/** Under -n: what was judged of the namespace's workloads, and of the cluster as a whole. */
export function judgedInNamespace(judged: readonly Judged[], namespace: string | undefined): readonly Judged[] {
  return namespace ? judged.map((j) => ({ check: j.check, workloads: j.workloads.filter((w) => w.namespace === namespace || w.kind === 'Cluster') })) : judged;
}
