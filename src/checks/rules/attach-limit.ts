// Seed 000 ("an ECS node takes at most 16 disks"): each node can attach only as many volumes of a
// CSI driver as its CSINode allows. Past that the scheduler places no more pods with such volumes.

import { refOf, type ClusterModel } from '../../model/cluster-model.ts';
import { formatDuration } from '../../model/time.ts';
import type { Check } from '../check.ts';
import { shellWord } from '../commands.ts';
import { eventEvidence, fieldEvidence } from '../evidence.ts';
import { SCHEDULING_GRACE } from '../thresholds.ts';
import { awaitsScaleUp, currentSchedulingFailure, isWaitingPod } from '../workload.ts';

const ID = 'attach-limit';

const MAX_VOLUME_COUNT = /max volume count/i;

interface NodeAtLimit {
  node: string;
  driver: string;
  used: number;
  limit: number;
}

/** Volumes of a driver on a node: what is attached there, and what pods placed there use. Exact
 *  from `limit` up; below it, possibly fewer (a node far from its limit is not counted exactly:
 *  at 5,000 nodes that counting was a check's whole cost). */
function volumesOnNode(model: ClusterModel, node: string, driver: string, limit: number): number {
  const attachments = model.attachmentsOnNode(node);
  const pods = model.podsOnNode(node);
  let atMost = attachments.length;
  for (const pod of pods) atMost += model.claimsOf(pod).length;
  if (atMost < limit) return atMost;
  const names = new Set<string>();
  for (const va of attachments) if (va.spec.attacher === driver && va.spec.source.persistentVolumeName) names.add(va.spec.source.persistentVolumeName);
  for (const pod of pods) {
    if (['Succeeded', 'Failed'].includes(pod.status?.phase ?? '')) continue;
    for (const claim of model.claimsOf(pod)) {
      const pv = model.volumeOf(claim);
      if (pv?.spec?.csi?.driver === driver) names.add(pv.metadata.name);
    }
  }
  return names.size;
}

export function nodesAtLimit(model: ClusterModel): NodeAtLimit[] {
  const full: NodeAtLimit[] = [];
  for (const csiNode of model.csiNodes.values()) {
    for (const d of csiNode.spec?.drivers ?? []) {
      const limit = d.allocatable?.count;
      if (limit === undefined) continue;
      const used = volumesOnNode(model, csiNode.metadata.name, d.name, limit);
      if (used >= limit) full.push({ node: csiNode.metadata.name, driver: d.name, used, limit });
    }
  }
  return full;
}

export const attachLimit: Check = {
  id: ID,
  run(scope) {
    const { model } = scope;
    const full = nodesAtLimit(model);
    const related = full.slice(0, 10).map((f) => ({ kind: 'CSINode', name: f.node }));
    const fullText = full.length ? `${full.length} node(s) at their attach limit (${full.slice(0, 3).map((f) => `${f.node} ${f.used}/${f.limit} ${f.driver}`).join(', ')}${full.length > 3 ? ', ...' : ''})` : '';
    const findings = scope.each(model.pods, (pod) => {
      if (pod.spec?.nodeName || !isWaitingPod(pod)) return undefined;
      const event = currentSchedulingFailure(model, pod);
      const waited = model.since(pod.metadata.creationTimestamp);
      if (!event || !MAX_VOLUME_COUNT.test(event.message) || waited === undefined || waited < SCHEDULING_GRACE || awaitsScaleUp(model, pod)) return undefined;
      return scope.raise({
        severity: 'critical',
        object: refOf(pod),
        related: [...model.claimsOf(pod).map(refOf), ...related],
        message: `${pod.metadata.namespace}/${pod.metadata.name} has been unschedulable for ${formatDuration(waited)}: nodes exceed their max volume count${fullText ? `; ${fullText}` : ''}`,
        evidence: [eventEvidence(event), ...full.slice(0, 5).map((f) => fieldEvidence(model.csiNodes.get(f.node)!, `${f.driver}: ${f.used} volumes of allocatable.count ${f.limit}`))],
        remediation: remedy(),
      });
    });
    if (!findings.length && full.length) {
      findings.push(scope.raise({
        object: { kind: 'CSIDriver', name: full[0]!.driver },
        related,
        message: `${fullText}: no further pod with a ${full[0]!.driver} volume can be scheduled onto them`,
        evidence: full.slice(0, 5).map((f) => fieldEvidence(model.csiNodes.get(f.node)!, `${f.driver}: ${f.used} volumes of allocatable.count ${f.limit}`)),
        remediation: remedy(),
      }));
    }
    return findings;
  },
};

function remedy() {
  return [
    { text: 'See how many volumes each node may attach.', command: `kubectl get csinode -o ${shellWord('custom-columns=NODE:.metadata.name,DRIVER:.spec.drivers[*].name,LIMIT:.spec.drivers[*].allocatable.count')}` },
    { text: 'Add nodes (or node types with a higher attach limit), or spread volume-heavy pods with topologySpreadConstraints; release volumes nobody uses (orphan-pvc).' },
  ];
}
