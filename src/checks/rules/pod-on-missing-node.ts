// Seed 000: pods of a scaled-up StatefulSet bound to a node that had been removed. The pod object
// keeps the ordinal, so the StatefulSet cannot place that replica anywhere else. The pod garbage
// collector removes such pods within a minute of the node's deletion; a pod left longer means it
// is lagging or not running.

import { refOf, type ClusterModel } from '../../model/cluster-model.ts';
import { formatDuration } from '../../model/time.ts';
import type { Check } from '../check.ts';
import { kubectl, stsvolTarget } from '../commands.ts';
import { fieldEvidence, newestEvent } from '../evidence.ts';
import { recoverFromNode, stsvolRecover } from '../recipes/fencing.ts';
import { POD_GC_GRACE } from '../thresholds.ts';

const ID = 'pod-on-missing-node';

/** The node was deleted so recently (the node controller's RemovingNode event) that the pod GC has
 *  not had its turn yet. */
function justRemoved(model: ClusterModel, node: string): boolean {
  const removal = newestEvent(model.eventsFor({ kind: 'Node', metadata: { name: node } }).filter((e) => /^(RemovingNode|DeletingNode)$/.test(e.reason)));
  const age = model.since(removal?.lastTime);
  return age !== undefined && age < POD_GC_GRACE;
}

export const podOnMissingNode: Check = {
  id: ID,
  run(scope) {
    const { model } = scope;
    if (!model.sees('Node')) return [];
    return scope.each(model.pods, (pod) => {
      const nodeName = pod.spec?.nodeName;
      if (!nodeName || model.nodes.has(nodeName) || justRemoved(model, nodeName)) return undefined;
      const ns = pod.metadata.namespace;
      const sts = model.statefulSetNameOf(pod);
      const age = model.since(pod.metadata.creationTimestamp);
      return scope.raise({
        severity: sts ? 'critical' : 'warning',
        object: refOf(pod),
        cause: { kind: 'Node', name: nodeName },
        related: [{ kind: 'Node', name: nodeName }, ...(sts ? [{ kind: 'StatefulSet', namespace: ns, name: sts }] : []), ...model.claimsOf(pod).map(refOf)],
        message: `${ns}/${pod.metadata.name} is bound to node ${nodeName}, which does not exist${sts ? `; StatefulSet ${ns}/${sts} cannot run this replica elsewhere until the pod object is removed` : ''}`,
        evidence: [fieldEvidence(pod, `spec.nodeName=${nodeName}; no Node ${nodeName}; phase=${pod.status?.phase ?? '?'}${pod.metadata.deletionTimestamp ? ', terminating' : ''}${age !== undefined ? `, created ${formatDuration(age)} ago` : ''}`)],
        remediation: recoverFromNode(model, nodeName, [{
          text: 'Remove the pod object so its controller re-creates it on a live node (the pod garbage collector should have; it may be lagging or disabled).',
          command: kubectl.forceDeletePod(pod.metadata.name, ns),
          safeWhen: `the machine behind ${nodeName} is confirmed terminated or powered off`,
        }], stsvolRecover(model, nodeName, stsvolTarget('pod', pod.metadata.name, ns))),
      });
    });
  },
};
