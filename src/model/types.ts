// The subset of the Kubernetes API objects that stsvol reads, typed as they arrive on the wire.
// Timestamps stay RFC3339 strings: offline dumps and live lists are read alike, and nothing is
// converted that no check looks at. Every field is optional where the API may omit it.

export interface OwnerReference {
  apiVersion?: string;
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
}

export interface KubeObject {
  apiVersion?: string;
  kind: string;
  metadata: ObjectMeta;
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastHeartbeatTime?: string;
  lastProbeTime?: string;
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface Node extends KubeObject {
  spec?: { unschedulable?: boolean; taints?: Taint[]; providerID?: string };
  status?: { conditions?: Condition[]; volumesAttached?: { name: string; devicePath?: string }[]; volumesInUse?: string[] };
}

export interface PodVolume {
  name: string;
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  ephemeral?: { volumeClaimTemplate?: unknown };
}

export interface ContainerStatus {
  name: string;
  ready?: boolean;
  state?: { waiting?: { reason?: string; message?: string }; running?: { startedAt?: string }; terminated?: { reason?: string } };
}

export interface Pod extends KubeObject {
  spec?: {
    nodeName?: string;
    volumes?: PodVolume[];
    terminationGracePeriodSeconds?: number;
    nodeSelector?: Record<string, string>;
  };
  status?: {
    phase?: string;
    reason?: string;
    conditions?: Condition[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
    startTime?: string;
  };
}

export type Quantity = string;

export interface PersistentVolumeClaimSpec {
  accessModes?: string[];
  storageClassName?: string | null;
  volumeName?: string;
  volumeMode?: string;
  resources?: { requests?: Record<string, Quantity> };
  dataSource?: { kind: string; name: string };
}

export interface PersistentVolumeClaim extends KubeObject {
  spec?: PersistentVolumeClaimSpec;
  status?: {
    phase?: string;
    accessModes?: string[];
    capacity?: Record<string, Quantity>;
    conditions?: Condition[];
    allocatedResources?: Record<string, Quantity>;
    allocatedResourceStatuses?: Record<string, string>;
  };
}

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface PersistentVolume extends KubeObject {
  spec?: {
    capacity?: Record<string, Quantity>;
    accessModes?: string[];
    persistentVolumeReclaimPolicy?: string;
    storageClassName?: string;
    claimRef?: { kind?: string; namespace?: string; name?: string; uid?: string };
    csi?: { driver: string; volumeHandle: string };
    hostPath?: { path: string };
    local?: { path: string };
    nfs?: { server: string; path: string };
    nodeAffinity?: { required?: { nodeSelectorTerms?: NodeSelectorTerm[] } };
  };
  status?: { phase?: string; message?: string; reason?: string; lastPhaseTransitionTime?: string };
}

export interface StorageClass extends KubeObject {
  provisioner: string;
  reclaimPolicy?: string;
  volumeBindingMode?: string;
  allowVolumeExpansion?: boolean;
  parameters?: Record<string, string>;
  allowedTopologies?: { matchLabelExpressions?: { key: string; values: string[] }[] }[];
}

export interface CSIDriver extends KubeObject {
  spec?: { attachRequired?: boolean; volumeLifecycleModes?: string[] };
}

export interface CSINode extends KubeObject {
  spec?: { drivers?: { name: string; nodeID?: string; allocatable?: { count?: number }; topologyKeys?: string[] }[] };
}

export interface VolumeError {
  time?: string;
  message?: string;
  errorCode?: number;
}

export interface VolumeAttachment extends KubeObject {
  spec: {
    attacher: string;
    nodeName: string;
    source: { persistentVolumeName?: string; inlineVolumeSpec?: unknown };
  };
  status?: { attached?: boolean; attachError?: VolumeError; detachError?: VolumeError };
}

export interface PersistentVolumeClaimTemplate {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: PersistentVolumeClaimSpec;
}

export interface StatefulSet extends KubeObject {
  spec?: {
    replicas?: number;
    serviceName?: string;
    podManagementPolicy?: string;
    ordinals?: { start?: number };
    selector?: { matchLabels?: Record<string, string> };
    volumeClaimTemplates?: PersistentVolumeClaimTemplate[];
    persistentVolumeClaimRetentionPolicy?: { whenDeleted?: string; whenScaled?: string };
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number; maxUnavailable?: number | string } };
  };
  status?: { replicas?: number; readyReplicas?: number; currentReplicas?: number; updatedReplicas?: number };
}

export interface Deployment extends KubeObject {
  spec?: { replicas?: number };
}

export interface ReplicaSet extends KubeObject {
  spec?: { replicas?: number };
}

export interface ResourceQuota extends KubeObject {
  spec?: { hard?: Record<string, Quantity> };
  status?: { hard?: Record<string, Quantity>; used?: Record<string, Quantity> };
}

export interface PodDisruptionBudget extends KubeObject {
  spec?: { minAvailable?: number | string; maxUnavailable?: number | string };
  status?: { disruptionsAllowed?: number };
}

export interface VolumeSnapshot extends KubeObject {
  spec?: { source?: { persistentVolumeClaimName?: string; volumeSnapshotContentName?: string }; volumeSnapshotClassName?: string };
  status?: { readyToUse?: boolean; boundVolumeSnapshotContentName?: string; error?: VolumeError };
}

/** A reference to an object, as findings and indexes name it. */
export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
}

/**
 * core/v1 Event and events.k8s.io/v1 Event describe the same stored object with different field
 * names; both are read into this one shape so a check never cares which API a dump came from.
 */
export interface ClusterEvent {
  uid?: string;
  namespace?: string;
  name: string;
  regarding: ObjectRef & { uid?: string };
  reason: string;
  message: string;
  type: string;
  count: number;
  firstTime?: string;
  lastTime?: string;
  reporter?: string;
}
