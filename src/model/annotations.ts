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

/** Annotations load keeps: the ones above, the binder's bookkeeping, and who manages a workload. */
export const KNOWN_ANNOTATIONS: ReadonlySet<string> = new Set([
  DEFAULT_CLASS_ANNOTATION, BETA_DEFAULT_CLASS_ANNOTATION, PROVISIONED_BY_ANNOTATION, SELECTED_NODE_ANNOTATION,
  STORAGE_PROVISIONER_ANNOTATION, BETA_STORAGE_PROVISIONER_ANNOTATION,
  'pv.kubernetes.io/bound-by-controller', 'pv.kubernetes.io/bind-completed',
  'volumes.kubernetes.io/controller-managed-attach-detach',
  'meta.helm.sh/release-name', 'meta.helm.sh/release-namespace',
  'argocd.argoproj.io/tracking-id', 'argocd.argoproj.io/sync-options',
  'kustomize.toolkit.fluxcd.io/reconcile', 'helm.toolkit.fluxcd.io/driftDetection',
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
