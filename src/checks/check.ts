// A check reads the model and returns findings; it changes nothing and keeps no state, so it is
// tested with plain objects and runs the same live and offline.

import type { ClusterModel } from '../model/cluster-model.ts';
import type { ObjectRef } from '../model/types.ts';
import { CATALOG, type CheckId } from './catalog.ts';
import type { Evidence, Finding, RemediationStep, Severity } from './finding.ts';

export interface Check {
  id: CheckId;
  run(model: ClusterModel): Finding[];
}

export interface FindingDraft {
  object: ObjectRef;
  related?: ObjectRef[];
  message: string;
  evidence?: Evidence[];
  remediation?: RemediationStep[];
  /** Only where the catalog documents when this check is raised above or below its default. */
  severity?: Severity;
}

export function raise(check: CheckId, draft: FindingDraft): Finding {
  return {
    check,
    severity: draft.severity ?? CATALOG[check].severity,
    object: draft.object,
    workload: CLUSTER,
    related: dedupeRefs(draft.related ?? []).filter((r) => !sameRef(r, draft.object)),
    message: draft.message,
    evidence: draft.evidence ?? [],
    remediation: draft.remediation ?? [],
  };
}

/** Where findings about cluster-scoped objects of no workload are grouped. */
export const CLUSTER: ObjectRef = { kind: 'Cluster', name: 'cluster' };

export function sameRef(a: ObjectRef, b: ObjectRef): boolean {
  return a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');
}

function dedupeRefs(refs: ObjectRef[]): ObjectRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const key = `${r.kind}/${r.namespace ?? ''}/${r.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
