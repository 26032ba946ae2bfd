// At most one: a StatefulSet runs one pod per identity, and Kubernetes keeps that promise only while
// it knows the old pod is gone. Force-deleting a pod whose node may still run it lets a second copy
// start on the same volume. So every remedy that removes a pod or an attachment from a lost node
// first fences the node, and says so.

import { isNodeReady, isOutOfService, nodeReadyCondition } from '../model/cluster-model.ts';
import type { Node } from '../model/types.ts';
import { kubectl } from './commands.ts';
import type { RemediationStep } from './finding.ts';

export type NodeState = 'missing' | 'not-ready' | 'out-of-service' | 'ready';

export function nodeState(node: Node | undefined): NodeState {
  if (!node) return 'missing';
  if (isOutOfService(node)) return 'out-of-service';
  return isNodeReady(node) ? 'ready' : 'not-ready';
}

export function nodeStateText(name: string, node: Node | undefined): string {
  const state = nodeState(node);
  if (state === 'missing') return `node ${name} does not exist`;
  if (state === 'out-of-service') return `node ${name} is tainted out-of-service`;
  const ready = node && nodeReadyCondition(node);
  if (state === 'ready') return `node ${name} is Ready`;
  return `node ${name} is NotReady${ready?.lastTransitionTime ? ` since ${ready.lastTransitionTime}` : ''}${ready?.reason ? ` (${ready.reason})` : ''}`;
}

/** Steps that fence a lost node so Kubernetes itself releases its pods and volumes. */
export function fenceNodeSteps(name: string, node: Node | undefined): RemediationStep[] {
  const state = nodeState(node);
  if (state === 'missing') {
    return [{ text: `Confirm in the cloud console or hypervisor that the machine behind ${name} is terminated or powered off: a deleted Node object does not stop containers still running on it.` }];
  }
  if (state === 'not-ready') {
    return [
      { text: `Confirm that the machine behind ${name} is powered off (cloud console, BMC); a NotReady node may still run its pods and write to its volumes.` },
      {
        text: `Mark it out of service: the pod garbage collector then deletes its terminating pods and the attach-detach controller detaches its volumes at once (non-graceful node shutdown, GA 1.28).`,
        command: kubectl.taintOutOfService(name),
        safeWhen: `the machine behind ${name} is confirmed powered off`,
      },
      { text: `Once the node is repaired and back (or deleted), remove the taint.`, command: kubectl.untaintOutOfService(name) },
    ];
  }
  return [];
}
