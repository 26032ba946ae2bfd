// KEP-2268's out-of-service taint is how a person says "this machine is off": with it, and the node
// not Ready, the pod garbage collector force-deletes the node's terminating pods and the
// attach-detach controller detaches its volumes at once. The taint is removed by hand, after
// recovery, so a node that is Ready again still carries it for a while, and a node tainted by
// mistake carries it while it runs. Either way it is not fenced (its kubelet runs), every fenced
// action refuses it, and the NoExecute taint keeps evicting what lands there: say so.

import { isNodeReady, isOutOfService, nodeReadyCondition, refOf } from '../../model/cluster-model.ts';
import { OUT_OF_SERVICE_TAINT } from '../../model/annotations.ts';
import type { Check } from '../check.ts';
import { kubectl } from '../commands.ts';
import { conditionEvidence, fieldEvidence } from '../evidence.ts';
import { remedy } from '../finding.ts';

const ID = 'fenced-node-ready';

export const fencedNodeReady: Check = {
  id: ID,
  run(scope) {
    const { model } = scope;
    return scope.each(model.nodes.values(), (node) => {
      if (!isOutOfService(node) || !isNodeReady(node)) return undefined;
      const name = node.metadata.name;
      const taint = node.spec!.taints!.find((t) => t.key === OUT_OF_SERVICE_TAINT)!;
      const holders = model.podsOnNode(name).filter((p) => !p.metadata.deletionTimestamp && model.claimsOf(p).length > 0);
      return scope.raise({
        object: refOf(node),
        cause: refOf(node),
        related: holders.map(refOf),
        message: `node ${name} reports Ready but is still tainted out-of-service: it is not fenced (its kubelet runs), so stsvol will not force-delete or detach anything there, and the taint keeps evicting pods without a toleration`,
        evidence: [
          fieldEvidence(node, `spec.taints: ${taint.key}=${taint.value ?? ''}:${taint.effect}`),
          conditionEvidence(node, nodeReadyCondition(node)!),
        ],
        remediation: remedy([],
          {
            title: `${name} was repaired and is meant to run pods again`,
            steps: [{ text: 'Remove the fence (the last step of every recovery).', command: kubectl.untaintOutOfService(name), safeWhen: `${name} is repaired and every pod recovered from it runs elsewhere` }],
          },
          { title: `${name} is meant to be down`, steps: [{ text: `It is not: its kubelet reports Ready. Power it off (or cut it off) before anything of it is force-deleted; until then no pod of it is recovered elsewhere.` }] },
        ),
      });
    });
  },
};
