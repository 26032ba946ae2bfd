// `stsvol recover`: seeds 000, 001 and 004 as a plan. A pod (or every volume-holding pod of a node,
// or one attachment) stuck on a dead node is recovered in the only order that keeps at most one copy
// of a replica: the node is fenced first (gone, tainted out-of-service, or stated powered off by the
// user, which the journal records), then the pod is force-deleted, its volumes detached, and its
// replacement awaited elsewhere. A node that reports Ready is never fenced by stsvol.

import { nodeState, nodeStateText } from '../checks/recipes/fencing.ts';
import type { ClusterModel } from '../model/cluster-model.ts';
import { InputError } from '../model/errors.ts';
import type { Pod } from '../model/types.ts';
import { kubectl } from '../checks/commands.ts';
import type { Plan, PlanResult, Refusal, Step, Target } from './plan.ts';
import { byName, targetOf } from './targets.ts';

export interface RecoverRequest {
  kind: 'pod' | 'node' | 'volumeattachment';
  name: string;
  /** The namespace of a pod, and where the journal lives. */
  namespace: string;
  /** The user confirms the node's machine is powered off (recorded in the journal). */
  nodeIsDown?: boolean;
}

/** Where journals of cluster-scoped subjects (nodes, attachments) live. */
export const CLUSTER_JOURNAL_NAMESPACE = 'default';

export function planRecover(model: ClusterModel, req: RecoverRequest): PlanResult {
  const { node, pods, attachment, subject, namespace } = subjectOf(model, req);
  const refusals = fencingRefusals(model, node, Boolean(req.nodeIsDown));
  const state = nodeState(model, node);
  const steps: Step[] = [];
  const fence = state !== 'missing' && state !== 'out-of-service';
  if (fence) {
    steps.push({
      id: `fence:${node}`, title: `Fence node ${node}: taint it out-of-service (its machine is confirmed off)`,
      action: { verb: 'taint-out-of-service', target: { kind: 'Node', name: node } },
      requires: [{ type: 'node-not-ready', node }], until: { type: 'node-fenced', node },
      undo: kubectl.untaintOutOfService(node),
    });
  }
  for (const pod of pods) steps.push(...recoverPod(model, pod, node, state === 'missing'));
  if (attachment) {
    const target: Target = { kind: 'VolumeAttachment', name: attachment.name, ...(attachment.uid ? { uid: attachment.uid } : {}) };
    steps.push({
      id: `detach:${attachment.name}`, title: `Delete volume attachment ${attachment.name} of fenced node ${node}`,
      action: { verb: 'delete', target }, requires: [{ type: 'node-fenced', node }], until: { type: 'gone', target },
      undo: 'none needed: the attach-detach controller attaches the volume again wherever a pod needs it',
    });
  }
  const plan: Plan = {
    operation: 'recover', subject, namespace, steps: firstOfEachId(steps),
    request: { kind: req.kind, name: req.name, namespace: req.namespace, nodeIsDown: Boolean(req.nodeIsDown) },
    summary: [
      `${nodeStateText(model, node)}.`,
      req.nodeIsDown ? `You state that the machine behind ${node} is powered off (--node-is-down); the journal records it.` : '',
      pods.length ? `Recover ${pods.map((p) => p.metadata.name).join(', ')}: force-delete after fencing, detach, wait for the replacement on another node.` : '',
    ].filter(Boolean),
    warnings: [
      ...(state === 'missing' ? [`Node ${node} no longer exists; make sure the machine behind it is terminated: a deleted Node object does not stop its containers.`] : []),
      ...pods.flatMap((p) => controllerMissing(model, p)),
    ],
    afterwards: fence || state === 'out-of-service' ? [`Once the machine behind ${node} is repaired and its kubelet Ready (or the node is deleted), remove the fence: ${kubectl.untaintOutOfService(node)}`] : [],
  };
  return { plan, refusals };
}

interface Subject {
  node: string;
  pods: Pod[];
  attachment?: { name: string; uid?: string };
  subject: Target;
  namespace: string;
}

function subjectOf(model: ClusterModel, req: RecoverRequest): Subject {
  if (req.kind === 'pod') {
    const pod = model.pod(req.namespace, req.name);
    if (!pod) throw new InputError(`pod/${req.name}: not found in namespace ${req.namespace}`);
    const node = pod.spec?.nodeName;
    if (!node) throw new InputError(`pod/${req.name} is not on a node: nothing to recover from (stsvol doctor says why it waits)`);
    // The pod is the subject, so a recovery has its own journal and runs beside an operation on its
    // StatefulSet that stopped (a resize waiting on exactly this replica).
    return { node, pods: [pod], subject: byName(targetOf('Pod', pod)), namespace: req.namespace };
  }
  if (req.kind === 'node') {
    const pods = model.podsOnNode(req.name).filter((p) => model.claimsOf(p).length > 0);
    if (!model.nodes.has(req.name) && pods.length === 0) throw new InputError(`node/${req.name}: no such node, and no pod with volumes is bound to it`);
    return { node: req.name, pods, subject: { kind: 'Node', name: req.name }, namespace: CLUSTER_JOURNAL_NAMESPACE };
  }
  const va = model.snapshot.attachments.find((a) => a.metadata.name === req.name);
  if (!va) throw new InputError(`volumeattachment/${req.name}: not found`);
  return { node: va.spec.nodeName, pods: [], attachment: { name: va.metadata.name, uid: va.metadata.uid }, subject: { kind: 'VolumeAttachment', name: va.metadata.name }, namespace: CLUSTER_JOURNAL_NAMESPACE };
}

function fencingRefusals(model: ClusterModel, node: string, nodeIsDown: boolean): Refusal[] {
  const state = nodeState(model, node);
  if (state === 'ready') return [{ code: 'node-ready', message: `node ${node} is Ready: its pods may be running, and force-deleting one would start a second copy on the same volume (at most one, seed 004). Nothing to recover` }];
  if (state === 'out-of-service-ready') {
    return [{ code: 'node-ready-fenced', message: `node ${node} is tainted out-of-service but reports Ready: its kubelet runs again, so it is not fenced and nothing is recovered there. If it was repaired, remove the taint (${kubectl.untaintOutOfService(node)}); if it is down, find out why it reports Ready` }];
  }
  if (state === 'unseen') return [{ code: 'node-unseen', message: `Nodes cannot be read, so nothing proves ${node} is down` }];
  if ((state === 'lost' || state === 'not-ready-briefly') && !nodeIsDown) {
    return [{ code: 'not-fenced', message: `${nodeStateText(model, node)} but not fenced: confirm its machine is powered off (cloud console, BMC), then run again with --node-is-down, or taint it out-of-service yourself` }];
  }
  return [];
}

/** A StatefulSet pod whose StatefulSet is gone (a resize stopped between its orphan delete and the
 *  re-create): nothing brings the pod back until the StatefulSet exists again. */
function controllerMissing(model: ClusterModel, pod: Pod): string[] {
  const name = model.statefulSetNameOf(pod);
  if (!name || model.statefulSetOf(pod) || !model.sees('StatefulSet')) return [];
  return [`statefulset ${name} does not exist: nothing creates ${pod.metadata.name} again until it does. If an stsvol operation deleted it with --cascade=orphan (stsvol ops), finish that operation (run its command again) or stsvol ops abandon it, which creates the StatefulSet again from its journal.`];
}

function recoverPod(model: ClusterModel, pod: Pod, node: string, nodeGone: boolean): Step[] {
  const target = targetOf('Pod', pod);
  const steps: Step[] = [{
    id: `delete:${pod.metadata.namespace}/${pod.metadata.name}`, title: `Force-delete pod ${pod.metadata.name} from fenced node ${node}`,
    action: { verb: 'delete', target, force: true }, requires: [{ type: 'node-fenced', node }], until: { type: 'gone', target },
    undo: 'none needed: its controller creates it again',
  }];
  for (const claim of model.claimsOf(pod)) {
    const pv = claim.spec?.volumeName;
    if (!pv) continue;
    const attachments = model.attachmentsOfVolume(pv).filter((va) => va.spec.nodeName === node);
    if (nodeGone) {
      for (const va of attachments) {
        const vaTarget = targetOf('VolumeAttachment', va);
        steps.push({
          id: `detach:${va.metadata.name}`, title: `Delete attachment ${va.metadata.name} of volume ${pv} to the deleted node ${node}`,
          action: { verb: 'delete', target: vaTarget }, requires: [{ type: 'node-gone', node }], until: { type: 'gone', target: vaTarget },
          undo: 'none needed: the volume is attached again where its pod runs',
        });
      }
    } else if (attachments.length) {
      steps.push({
        id: `detached:${pv}`, title: `Wait for the attach-detach controller to detach volume ${pv} from ${node}`, action: { verb: 'none' },
        requires: [], until: { type: 'detached', volume: pv, node }, undo: 'nothing changes in this step',
      });
    }
  }
  if (model.statefulSetOf(pod)) {
    steps.push({
      id: `replaced:${pod.metadata.namespace}/${pod.metadata.name}`, title: `Wait for ${pod.metadata.name} to run Ready on another node`, action: { verb: 'none' }, requires: [],
      until: { type: 'pod-ready', pod: byName(target), ...(pod.metadata.uid ? { notUid: pod.metadata.uid } : {}), notOnNode: node },
      undo: 'nothing changes in this step',
    });
  }
  return steps;
}

/** Pods sharing a volume (ReadWriteMany), or an attachment named both as the subject and as a pod's,
 *  give the same step twice: the journal keys state by id, so each is kept once. */
function firstOfEachId(steps: Step[]): Step[] {
  const seen = new Set<string>();
  return steps.filter((s) => !seen.has(s.id) && Boolean(seen.add(s.id)));
}
