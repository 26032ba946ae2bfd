// One cause, one incident: a lost node shows as a stuck pod, a pod on a missing node and a held
// attachment; a used-up quota or a broken class as one finding per claim. Reports group findings
// that name the same cause, say what the cause is once, and where one action fixes them all (a
// node recovered as a whole), give that action once.

import type { ClusterModel } from '../model/cluster-model.ts';
import type { ObjectRef } from '../model/types.ts';
import { severityRank, type Finding, type RemediationStep } from './finding.ts';
import { isLostNode, nodeState, nodeStateText, stsvolRecover } from './recipes/fencing.ts';

export interface Incident {
  cause: ObjectRef;
  /** What the cause is, in a few words ("node n3 does not exist"). */
  title: string;
  findings: Finding[];
  /** The one action that addresses every finding of the incident, when there is one. */
  remediation: RemediationStep[];
}

export function refKey(r: ObjectRef): string {
  return `${r.kind}/${r.namespace ?? ''}/${r.name}`;
}

/** Findings grouped by the cause they name, in the order of their first finding (worst first). */
export function incidentsOf(model: ClusterModel, findings: readonly Finding[]): Incident[] {
  const byCause = new Map<string, Incident>();
  for (const f of findings) {
    if (!f.cause) continue;
    const key = refKey(f.cause);
    let incident = byCause.get(key);
    if (!incident) byCause.set(key, (incident = { cause: f.cause, title: titleOf(model, f.cause), findings: [], remediation: [] }));
    incident.findings.push(f);
  }
  for (const incident of byCause.values()) incident.remediation = wholeRemedy(model, incident);
  return [...byCause.values()];
}

/** How many incidents the findings make: one per shared cause, one per finding without a cause. */
export function incidentCount(findings: readonly Finding[]): number {
  return new Set(findings.map((f, i) => (f.cause ? refKey(f.cause) : `#${i}`))).size;
}

function titleOf(model: ClusterModel, cause: ObjectRef): string {
  if (cause.kind === 'Node') return nodeStateText(model, cause.name);
  if (cause.kind === 'StorageClass') return model.storageClasses.has(cause.name) ? `storage class ${cause.name}` : `storage class ${cause.name}, which does not exist`;
  if (cause.kind === 'ResourceQuota') return `ResourceQuota ${cause.namespace}/${cause.name}`;
  return `${cause.kind} ${cause.namespace ? `${cause.namespace}/` : ''}${cause.name}`;
}

/** A lost node with more than one finding is recovered as a whole: one plan fences it once and
 *  recovers every pod and attachment on it. */
function wholeRemedy(model: ClusterModel, incident: Incident): RemediationStep[] {
  if (incident.cause.kind !== 'Node' || incident.findings.length < 2 || !isLostNode(nodeState(model, incident.cause.name))) return [];
  const node = incident.cause.name;
  const step = stsvolRecover(model, node, `node/${node}`);
  return [{ ...step, text: `stsvol recovers every pod and attachment of ${node} in one plan, fenced first, journaled and resumable${step.safeWhen ? ', once you state that the machine is off' : ''}; it shows the plan first and changes nothing without --apply. Or follow each finding below.` }];
}

/** Incidents worst first: by criticals, then warnings, then size. */
export function worstFirst<T extends { findings: readonly Finding[] }>(groups: T[]): T[] {
  const weight = (g: T) => [0, 1, 2].map((rank) => g.findings.filter((f) => severityRank(f.severity) === rank).length);
  return [...groups].sort((a, b) => {
    const [wa, wb] = [weight(a), weight(b)];
    return wb[0]! - wa[0]! || wb[1]! - wa[1]! || b.findings.length - a.findings.length;
  });
}
