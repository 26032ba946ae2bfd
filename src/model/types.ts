// The API objects as stsvol sees them: exactly the fields schema.ts declares, typed from it, so no
// check can read a field the load did not validate. Timestamps stay RFC3339 strings (parsed where
// compared, see time.ts); every field is optional where the API may omit it.

import type { Static } from 'typebox';
import type * as S from './schema.ts';

export type ObjectMeta = Static<typeof S.ObjectMeta>;
export type OwnerReference = Static<typeof S.OwnerReference>;
export type Condition = Static<typeof S.Condition>;
export type Taint = Static<typeof S.Taint>;
export type Node = Static<typeof S.Node>;
export type PodVolume = Static<typeof S.PodVolume>;
export type ContainerStatus = Static<typeof S.ContainerStatus>;
export type Pod = Static<typeof S.Pod>;
export type PersistentVolumeClaimSpec = Static<typeof S.ClaimSpec>;
export type PersistentVolumeClaim = Static<typeof S.PersistentVolumeClaim>;
export type NodeSelectorRequirement = Static<typeof S.NodeSelectorRequirement>;
export type NodeSelectorTerm = Static<typeof S.NodeSelectorTerm>;
export type PersistentVolume = Static<typeof S.PersistentVolume>;
export type StorageClass = Static<typeof S.StorageClass>;
export type CSIDriver = Static<typeof S.CSIDriver>;
export type CSINode = Static<typeof S.CSINode>;
export type VolumeError = Static<typeof S.VolumeError>;
export type VolumeAttachment = Static<typeof S.VolumeAttachment>;
export type PersistentVolumeClaimTemplate = Static<typeof S.ClaimTemplate>;
export type StatefulSet = Static<typeof S.StatefulSet>;
export type Deployment = Static<typeof S.Deployment>;
export type ReplicaSet = Static<typeof S.ReplicaSet>;
export type ResourceQuota = Static<typeof S.ResourceQuota>;
export type PodDisruptionBudget = Static<typeof S.PodDisruptionBudget>;
export type VolumeSnapshot = Static<typeof S.VolumeSnapshot>;
export type HorizontalPodAutoscaler = Static<typeof S.HorizontalPodAutoscaler>;
export type ScaledObject = Static<typeof S.ScaledObject>;
export type PodTemplate = Static<typeof S.PodTemplate>;
export type PrometheusRule = Static<typeof S.PrometheusRule>;
export type VeleroSchedule = Static<typeof S.VeleroSchedule>;
export type VeleroBackup = Static<typeof S.VeleroBackup>;
export type RawEvent = Static<typeof S.Event>;

export type Quantity = string;

/** Any admitted object: what every kind has in common. */
export interface KubeObject {
  apiVersion?: string;
  kind: string;
  metadata: ObjectMeta;
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
