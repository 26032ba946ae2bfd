// Every annotation, label, taint and finalizer name stsvol reads or writes, in one place; and the
// annotation keys and StorageClass parameters that load keeps (every other one is dropped before
// anything sees it, so a snapshot cannot carry it: values there may hold credentials).

/** Kubernetes' own. */
export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
export const BETA_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';
export const PROVISIONED_BY_ANNOTATION = 'pv.kubernetes.io/provisioned-by';
export const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';
export const STORAGE_PROVISIONER_ANNOTATION = 'volume.kubernetes.io/storage-provisioner';
export const BETA_STORAGE_PROVISIONER_ANNOTATION = 'volume.beta.kubernetes.io/storage-provisioner';
export const OUT_OF_SERVICE_TAINT = 'node.kubernetes.io/out-of-service';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** stsvol's own. */
export const STSVOL_PREFIX = 'stsvol.io/';
/** On a file written by `stsvol snapshot`: when the cluster was read (the clock of offline analysis). */
export const CAPTURED_AT_ANNOTATION = 'stsvol.io/captured-at';
/** On a file written by `stsvol snapshot`: the kinds it could not read and the objects it skipped,
 *  as JSON notices (recorded-notices.ts). */
export const NOTICES_ANNOTATION = 'stsvol.io/notices';
/** On a PV: the claim ("namespace/name") its data is given to on purpose; a binding to any other
 *  claim is still reported. */
export const REUSE_INTENDED_ANNOTATION = 'stsvol.io/reuse-intended';
/** On a PV: reserved for a claim that never exists, so that no claim binds it (its data is kept). */
export const QUARANTINED_ANNOTATION = 'stsvol.io/quarantined';
/** The namespace of that claim: stsvol never creates it, so the claim can never appear. */
export const QUARANTINE_NAMESPACE = 'stsvol-quarantine';

/** Auto-expansion (`stsvol operator --auto-expand`), on a claim or on its StatefulSet (the claim's
 *  own value wins). Only "true" opts in: growing a disk is not undone, so nothing grows by default. */
export const AUTO_EXPAND_ANNOTATION = 'stsvol.io/auto-expand';
/** When to grow: "85%" used (bytes or inodes), or "10Gi" free bytes left. */
export const EXPAND_THRESHOLD_ANNOTATION = 'stsvol.io/expand-threshold';
/** By how much: "25%" of the current size, or an absolute "20Gi"; rounded up to whole GiB. */
export const EXPAND_INCREMENT_ANNOTATION = 'stsvol.io/expand-increment';
/** Never beyond this size (required: an unbounded disk is a bill nobody chose). */
export const EXPAND_MAX_SIZE_ANNOTATION = 'stsvol.io/expand-max-size';
/** Grow when the trend says the volume fills within this time ("6h"), before the threshold. */
export const EXPAND_LEAD_TIME_ANNOTATION = 'stsvol.io/expand-lead-time';
/** Least time between two expansions of one volume ("6h"); the provider's own limit if longer. */
export const EXPAND_COOLDOWN_ANNOTATION = 'stsvol.io/expand-cooldown';
/** Written by the operator on the claim it grew: when (RFC 3339). Kept on the claim, not in memory,
 *  so a restarted operator or a new leader still honours the provider's modification interval. */
export const LAST_EXPANDED_ANNOTATION = 'stsvol.io/last-expanded-at';
/** Written with last-expanded-at: the size in bytes of the file system the expansion was decided on.
 *  Only samples of a larger file system describe the volume after it; with a small increment (10%)
 *  the old file system still looks like the claim's size, and its samples would grow it again. */
export const EXPANDED_FROM_ANNOTATION = 'stsvol.io/expanded-from-bytes';
/** On a VolumeSnapshot stsvol takes before a claim goes: the uid of that claim. */
export const SNAPSHOT_CLAIM_UID_LABEL = 'stsvol.io/claim-uid';
/** On a StatefulSet stsvol created again (resize): the uid of the operation's journal. A run that
 *  crashed between the create and its journal write finds the object by it and knows it as its own. */
export const RECREATED_BY_ANNOTATION = 'stsvol.io/recreated-by-journal';
/** On a StatefulSet: after its claims grew, re-create it so its claim template follows ("true"). */
export const TEMPLATE_SYNC_ANNOTATION = 'stsvol.io/template-sync';

/** On a pod (template): the volumes Velero backs up file by file; the volumes it leaves out. */
export const VELERO_BACKUP_VOLUMES_ANNOTATION = 'backup.velero.io/backup-volumes';
export const VELERO_BACKUP_VOLUMES_EXCLUDES_ANNOTATION = 'backup.velero.io/backup-volumes-excludes';
/** On a Namespace or any object: Velero leaves it out of every backup. */
export const VELERO_EXCLUDE_LABEL = 'velero.io/exclude-from-backup';
/** On a claim, written by `stsvol snapshot --with-usage` (and by audit for a live read): how full its
 *  volume was, as JSON { usedBytes, capacityBytes, at, source, window }. */
export const OBSERVED_USAGE_ANNOTATION = 'stsvol.io/observed-usage';

/** Annotations load keeps: the ones above, the binder's bookkeeping, and who manages a workload. */
export const KNOWN_ANNOTATIONS: ReadonlySet<string> = new Set([
  DEFAULT_CLASS_ANNOTATION, BETA_DEFAULT_CLASS_ANNOTATION, PROVISIONED_BY_ANNOTATION, SELECTED_NODE_ANNOTATION,
  STORAGE_PROVISIONER_ANNOTATION, BETA_STORAGE_PROVISIONER_ANNOTATION,
  'pv.kubernetes.io/bound-by-controller', 'pv.kubernetes.io/bind-completed',
  'volumes.kubernetes.io/controller-managed-attach-detach',
  'meta.helm.sh/release-name', 'meta.helm.sh/release-namespace',
  'argocd.argoproj.io/tracking-id', 'argocd.argoproj.io/sync-options',
  'kustomize.toolkit.fluxcd.io/reconcile', 'helm.toolkit.fluxcd.io/driftDetection',
  // Velero's file-system backup of a pod's volumes: opted in by name, or out under defaultVolumesToFsBackup.
  VELERO_BACKUP_VOLUMES_ANNOTATION, VELERO_BACKUP_VOLUMES_EXCLUDES_ANNOTATION,
]);

export function isKnownAnnotation(key: string): boolean {
  return KNOWN_ANNOTATIONS.has(key) || key.startsWith(STSVOL_PREFIX);
}

/** StorageClass parameters that describe the disk (type, performance, file system) and never
 *  carry credentials; pricing and checks read these. Anything else (secret names, KMS keys,
 *  monitors, endpoints) is dropped. */
export const KNOWN_CLASS_PARAMETERS: ReadonlySet<string> = new Set([
  'type', 'fsType', 'csi.storage.k8s.io/fstype', 'iops', 'iopsPerGB', 'throughput', 'encrypted',
  'performanceLevel', 'replication-type', 'provisioned-iops-on-create', 'provisioned-throughput-on-create',
  'skuName', 'skuname', 'storageaccounttype', 'kind', 'cachingmode', 'DiskIOPSReadWrite', 'DiskMBpsReadWrite',
  'blockSize', 'allowAutoIOPSPerGBIncrease',
]);

export function isKnownClassParameter(key: string): boolean {
  return KNOWN_CLASS_PARAMETERS.has(key);
}
