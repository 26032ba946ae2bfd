// At most one: a StatefulSet runs one pod per identity, and Kubernetes keeps that promise only while
// it knows the old pod is gone. Force-deleting a pod whose node may still run it lets a second copy
// start on the same volume. So every remedy that removes a pod or an attachment from a lost node
// goes through `recoverFromNode`, which owns the only safe order: confirm the machine is off, fence
// it (the out-of-service taint), recover, and only then, on its own condition, un-fence.

import { isNodeReady, isOutOfService, nodeReadyCondition, type ClusterModel } from '../../model/cluster-model.ts';
import { formatDuration } from '../../model/time.ts';
import type { Node } from '../../model/types.ts';
import { kubectl } from '../commands.ts';
import { remedy, type RemediationStep } from '../finding.ts';
import { NODE_LOST_GRACE } from '../thresholds.ts';

/**
 * - missing: no Node object; lost: NotReady for longer than the eviction grace;
 * - not-ready-briefly: NotReady, but for less than that (a kubelet restart, a network blip:
 *   Kubernetes itself waits, and so does every remedy), or for a time nothing records: fencing
 *   advice on a guess could start a second copy of a replica, waiting costs one more look;
 * - out-of-service: fenced (tainted and not Ready, see isFenced in the model);
 * - out-of-service-ready: tainted but Ready again: its kubelet runs, so it is not fenced (the taint
 *   is removed only after recovery, or was set on a node that was never down);
 * - unseen: Nodes are hidden from this analysis, so nothing is concluded about them.
 */
export type NodeState = 'missing' | 'lost' | 'not-ready-briefly' | 'out-of-service' | 'out-of-service-ready' | 'ready' | 'unseen';

export function nodeState(model: ClusterModel, name: string): NodeState {
  if (!model.sees('Node')) return 'unseen';
  const node = model.nodes.get(name);
  if (!node) return 'missing';
  if (isOutOfService(node)) return isNodeReady(node) ? 'out-of-service-ready' : 'out-of-service';
  if (isNodeReady(node)) return 'ready';
  const down = notReadyFor(model, node);
  return down !== undefined && down >= NODE_LOST_GRACE ? 'lost' : 'not-ready-briefly';
}

/** How long the node has been NotReady: since its Ready condition changed, or, when that time is
 *  missing, since the kubelet last reported (an unreachable node's heartbeat stops when it goes). */
function notReadyFor(model: ClusterModel, node: Node): number | undefined {
  const ready = nodeReadyCondition(node);
  return model.since(ready?.lastTransitionTime ?? ready?.lastHeartbeatTime);
}

/** A node is gone or down for good: its pods and attachments may be recovered once it is fenced. */
export function isLostNode(state: NodeState): boolean {
  return state === 'missing' || state === 'lost' || state === 'out-of-service';
}

export function nodeStateText(model: ClusterModel, name: string): string {
  const state = nodeState(model, name);
  if (state === 'missing') return `node ${name} does not exist`;
  if (state === 'out-of-service') return `node ${name} is tainted out-of-service`;
  if (state === 'out-of-service-ready') return `node ${name} is tainted out-of-service but Ready: its kubelet runs again, so it is not fenced`;
  if (state === 'ready') return `node ${name} is Ready`;
  if (state === 'unseen') return `node ${name} (Nodes could not be read)`;
  const node = model.nodes.get(name)!;
  const ready = nodeReadyCondition(node);
  const down = notReadyFor(model, node);
  return `node ${name} is NotReady ${down !== undefined ? `for ${formatDuration(down)}` : 'since a time its Ready condition does not record'}${ready?.reason ? ` (${ready.reason})` : ''}`;
}

/** The stsvol command that performs a recovery (shown as a plan until --apply), e.g. 'pod/web-0 -n db'. */
export function stsvolRecover(model: ClusterModel, node: string, target: string): RemediationStep {
  const state = nodeState(model, node);
  const flag = state === 'missing' || state === 'out-of-service' ? '' : ' --node-is-down';
  return {
    text: `stsvol takes the by-hand steps in this order, journaled and resumable${flag ? ', once you state that the machine is off' : ''}; it shows the plan first and changes nothing without --apply.`,
    command: `stsvol recover ${target}${flag}`,
    safeWhen: flag ? `the machine behind ${node} is confirmed powered off` : undefined,
  };
}

/** The recovery `steps` of a pod or attachment on a lost node, fenced on both sides. Call only for
 *  a state `isLostNode` accepts. With `automated` (the stsvol command that performs them) there are
 *  two ways, never to be mixed: that command, or the same steps by hand. */
export function recoverFromNode(model: ClusterModel, name: string, steps: RemediationStep[], automated?: RemediationStep): RemediationStep[] {
  const byHand = manualRecovery(model, name, steps);
  return automated ? remedy([], { title: 'with stsvol', steps: [automated] }, { title: 'by hand', steps: byHand }) : byHand;
}

function manualRecovery(model: ClusterModel, name: string, steps: RemediationStep[]): RemediationStep[] {
  const state = nodeState(model, name);
  if (state === 'missing') {
    return [
      { text: `Confirm in the cloud console or hypervisor that the machine behind ${name} is terminated or powered off: a deleted Node object does not stop containers still running on it.` },
      ...steps,
    ];
  }
  const unfence: RemediationStep = {
    text: `Last, once the machine behind ${name} is repaired and its kubelet Ready again (or the node is deleted), remove the out-of-service taint so pods may run there again.`,
    command: kubectl.untaintOutOfService(name),
    safeWhen: `${name} is repaired and Ready, or deleted; and every step above is done`,
  };
  if (state === 'out-of-service') return [...steps, unfence];
  return [
    { text: `Confirm that the machine behind ${name} is powered off (cloud console, BMC); a NotReady node may still run its pods and write to its volumes.` },
    {
      text: 'Mark it out of service: the pod garbage collector then deletes its terminating pods and the attach-detach controller detaches its volumes at once (non-graceful node shutdown, GA 1.28).',
      command: kubectl.taintOutOfService(name),
      safeWhen: `the machine behind ${name} is confirmed powered off`,
    },
    ...steps,
    unfence,
  ];
}

/** What to do while a node is only briefly NotReady: nothing yet, and why. */
export function waitForNode(model: ClusterModel, name: string): RemediationStep {
  return {
    text: `${nodeStateText(model, name)}: Kubernetes itself waits ${formatDuration(NODE_LOST_GRACE)} before it treats a node as lost. Do not fence or force-delete yet; if it stays NotReady, run doctor again.`,
    command: kubectl.describe('node', name),
  };
}
