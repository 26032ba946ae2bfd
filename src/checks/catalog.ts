// The check catalog: every id doctor can raise, its default severity, a title and what it means.
// The ids are a public contract (scripts filter on them); the code that raises them lives in one
// file per check beside this one. README's catalog table is generated from this list by a test.

import type { KindName } from '../model/kinds.ts';
import type { Severity } from './finding.ts';

export interface CatalogEntry {
  severity: Severity;
  title: string;
  docs: string;
  /** Kinds the check reads; a kind the cluster hides from us weakens these checks. */
  needs: KindName[];
}

export const CATALOG = {
  'stale-pv-reuse': {
    severity: 'critical',
    title: 'Volume provisioned for an earlier claim reused by a StatefulSet',
    docs: 'A dynamically provisioned PV much older than the StatefulSet claim it is bound to was made for another claim: the replica starts on stale data. An Available dynamically provisioned PV open to any claim, in a class a StatefulSet template uses, will be bound by the next replica that scales up (warning; a PV pre-bound to one claim is not).',
    needs: ['PersistentVolume', 'PersistentVolumeClaim', 'StatefulSet'],
  },
  'released-pv': {
    severity: 'info',
    title: 'Released volume kept (and billed)',
    docs: 'A PV whose claim was deleted stays Released under reclaimPolicy Retain: its disk is still billed and its data still there. Under Delete it should vanish; a Released PV with Delete means the deleter is failing (warning).',
    needs: ['PersistentVolume'],
  },
  'orphan-pvc': {
    severity: 'info',
    title: 'Claim left behind by a scale-down, or unused for long',
    docs: 'A claim of a StatefulSet ordinal ≥ replicas (left by a scale-down; the next scale-up reuses it with its old data), or a claim no pod has mounted for a week.',
    needs: ['PersistentVolumeClaim', 'StatefulSet', 'Pod'],
  },
  'pod-on-missing-node': {
    severity: 'critical',
    title: 'Pod bound to a node that does not exist',
    docs: 'The pod names a node with no Node object, longer than the pod garbage collector takes to remove it (it does within a minute of the node\'s deletion). Its StatefulSet cannot re-create the ordinal until the pod object is gone. Force deletion is safe only once the machine is confirmed gone.',
    needs: ['Pod', 'Node'],
  },
  'stuck-terminating': {
    severity: 'critical',
    title: 'Pod stuck terminating',
    docs: 'A pod past its deletion deadline (deletionTimestamp + 5m). The finding says why (node NotReady or missing, finalizers, unmount failures) and what it blocks: a StatefulSet cannot re-create that ordinal. Pods of other controllers are a warning. Fencing is advised only for a node gone, or NotReady past the 5-minute eviction grace; before that the remedy is to wait.',
    needs: ['Pod', 'Node', 'Event'],
  },
  'fenced-node-ready': {
    severity: 'warning',
    title: 'Node Ready but still tainted out-of-service',
    docs: 'A node carries the node.kubernetes.io/out-of-service taint and reports Ready. Fenced means gone, or tainted and not Ready: the pod garbage collector force-deletes only then, and so do stsvol recover and the janitor. A Ready node under the taint runs its kubelet (it was repaired, or never down), so nothing there is fenced, and the NoExecute taint keeps evicting its pods. Remove the taint once the node is repaired; if it should be down, find out why it reports Ready.',
    needs: ['Node'],
  },
  'stale-volumeattachment': {
    severity: 'warning',
    title: 'VolumeAttachment left on a lost node, failing, or stuck deleting',
    docs: 'A VolumeAttachment holds a volume on a node that is missing or NotReady, carries attach/detach errors, or has been deleting longer than the 6-minute force-detach window. Critical when another node needs the volume.',
    needs: ['VolumeAttachment', 'Node', 'Pod', 'PersistentVolume'],
  },
  'multi-attach': {
    severity: 'critical',
    title: 'ReadWriteOnce volume wanted on two nodes',
    docs: 'A pod has waited more than 3 minutes (longer than a normal reschedule) for a volume attached elsewhere: Multi-Attach events, attachments of one volume on two nodes, or pods on different nodes sharing one RWO claim. The finding names the node and the pods that hold the volume.',
    needs: ['Event', 'VolumeAttachment', 'Pod', 'PersistentVolumeClaim', 'PersistentVolume'],
  },
  'volume-mount-timeout': {
    severity: 'critical',
    title: 'Pod waiting on its volumes',
    docs: 'A pod has waited longer than 3 minutes before any container ran (ContainerCreating, Init:0/n) with a current FailedMount / FailedAttachVolume event; the finding quotes the underlying error. A pod whose containers run or wait on something else (ImagePullBackOff) has its volumes. Multi-Attach errors are reported by multi-attach instead.',
    needs: ['Pod', 'Event'],
  },
  'pvc-provisioning-failed': {
    severity: 'warning',
    title: 'Claim Pending: provisioning failed',
    docs: 'A claim is Pending with a current ProvisioningFailed event; the finding quotes the cause (quota, capacity, zone, parameters). Critical when a pod waits for the claim. A WaitForFirstConsumer claim whose consumer is gone is waiting, not failing.',
    needs: ['PersistentVolumeClaim', 'Event'],
  },
  'pvc-no-provisioner': {
    severity: 'warning',
    title: 'Claim waits on a provisioner nobody runs',
    docs: 'A claim has been Pending for more than 5 minutes on a class whose provisioner no CSIDriver serves and that has not acted on the claim. WaitForFirstConsumer claims without a consumer are normal and left alone. Critical when a pod waits for the claim.',
    needs: ['PersistentVolumeClaim', 'StorageClass', 'CSIDriver', 'Event'],
  },
  'missing-storageclass': {
    severity: 'critical',
    title: 'Claim or claim template names a missing StorageClass',
    docs: 'A Pending claim, or a StatefulSet claim template (warning: the next replica will hang), names a class that does not exist; or a claim names no class in a cluster without a default class, so nothing will ever provision it.',
    needs: ['PersistentVolumeClaim', 'StorageClass', 'StatefulSet'],
  },
  'storage-quota-exceeded': {
    severity: 'critical',
    title: 'Claims refused by a ResourceQuota',
    docs: 'The StatefulSet controller reports FailedCreate for a claim because a quota\'s storage key (requests.storage, persistentvolumeclaims, or their per-class forms) is used up (critical; the remedy raises exactly that key), or a storage quota is used up (warning: the next claim will be refused). A hard limit of 0 forbids a class: reported as a policy, never as used up.',
    needs: ['ResourceQuota', 'Event', 'StatefulSet'],
  },
  'volume-node-affinity-conflict': {
    severity: 'critical',
    title: "Pod cannot be scheduled where its volume lives",
    docs: "The scheduler reports a volume node affinity conflict, or the pod's bound volume is pinned (zone) to nodes of which none is schedulable. A pod cluster-autoscaler triggered a scale-up for in the last 10 minutes is waiting for its node, not stuck.",
    needs: ['Pod', 'PersistentVolume', 'Node', 'Event'],
  },
  'attach-limit': {
    severity: 'warning',
    title: 'Nodes at their CSI attach limit',
    docs: "Pods wait on the scheduler's \"max volume count\" (critical), or nodes hold as many attachments as their CSINode allows (warning: no further pod with a volume lands there). A pod cluster-autoscaler triggered a scale-up for in the last 10 minutes is waiting for its node, not stuck.",
    needs: ['CSINode', 'VolumeAttachment', 'Event', 'Pod'],
  },
  'resize-fs-pending': {
    severity: 'warning',
    title: 'File system resize waiting for the node',
    docs: 'FileSystemResizePending (or NodeResizePending) for longer than 10 minutes: the disk grew but the file system did not. Shorter is normal during online expansion.',
    needs: ['PersistentVolumeClaim', 'Pod'],
  },
  'resize-failed': {
    severity: 'warning',
    title: 'Volume expansion failed',
    docs: 'Controller or node resize errors, or an infeasible resize status. The finding quotes the cause and the recovery (RecoverVolumeExpansionFailure, GA 1.34: the request may be lowered to a size strictly above status.capacity).',
    needs: ['PersistentVolumeClaim', 'Event'],
  },
  'resize-unsupported': {
    severity: 'warning',
    title: 'More storage requested than anything will ever provide',
    docs: 'A claim requests more than its capacity and nothing will expand it: the class does not allow expansion, its provisioner cannot expand (local-path, NFS subdir, static local volumes, hostPath), or the expander reports no plugin and no external resizer acted.',
    needs: ['PersistentVolumeClaim', 'StorageClass', 'PersistentVolume', 'Event'],
  },
  'sts-template-drift': {
    severity: 'warning',
    title: "StatefulSet claim template size differs from its claims",
    docs: "Claims were expanded (or the template was) but not both: new replicas get another size than the existing ones. A resize in flight or finished within 10 minutes is a runbook in progress and not counted.",
    needs: ['StatefulSet', 'PersistentVolumeClaim'],
  },
  'auto-expand-blocked': {
    severity: 'warning',
    title: 'Claim opted in to auto-expansion that cannot grow',
    docs: 'A claim (or its StatefulSet) carries stsvol.io/auto-expand: "true", but its policy annotations cannot be read, its class does not allow expansion or its provisioner cannot expand, or it has reached stsvol.io/expand-max-size: it will fill up unattended. The operator also raises it when an expansion it needs is refused (a ResourceQuota).',
    needs: ['PersistentVolumeClaim', 'StorageClass', 'StatefulSet'],
  },
} as const satisfies Record<string, CatalogEntry>;

export type CheckId = keyof typeof CATALOG;

export const CHECK_IDS = Object.keys(CATALOG) as CheckId[];

export function isCheckId(id: string): id is CheckId {
  return Object.hasOwn(CATALOG, id);
}

/** The checks a hidden kind weakens, for the notice that reports it. */
export function checksNeeding(kind: string): CheckId[] {
  return CHECK_IDS.filter((id) => (CATALOG[id].needs as readonly string[]).includes(kind));
}
