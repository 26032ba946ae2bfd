// Seed 001 (§1.2.1, §4.2): a zonal disk can only be used in its zone. When no schedulable node is
// left there, the pod that owns the disk cannot be placed anywhere ("volume node affinity conflict").

import { isNodeReady, refOf, type ClusterModel } from '../../model/cluster-model.ts';
import { ZONE_LABEL } from '../../model/annotations.ts';
import { describeTerms, matchesAnyTerm } from '../../model/node-affinity.ts';
import { formatDuration } from '../../model/time.ts';
import type { PersistentVolume, Pod } from '../../model/types.ts';
import type { Check, CheckScope } from '../check.ts';
import { kubectl } from '../commands.ts';
import { eventEvidence, fieldEvidence } from '../evidence.ts';
import { remedy, type Evidence, type Finding } from '../finding.ts';
import { SCHEDULING_GRACE } from '../thresholds.ts';
import { awaitsScaleUp, currentSchedulingFailure, isWaitingPod } from '../workload.ts';

const ID = 'volume-node-affinity-conflict';

// The scheduler's words for it: "had volume node affinity conflict" in older releases (and in seed
// 001), "didn't match PersistentVolume's node affinity" (VolumeBinding) and "had no available volume
// zone" (VolumeZone) in current ones.
const CONFLICT = /volume node affinity conflict|didn't match PersistentVolume's node affinity|no available volume zone/i;

export const volumeNodeAffinityConflict: Check = {
  id: ID,
  run(scope) {
    return scope.each(scope.model.pods, (pod) => {
      if (pod.spec?.nodeName || !isWaitingPod(pod)) return undefined;
      const waited = scope.model.since(pod.metadata.creationTimestamp);
      return waited === undefined || waited < SCHEDULING_GRACE || awaitsScaleUp(scope.model, pod) ? undefined : judge(scope, pod, waited);
    });
  },
};

function schedulableNodes(model: ClusterModel) {
  return [...model.nodes.values()].filter((n) => isNodeReady(n) && !n.spec?.unschedulable);
}

/** Bound volumes of the pod whose node affinity no schedulable node satisfies. */
function unplaceableVolumes(model: ClusterModel, pod: Pod): PersistentVolume[] {
  if (!model.sees('Node')) return [];
  const nodes = schedulableNodes(model);
  return model.claimsOf(pod).flatMap((claim) => {
    const pv = model.volumeOf(claim);
    const terms = pv?.spec?.nodeAffinity?.required?.nodeSelectorTerms;
    if (!pv || !terms?.length) return [];
    return nodes.some((n) => matchesAnyTerm(n, terms)) ? [] : [pv];
  });
}

function judge(scope: CheckScope, pod: Pod, waited: number): Finding | undefined {
  const { model } = scope;
  const failure = currentSchedulingFailure(model, pod);
  const events = failure && CONFLICT.test(failure.message) ? [failure] : [];
  const volumes = unplaceableVolumes(model, pod);
  if (!events.length && !volumes.length) return undefined;
  const ns = pod.metadata.namespace;
  const zones = [...new Set(schedulableNodes(model).map((n) => n.metadata.labels?.[ZONE_LABEL] ?? '(no zone label)'))].sort();
  const evidence: Evidence[] = [
    ...events.map(eventEvidence),
    ...volumes.map((pv) => fieldEvidence(pv, `nodeAffinity requires ${describeTerms(pv.spec!.nodeAffinity!.required!.nodeSelectorTerms!)}; schedulable nodes are in zones: ${zones.join(', ') || 'none'}`)),
  ];
  const pinned = volumes.map((pv) => describeTerms(pv.spec!.nodeAffinity!.required!.nodeSelectorTerms!)).join('; ');
  return scope.raise({
    object: refOf(pod),
    related: [...model.claimsOf(pod).map(refOf), ...volumes.map(refOf), ...(model.statefulSetOf(pod) ? [refOf(model.statefulSetOf(pod)!)] : [])],
    message: `${ns}/${pod.metadata.name} has been unschedulable for ${formatDuration(waited)}: ${volumes.length ? `its volume ${volumes.map((v) => v.metadata.name).join(', ')} is pinned to ${pinned} and no schedulable node is there` : 'the scheduler reports a volume node affinity conflict'}`,
    evidence,
    remediation: remedy([],
      { title: 'the zone has no schedulable node', steps: [{ text: `Bring a node back into the volume's zone (scale that zone's node group, uncordon a node there); the pod schedules at once.`, command: `kubectl get nodes -L ${ZONE_LABEL}` }] },
      { title: 'the pod itself excludes the zone', steps: [{ text: 'Fix the pod\'s nodeSelector or affinity (in its StatefulSet\'s template).', command: kubectl.get('pod', pod.metadata.name, ns) }] },
      { title: 'the data must move to another zone', steps: [{ text: 'Take a snapshot and restore it into a new claim in that zone; deleting the claim alone loses the data.' }] },
    ),
  });
}
