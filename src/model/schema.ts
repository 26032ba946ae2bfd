// The fields stsvol reads, per kind, as JSON Schema (written with TypeBox, which also derives the
// TypeScript types in types.ts). This one declaration is three things at once:
//   - the contract of load: every object, live or offline, is validated against its kind's schema
//     before anything sees it; an object of the wrong shape is skipped with a notice (admission.ts);
//   - the snapshot allowlist: whatever a schema does not declare is released at load (set to
//     undefined, which no writer writes), so `stsvol snapshot` can only write these fields (plus
//     annotations and StorageClass parameters whose keys annotations.ts knows, see admission.ts);
//   - the types the checks are written against, so a check cannot read a field that is not here.
// Add a field here when a check needs it; never read around it.

import Type, { type Static, type TSchema } from 'typebox';

/** An object; its undeclared fields are not validated, and admission releases them. */
const Obj = <T extends Record<string, TSchema>>(properties: T) => Type.Object(properties);
const Opt = Type.Optional;
const Str = Type.String();
const Name = Type.String({ minLength: 1 });
const Bool = Type.Boolean();
/** The API's int32 fields that cannot be negative (replicas, ordinals, counts). */
const Count = Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 });
/** Any key: TypeBox's default key pattern (^.*$) does not match a key holding a line break, whose
 *  value would then go unchecked. */
const AnyKey = Type.String({ pattern: '^[\\s\\S]*$' });
const StringMap = Type.Record(AnyKey, Type.String());
const Strings = Type.Array(Type.String());
/** A Kubernetes resource quantity as the API writes it ("10Gi"); parsed where it is compared. */
const Quantities = Type.Record(AnyKey, Type.String());
const IntOrString = Type.Union([Type.Integer(), Type.String()]);
/** A metav1.Time. Go writes an unset one as null (core/v1 Events made through events.k8s.io/v1
 *  carry "lastTimestamp": null; pod conditions "lastProbeTime": null). Admission unsets such a
 *  null where the `nullMeansUnset` mark says so (admission.ts), so the model only ever sees a string. */
const Time = Type.Unsafe<string>({ anyOf: [{ type: 'string' }, { type: 'null' }], nullMeansUnset: true });

/** A list Go may write as null: a nil slice of a field without omitempty (CSINode drivers of a node
 *  that runs no node plugin, topologyKeys of a driver without topology). */
function NullableList<T extends TSchema>(item: T) {
  return Type.Unsafe<Static<T>[]>({ anyOf: [Type.Array(item), { type: 'null' }], nullMeansUnset: true });
}
const NullableStrings = NullableList(Type.String());

export const OwnerReference = Obj({ apiVersion: Opt(Str), kind: Str, name: Str, uid: Opt(Str), controller: Opt(Bool) });

export const ObjectMeta = Obj({
  name: Name,
  namespace: Opt(Str),
  uid: Opt(Str),
  resourceVersion: Opt(Str),
  generation: Opt(Type.Integer()),
  creationTimestamp: Opt(Time),
  deletionTimestamp: Opt(Time),
  deletionGracePeriodSeconds: Opt(Type.Integer()),
  labels: Opt(StringMap),
  annotations: Opt(StringMap),
  ownerReferences: Opt(Type.Array(OwnerReference)),
  finalizers: Opt(Strings),
});

export const Condition = Obj({
  type: Str,
  status: Str,
  reason: Opt(Str),
  message: Opt(Str),
  lastTransitionTime: Opt(Time),
  lastHeartbeatTime: Opt(Time),
});

const Header = { apiVersion: Opt(Str), kind: Str, metadata: ObjectMeta };

export const Taint = Obj({ key: Str, value: Opt(Str), effect: Str });

export const Node = Obj({
  ...Header,
  spec: Opt(Obj({ unschedulable: Opt(Bool), taints: Opt(Type.Array(Taint)), providerID: Opt(Str) })),
  status: Opt(Obj({ conditions: Opt(Type.Array(Condition)) })),
});

export const PodVolume = Obj({
  name: Str,
  persistentVolumeClaim: Opt(Obj({ claimName: Name, readOnly: Opt(Bool) })),
  // A generic ephemeral volume: its claim is named <pod>-<volume>; nothing inside it is read.
  ephemeral: Opt(Obj({})),
});

export const ContainerStatus = Obj({
  name: Str,
  ready: Opt(Bool),
  state: Opt(Obj({
    waiting: Opt(Obj({ reason: Opt(Str), message: Opt(Str) })),
    running: Opt(Obj({ startedAt: Opt(Time) })),
    terminated: Opt(Obj({ reason: Opt(Str) })),
  })),
});

export const Pod = Obj({
  ...Header,
  spec: Opt(Obj({ nodeName: Opt(Str), volumes: Opt(Type.Array(PodVolume)), terminationGracePeriodSeconds: Opt(Type.Integer()) })),
  status: Opt(Obj({
    phase: Opt(Str),
    reason: Opt(Str),
    conditions: Opt(Type.Array(Condition)),
    containerStatuses: Opt(Type.Array(ContainerStatus)),
    initContainerStatuses: Opt(Type.Array(ContainerStatus)),
  })),
});

export const ClaimSpec = Obj({
  accessModes: Opt(Strings),
  storageClassName: Opt(Str),
  volumeName: Opt(Str),
  volumeMode: Opt(Str),
  resources: Opt(Obj({ requests: Opt(Quantities) })),
  dataSource: Opt(Obj({ kind: Str, name: Str, apiGroup: Opt(Str) })),
});

export const PersistentVolumeClaim = Obj({
  ...Header,
  spec: Opt(ClaimSpec),
  status: Opt(Obj({
    phase: Opt(Str),
    accessModes: Opt(Strings),
    capacity: Opt(Quantities),
    conditions: Opt(Type.Array(Condition)),
    allocatedResources: Opt(Quantities),
    allocatedResourceStatuses: Opt(StringMap),
  })),
});

export const NodeSelectorRequirement = Obj({ key: Str, operator: Str, values: Opt(Strings) });
export const NodeSelectorTerm = Obj({ matchExpressions: Opt(Type.Array(NodeSelectorRequirement)), matchFields: Opt(Type.Array(NodeSelectorRequirement)) });

export const PersistentVolume = Obj({
  ...Header,
  spec: Opt(Obj({
    capacity: Opt(Quantities),
    accessModes: Opt(Strings),
    persistentVolumeReclaimPolicy: Opt(Str),
    storageClassName: Opt(Str),
    volumeMode: Opt(Str),
    claimRef: Opt(Obj({ kind: Opt(Str), namespace: Opt(Str), name: Opt(Str), uid: Opt(Str) })),
    csi: Opt(Obj({ driver: Str, volumeHandle: Str })),
    hostPath: Opt(Obj({ path: Str })),
    local: Opt(Obj({ path: Str })),
    nfs: Opt(Obj({ server: Str, path: Str })),
    nodeAffinity: Opt(Obj({ required: Opt(Obj({ nodeSelectorTerms: Opt(Type.Array(NodeSelectorTerm)) })) })),
  })),
  status: Opt(Obj({ phase: Opt(Str), message: Opt(Str), reason: Opt(Str), lastPhaseTransitionTime: Opt(Time) })),
});

export const StorageClass = Obj({
  ...Header,
  provisioner: Name,
  reclaimPolicy: Opt(Str),
  volumeBindingMode: Opt(Str),
  allowVolumeExpansion: Opt(Bool),
  parameters: Opt(StringMap),
  allowedTopologies: Opt(Type.Array(Obj({ matchLabelExpressions: Opt(Type.Array(Obj({ key: Str, values: Strings }))) }))),
});

export const CSIDriver = Obj({ ...Header, spec: Opt(Obj({ attachRequired: Opt(Bool), volumeLifecycleModes: Opt(Strings) })) });

export const CSINode = Obj({
  ...Header,
  spec: Opt(Obj({
    drivers: Opt(NullableList(Obj({ name: Str, nodeID: Opt(Str), allocatable: Opt(Obj({ count: Opt(Count) })), topologyKeys: Opt(NullableStrings) }))),
  })),
});

export const VolumeError = Obj({ time: Opt(Time), message: Opt(Str) });

export const VolumeAttachment = Obj({
  ...Header,
  spec: Obj({
    attacher: Name,
    nodeName: Name,
    // An inline volume's spec is not read, only its presence.
    source: Obj({ persistentVolumeName: Opt(Name), inlineVolumeSpec: Opt(Obj({})) }),
  }),
  status: Opt(Obj({ attached: Opt(Bool), attachError: Opt(VolumeError), detachError: Opt(VolumeError) })),
});

/** A container as audit reads it: which image runs (a CSI sidecar?), and of its args only the
 *  leader-election flags (admission drops every other argument: args may hold credentials). */
export const Container = Obj({ name: Opt(Str), image: Opt(Str), args: Opt(Strings) });

const TopologyKeyTerm = Obj({ topologyKey: Str });
const Toleration = Obj({ key: Opt(Str), operator: Opt(Str), value: Opt(Str), effect: Opt(Str) });
/** A pod template as audit reads it: labels (what a budget or a backup selects), annotations
 *  (known keys only), containers, where replicas may be placed and how they are spread. */
export const PodTemplate = Obj({
  metadata: Opt(Obj({ labels: Opt(StringMap), annotations: Opt(StringMap) })),
  spec: Opt(Obj({
    containers: Opt(Type.Array(Container)),
    nodeSelector: Opt(StringMap),
    tolerations: Opt(Type.Array(Toleration)),
    affinity: Opt(Obj({
      nodeAffinity: Opt(Obj({ requiredDuringSchedulingIgnoredDuringExecution: Opt(Obj({ nodeSelectorTerms: Opt(Type.Array(NodeSelectorTerm)) })) })),
      podAntiAffinity: Opt(Obj({
        requiredDuringSchedulingIgnoredDuringExecution: Opt(Type.Array(TopologyKeyTerm)),
        preferredDuringSchedulingIgnoredDuringExecution: Opt(Type.Array(Obj({ podAffinityTerm: TopologyKeyTerm }))),
      })),
    })),
    topologySpreadConstraints: Opt(Type.Array(Obj({ topologyKey: Str, maxSkew: Opt(Count), whenUnsatisfiable: Opt(Str) }))),
  })),
});

export const ClaimTemplate = Obj({ metadata: Opt(Obj({ name: Opt(Str), labels: Opt(StringMap) })), spec: Opt(ClaimSpec) });

export const StatefulSet = Obj({
  ...Header,
  spec: Opt(Obj({
    replicas: Opt(Count),
    serviceName: Opt(Str),
    podManagementPolicy: Opt(Str),
    ordinals: Opt(Obj({ start: Opt(Count) })),
    selector: Opt(Obj({ matchLabels: Opt(StringMap) })),
    volumeClaimTemplates: Opt(Type.Array(ClaimTemplate)),
    persistentVolumeClaimRetentionPolicy: Opt(Obj({ whenDeleted: Opt(Str), whenScaled: Opt(Str) })),
    updateStrategy: Opt(Obj({ type: Opt(Str), rollingUpdate: Opt(Obj({ partition: Opt(Count), maxUnavailable: Opt(IntOrString) })) })),
    minReadySeconds: Opt(Count),
    template: Opt(PodTemplate),
  })),
  status: Opt(Obj({
    replicas: Opt(Count), readyReplicas: Opt(Count), availableReplicas: Opt(Count), currentReplicas: Opt(Count), updatedReplicas: Opt(Count),
    observedGeneration: Opt(Type.Integer()), currentRevision: Opt(Str), updateRevision: Opt(Str),
  })),
});

export const Deployment = Obj({ ...Header, spec: Opt(Obj({ replicas: Opt(Count), template: Opt(PodTemplate) })) });
export const ReplicaSet = Obj({ ...Header, spec: Opt(Obj({ replicas: Opt(Count) })) });
export const Namespace = Obj({ ...Header });

export const ResourceQuota = Obj({ ...Header, spec: Opt(Obj({ hard: Opt(Quantities) })), status: Opt(Obj({ hard: Opt(Quantities), used: Opt(Quantities) })) });

/** A metav1.LabelSelector. */
const LabelSelector = Obj({
  matchLabels: Opt(StringMap),
  matchExpressions: Opt(Type.Array(Obj({ key: Str, operator: Str, values: Opt(Strings) }))),
});

export const PodDisruptionBudget = Obj({
  ...Header,
  spec: Opt(Obj({ minAvailable: Opt(IntOrString), maxUnavailable: Opt(IntOrString), selector: Opt(LabelSelector) })),
  status: Opt(Obj({ disruptionsAllowed: Opt(Type.Integer()), currentHealthy: Opt(Type.Integer()), desiredHealthy: Opt(Type.Integer()), expectedPods: Opt(Type.Integer()) })),
});

/** What an autoscaler scales: a HorizontalPodAutoscaler names its kind; KEDA defaults it to Deployment. */
const ScaleTargetRef = Obj({ apiVersion: Opt(Str), kind: Opt(Str), name: Str });
export const HorizontalPodAutoscaler = Obj({ ...Header, spec: Opt(Obj({ scaleTargetRef: ScaleTargetRef, minReplicas: Opt(Count), maxReplicas: Opt(Count) })) });
export const ScaledObject = Obj({ ...Header, spec: Opt(Obj({ scaleTargetRef: ScaleTargetRef, minReplicaCount: Opt(Count), maxReplicaCount: Opt(Count) })) });

export const VolumeSnapshot = Obj({
  ...Header,
  spec: Opt(Obj({ source: Opt(Obj({ persistentVolumeClaimName: Opt(Str), volumeSnapshotContentName: Opt(Str) })), volumeSnapshotClassName: Opt(Str) })),
  status: Opt(Obj({ readyToUse: Opt(Bool), boundVolumeSnapshotContentName: Opt(Str), error: Opt(VolumeError), restoreSize: Opt(Str), creationTime: Opt(Time) })),
});

export const VolumeSnapshotContent = Obj({ ...Header, spec: Opt(Obj({ driver: Opt(Str), deletionPolicy: Opt(Str) })) });
export const VolumeSnapshotClass = Obj({ ...Header, driver: Opt(Str), deletionPolicy: Opt(Str) });

/** Prometheus Operator alert and recording rules: which expressions watch what. */
export const PrometheusRule = Obj({
  ...Header,
  spec: Opt(Obj({ groups: Opt(Type.Array(Obj({ name: Opt(Str), rules: Opt(Type.Array(Obj({ alert: Opt(Str), record: Opt(Str), expr: Opt(IntOrString) }))) }))) })),
});

/** What a Velero backup takes (velero.io/v1 BackupSpec): a Schedule's template, a Backup's spec. */
const VeleroBackupSpec = Obj({
  includedNamespaces: Opt(Strings),
  excludedNamespaces: Opt(Strings),
  includedResources: Opt(Strings),
  excludedResources: Opt(Strings),
  includedNamespaceScopedResources: Opt(Strings),
  excludedNamespaceScopedResources: Opt(Strings),
  includedClusterScopedResources: Opt(Strings),
  excludedClusterScopedResources: Opt(Strings),
  includeClusterResources: Opt(Type.Union([Bool, Type.Null()])),
  labelSelector: Opt(Type.Union([LabelSelector, Type.Null()])),
  orLabelSelectors: Opt(Type.Array(LabelSelector)),
  snapshotVolumes: Opt(Type.Union([Bool, Type.Null()])),
  defaultVolumesToFsBackup: Opt(Type.Union([Bool, Type.Null()])),
  ttl: Opt(Str),
});

export const VeleroSchedule = Obj({
  ...Header,
  spec: Opt(Obj({ schedule: Opt(Str), paused: Opt(Bool), template: Opt(VeleroBackupSpec) })),
  status: Opt(Obj({ phase: Opt(Str), lastBackup: Opt(Time) })),
});

export const VeleroBackup = Obj({
  ...Header,
  spec: Opt(VeleroBackupSpec),
  status: Opt(Obj({ phase: Opt(Str), startTimestamp: Opt(Time), completionTimestamp: Opt(Time) })),
});

const EventObjectRef = Obj({ kind: Opt(Str), namespace: Opt(Str), name: Opt(Str), uid: Opt(Str) });

/** core/v1 and events.k8s.io/v1 Event: the same stored object under two sets of field names. */
export const Event = Obj({
  ...Header,
  involvedObject: Opt(EventObjectRef),
  regarding: Opt(EventObjectRef),
  reason: Opt(Str),
  message: Opt(Str),
  note: Opt(Str),
  type: Opt(Str),
  count: Opt(Count),
  deprecatedCount: Opt(Count),
  firstTimestamp: Opt(Time),
  lastTimestamp: Opt(Time),
  deprecatedFirstTimestamp: Opt(Time),
  deprecatedLastTimestamp: Opt(Time),
  eventTime: Opt(Time),
  series: Opt(Obj({ count: Opt(Count), lastObservedTime: Opt(Time) })),
  source: Opt(Obj({ component: Opt(Str) })),
  reportingComponent: Opt(Str),
  reportingController: Opt(Str),
});

/** A pod template's shape, for admission's filtering. */
export type PodTemplateValue = { metadata?: { annotations?: Record<string, string> }; spec?: { containers?: { args?: string[] }[] } };
