// Every annotation, label, taint and finalizer name stsvol reads or writes, in one place.

/** Kubernetes' own. */
export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
export const PROVISIONED_BY_ANNOTATION = 'pv.kubernetes.io/provisioned-by';
export const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';
export const STORAGE_PROVISIONER_ANNOTATION = 'volume.kubernetes.io/storage-provisioner';
export const BETA_STORAGE_PROVISIONER_ANNOTATION = 'volume.beta.kubernetes.io/storage-provisioner';
export const OUT_OF_SERVICE_TAINT = 'node.kubernetes.io/out-of-service';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** stsvol's own. */
/** On a file written by `stsvol snapshot`: when the cluster was read (the clock of offline analysis). */
export const CAPTURED_AT_ANNOTATION = 'stsvol.io/captured-at';
/** On a PV: an operator has checked that this volume's reuse by its current claim is intended. */
export const REUSE_INTENDED_ANNOTATION = 'stsvol.io/reuse-intended';
