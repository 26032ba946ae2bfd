// Replicas on one node, or nothing in the pod template keeping them apart: one node failure takes
// several replicas (and holds their volumes until the node is fenced).

import { refOf } from '../../../model/cluster-model.ts';
import type { StatefulSet } from '../../../model/types.ts';
import { fieldEvidence } from '../../evidence.ts';
import { hasReplicas, podsOfStatefulSet, statefulSetsWithStorage, stsRef } from '../facts.ts';
import type { AuditCheck } from '../scope.ts';

const SPREAD_KEYS = new Set(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);

function spreads(sts: StatefulSet): boolean {
  const spec = sts.spec?.template?.spec;
  const anti = spec?.affinity?.podAntiAffinity;
  return [...(anti?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => t.topologyKey), ...(anti?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => t.podAffinityTerm.topologyKey), ...(spec?.topologySpreadConstraints ?? []).map((c) => c.topologyKey)]
    .some((k) => SPREAD_KEYS.has(k));
}

export const replicasShareNode: AuditCheck = {
  id: 'replicas-share-node',
  run(scope) {
    const { model } = scope;
    return scope.each(statefulSetsWithStorage(model).filter((s) => hasReplicas(s, 2)), (sts) => {
      scope.judge(stsRef(sts));
      const byNode = new Map<string, string[]>();
      for (const pod of podsOfStatefulSet(model, sts)) if (pod.spec?.nodeName) byNode.set(pod.spec.nodeName, [...(byNode.get(pod.spec.nodeName) ?? []), pod.metadata.name]);
      const shared = [...byNode].filter(([, pods]) => pods.length > 1);
      const kept = spreads(sts);
      if (!shared.length && kept) return undefined;
      const ns = sts.metadata.namespace;
      return scope.raise({
        object: refOf(sts),
        related: shared.map(([node]) => ({ kind: 'Node', name: node })),
        message: shared.length
          ? `replicas of StatefulSet ${ns}/${sts.metadata.name} share nodes (${shared.map(([node, pods]) => `${pods.join(', ')} on ${node}`).join('; ')}): one node failure takes them down together`
          : `nothing keeps the replicas of StatefulSet ${ns}/${sts.metadata.name} apart (no pod anti-affinity or topology spread on the hostname or zone): the scheduler may place several on one node`,
        evidence: shared.length ? shared.map(([node, pods]) => fieldEvidence(model.pod(ns, pods[0]!)!, `spec.nodeName=${node} for ${pods.join(', ')}`)) : [fieldEvidence(sts, 'spec.template.spec: no podAntiAffinity or topologySpreadConstraints on kubernetes.io/hostname or topology.kubernetes.io/zone')],
        remediation: [{ text: "Add a pod anti-affinity on kubernetes.io/hostname (required for a quorum store) to the StatefulSet's pod template; a template change rolls the replicas one at a time." }],
      });
    });
  },
};
