// Which workload a finding belongs to, so reports group an incident's findings together: the
// StatefulSet behind the pod, claim or volume when there is one, else the namespace, else the cluster.

import { refOf, type ClusterModel } from '../model/cluster-model.ts';
import type { ObjectRef } from '../model/types.ts';
import type { Finding } from './finding.ts';

/** Where findings about cluster-scoped objects of no workload are grouped. */
export const CLUSTER: ObjectRef = { kind: 'Cluster', name: 'cluster' };

function statefulSetBehind(model: ClusterModel, ref: ObjectRef): ObjectRef | undefined {
  if (ref.kind === 'StatefulSet') return ref;
  if (ref.kind === 'Pod') {
    const pod = model.pod(ref.namespace, ref.name);
    const sts = pod && model.statefulSetOf(pod);
    return sts && refOf(sts);
  }
  if (ref.kind === 'PersistentVolumeClaim') {
    const claim = model.claims.get(ref.namespace, ref.name);
    const owner = claim && model.statefulSetOfClaim(claim);
    return owner && refOf(owner.sts);
  }
  if (ref.kind === 'PersistentVolume') {
    const pv = model.volumes.get(ref.name);
    const claim = pv && model.claimOf(pv);
    const owner = claim && model.statefulSetOfClaim(claim);
    return owner && refOf(owner.sts);
  }
  return undefined;
}

export function workloadOf(model: ClusterModel, finding: Pick<Finding, 'object' | 'related'>): ObjectRef {
  for (const ref of [finding.object, ...finding.related]) {
    const sts = statefulSetBehind(model, ref);
    if (sts) return sts;
  }
  const ns = finding.object.namespace ?? finding.related.find((r) => r.namespace)?.namespace;
  return ns ? { kind: 'Namespace', name: ns } : CLUSTER;
}
