// Seed 000: pods of a scaled-up StatefulSet bound to a node that had been removed. The pod object
// keeps the ordinal, so the StatefulSet cannot place that replica anywhere else.

import { refOf } from '../../model/cluster-model.ts';
import { formatDuration } from '../../model/time.ts';
import { raise, type Check } from '../check.ts';
import { kubectl } from '../commands.ts';
import { fieldEvidence } from '../evidence.ts';
import { fenceNodeSteps } from '../fencing.ts';
import type { Finding } from '../finding.ts';

const ID = 'pod-on-missing-node';

export const podOnMissingNode: Check = {
  id: ID,
  run(model) {
    if (!model.sees('Node')) return [];
    const findings: Finding[] = [];
    for (const pod of model.pods) {
      const nodeName = pod.spec?.nodeName;
      if (!nodeName || model.nodes.has(nodeName)) continue;
      const ns = pod.metadata.namespace;
      const sts = model.statefulSetNameOf(pod);
      const age = model.since(pod.metadata.creationTimestamp);
      findings.push(raise(ID, {
        severity: sts ? 'critical' : 'warning',
        object: refOf(pod),
        related: [{ kind: 'Node', name: nodeName }, ...(sts ? [{ kind: 'StatefulSet', namespace: ns, name: sts }] : []), ...model.claimsOf(pod).map(refOf)],
        message: `${ns}/${pod.metadata.name} is bound to node ${nodeName}, which does not exist${sts ? `; StatefulSet ${ns}/${sts} cannot run this replica elsewhere until the pod object is removed` : ''}`,
        evidence: [fieldEvidence(pod, `spec.nodeName=${nodeName}; no Node ${nodeName}; phase=${pod.status?.phase ?? '?'}${pod.metadata.deletionTimestamp ? ', terminating' : ''}${age !== undefined ? `, created ${formatDuration(age)} ago` : ''}`)],
        remediation: [
          ...fenceNodeSteps(nodeName, undefined),
          {
            text: 'Remove the pod object so its controller re-creates it on a live node (the pod garbage collector should have; it may be lagging or disabled).',
            command: kubectl.forceDeletePod(pod.metadata.name, ns),
            safeWhen: `the machine behind ${nodeName} is confirmed terminated or powered off`,
          },
        ],
      }));
    }
    return findings;
  },
};
