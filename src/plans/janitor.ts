// The attachment janitor's judgement (seed 001, case 3), replacing the CronJob that deleted every
// VolumeAttachment of a NotReady node. An attachment is let go only when its node is fenced: the
// Node object is gone, or tainted out-of-service (someone stated the machine is off) and not Ready.
// A node that is merely NotReady may still run the pod and write to the disk; one that is Ready
// again under the taint runs its kubelet. And never while a running pod on
// another node uses the volume: some drivers unpublish by volume rather than by node, so deleting
// the stale attachment could pull the disk from under the live replica; that one is reported.

import { nodeState, nodeStateText } from '../checks/recipes/fencing.ts';
import type { ClusterModel } from '../model/cluster-model.ts';
import type { VolumeAttachment } from '../model/types.ts';

export type JanitorReason = 'node-deleted' | 'node-out-of-service';

export interface JanitorAction {
  attachment: VolumeAttachment;
  reason: JanitorReason;
  /** For the Event and the log. */
  message: string;
}

export interface JanitorHold {
  attachment: VolumeAttachment;
  why: string;
}

export function judgeAttachments(model: ClusterModel): { act: JanitorAction[]; hold: JanitorHold[] } {
  const act: JanitorAction[] = [];
  const hold: JanitorHold[] = [];
  for (const va of model.snapshot.attachments) {
    const node = va.spec.nodeName;
    const state = nodeState(model, node);
    if (state !== 'missing' && state !== 'out-of-service') {
      if (state === 'lost' || state === 'not-ready-briefly') hold.push({ attachment: va, why: `${nodeStateText(model, node)} but is not fenced (deleted, or tainted out-of-service and not Ready)` });
      if (state === 'out-of-service-ready') hold.push({ attachment: va, why: nodeStateText(model, node) });
      continue;
    }
    if (va.metadata.deletionTimestamp) {
      hold.push({ attachment: va, why: 'it is being deleted already; the external-attacher finishes the detach' });
      continue;
    }
    const runningElsewhere = podsRunningElsewhere(model, va);
    if (runningElsewhere.length) {
      hold.push({ attachment: va, why: `pod ${runningElsewhere.join(', ')} runs with the volume on another node; deleting this attachment could detach it there` });
      continue;
    }
    act.push({
      attachment: va,
      reason: state === 'missing' ? 'node-deleted' : 'node-out-of-service',
      message: `${va.metadata.name} holds ${va.spec.source.persistentVolumeName ?? 'an inline volume'} on ${node}, and ${nodeStateText(model, node)}: deleting it so the disk can attach elsewhere`,
    });
  }
  return { act, hold };
}

function podsRunningElsewhere(model: ClusterModel, va: VolumeAttachment): string[] {
  const pvName = va.spec.source.persistentVolumeName;
  const pv = pvName ? model.volumes.get(pvName) : undefined;
  const claim = pv && model.claimOf(pv);
  if (!claim) return [];
  return model.podsUsing(claim)
    .filter((p) => p.status?.phase === 'Running' && p.spec?.nodeName && p.spec.nodeName !== va.spec.nodeName && !p.metadata.deletionTimestamp)
    .map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
}
