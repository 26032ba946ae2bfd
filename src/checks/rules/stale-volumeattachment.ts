// Seed 001: a VolumeAttachment keeps a disk on a node that is gone or NotReady, or carries attach or
// detach errors, or hangs while being deleted. While it stands, the disk cannot attach anywhere else.

import { refOf, type ClusterModel } from '../../model/cluster-model.ts';
import { formatDuration } from '../../model/time.ts';
import type { VolumeAttachment } from '../../model/types.ts';
import type { Check, CheckScope } from '../check.ts';
import { kubectl, stsvolTarget } from '../commands.ts';
import { fieldEvidence } from '../evidence.ts';
import type { Evidence, Finding, RemediationStep } from '../finding.ts';
import { isLostNode, nodeState, nodeStateText, recoverFromNode, stsvolRecover } from '../recipes/fencing.ts';
import { DETACH_GRACE, MOUNT_GRACE } from '../thresholds.ts';
import { isWaitingPod } from '../workload.ts';

const ID = 'stale-volumeattachment';

export const staleVolumeAttachment: Check = {
  id: ID,
  run(scope) {
    return scope.each(scope.model.snapshot.attachments, (va) => judge(scope, va));
  },
};

interface Trouble {
  reasons: string[];
  evidence: Evidence[];
  nodeLost: boolean;
}

function troubleOf(model: ClusterModel, va: VolumeAttachment): Trouble {
  const trouble: Trouble = { reasons: [], evidence: [], nodeLost: false };
  const nodeName = va.spec.nodeName;
  const node = model.nodes.get(nodeName);
  if (isLostNode(nodeState(model, nodeName)) && nodeState(model, nodeName) !== 'out-of-service') {
    trouble.nodeLost = true;
    trouble.reasons.push(nodeStateText(model, nodeName));
    trouble.evidence.push(fieldEvidence(node ?? va, node ? nodeStateText(model, nodeName) : `spec.nodeName=${nodeName}, no such Node`));
  }
  // An attach retried for a minute or two is normal; a detach error exists only once deletion began.
  const failingSince = { attach: model.since(va.metadata.creationTimestamp), detach: model.since(va.metadata.deletionTimestamp) };
  for (const [label, error] of [['attach', va.status?.attachError], ['detach', va.status?.detachError]] as const) {
    const age = failingSince[label];
    if (!error?.message || (age !== undefined && age < MOUNT_GRACE)) continue;
    trouble.reasons.push(`its ${label} fails`);
    trouble.evidence.push(fieldEvidence(va, `status.${label}Error: ${error.message}`, error.time));
  }
  const deleting = model.since(va.metadata.deletionTimestamp);
  if (deleting !== undefined && deleting >= DETACH_GRACE) {
    trouble.reasons.push(`it has been deleting for ${formatDuration(deleting)}`);
    trouble.evidence.push(fieldEvidence(va, `deletionTimestamp=${va.metadata.deletionTimestamp}, finalizers=[${(va.metadata.finalizers ?? []).join(', ')}]`, va.metadata.deletionTimestamp));
  }
  return trouble;
}

/** Nodes other than the attachment's that want the same volume: another attachment, or a waiting pod. */
function wantedElsewhere(model: ClusterModel, va: VolumeAttachment): { nodes: string[]; pods: string[] } {
  const pvName = va.spec.source.persistentVolumeName;
  const nodes = new Set<string>();
  const pods: string[] = [];
  if (!pvName) return { nodes: [], pods };
  for (const other of model.attachmentsOfVolume(pvName)) if (other.spec.nodeName !== va.spec.nodeName) nodes.add(other.spec.nodeName);
  const pv = model.volumes.get(pvName);
  const claim = pv && model.claimOf(pv);
  for (const pod of claim ? model.podsUsing(claim) : []) {
    if (isWaitingPod(pod) && pod.spec?.nodeName && pod.spec.nodeName !== va.spec.nodeName) {
      nodes.add(pod.spec.nodeName);
      pods.push(`${pod.metadata.namespace}/${pod.metadata.name}`);
    }
  }
  return { nodes: [...nodes], pods };
}

function judge(scope: CheckScope, va: VolumeAttachment): Finding | undefined {
  const { model } = scope;
  const trouble = troubleOf(model, va);
  if (!trouble.reasons.length) return undefined;
  const pvName = va.spec.source.persistentVolumeName;
  const elsewhere = wantedElsewhere(model, va);
  const needed = elsewhere.nodes.length > 0;
  const pv = pvName ? model.volumes.get(pvName) : undefined;
  const claim = pv && model.claimOf(pv);
  const neededText = needed ? `; ${elsewhere.pods.length ? `pod ${elsewhere.pods.join(', ')}` : `node ${elsewhere.nodes.join(', ')}`} waits for the volume on ${elsewhere.nodes.join(', ')}` : '';
  return scope.raise({
    severity: needed ? 'critical' : undefined,
    object: refOf(va),
    ...(trouble.nodeLost ? { cause: { kind: 'Node', name: va.spec.nodeName } } : {}),
    related: [
      { kind: 'Node', name: va.spec.nodeName },
      ...(pvName ? [{ kind: 'PersistentVolume', name: pvName }] : []),
      ...(claim ? [refOf(claim)] : []),
      ...elsewhere.nodes.map((n) => ({ kind: 'Node', name: n })),
    ],
    message: `${va.metadata.name} holds ${pvName ?? 'an inline volume'} (${va.spec.attacher}) on ${va.spec.nodeName}, attached=${va.status?.attached ?? false}, and ${trouble.reasons.join(' and ')}${neededText}`,
    evidence: trouble.evidence,
    remediation: remedy(model, va, trouble),
  });
}

function remedy(model: ClusterModel, va: VolumeAttachment, trouble: Trouble): RemediationStep[] {
  const nodeName = va.spec.nodeName;
  const steps: RemediationStep[] = [];
  if (va.status?.attachError || va.status?.detachError) {
    steps.push({ text: 'Read the error in full and fix its cause in the storage backend (disk still attached to the instance, quota, permissions); the external-attacher retries by itself.', command: kubectl.get('volumeattachment', va.metadata.name) });
  }
  if (trouble.nodeLost) {
    steps.push({ text: 'The attach-detach controller then detaches by itself: at once with the out-of-service taint, or 6 minutes after the pods are deleted from an unhealthy node. Wait for that first.' });
  }
  steps.push({
    text: 'If it still stands, delete the VolumeAttachment: the external-attacher detaches the disk and then lets the object go.',
    command: kubectl.delete('volumeattachment', va.metadata.name),
    safeWhen: trouble.nodeLost ? `${nodeName} is fenced (gone, powered off, or tainted out-of-service)` : `no pod on ${nodeName} uses the volume any more`,
  });
  if (va.metadata.deletionTimestamp) {
    steps.push({
      text: 'A VolumeAttachment stuck deleting waits on its finalizer until the detach succeeds. Remove the finalizer by hand only after checking in the storage backend that the disk is detached from that machine.',
      command: kubectl.patch('volumeattachment', va.metadata.name, undefined, { metadata: { finalizers: null } }),
      safeWhen: `the storage backend shows the disk detached from ${nodeName}`,
    });
  }
  return trouble.nodeLost ? recoverFromNode(model, nodeName, steps, stsvolRecover(model, nodeName, stsvolTarget('volumeattachment', va.metadata.name))) : steps;
}
