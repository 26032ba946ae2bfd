// Every kind stsvol reads, where the API serves it, and how snapshots and dumps name it.
// The live loader lists exactly these; the offline loader keeps exactly these and drops the rest.

export interface KindInfo {
  kind: string;
  group: string; // '' for the core group
  version: string;
  plural: string;
  namespaced: boolean;
  /** Served only where a distribution installed it (CRDs); missing is normal, not an error. */
  optional?: boolean;
  /** Other API groups that serve the same objects (events.k8s.io for Events). */
  alsoGroups?: readonly string[];
}

export const KINDS = [
  { kind: 'Namespace', group: '', version: 'v1', plural: 'namespaces', namespaced: false },
  { kind: 'Node', group: '', version: 'v1', plural: 'nodes', namespaced: false },
  { kind: 'PersistentVolume', group: '', version: 'v1', plural: 'persistentvolumes', namespaced: false },
  { kind: 'StorageClass', group: 'storage.k8s.io', version: 'v1', plural: 'storageclasses', namespaced: false },
  { kind: 'CSIDriver', group: 'storage.k8s.io', version: 'v1', plural: 'csidrivers', namespaced: false },
  { kind: 'CSINode', group: 'storage.k8s.io', version: 'v1', plural: 'csinodes', namespaced: false },
  { kind: 'VolumeAttachment', group: 'storage.k8s.io', version: 'v1', plural: 'volumeattachments', namespaced: false },
  { kind: 'Pod', group: '', version: 'v1', plural: 'pods', namespaced: true },
  { kind: 'PersistentVolumeClaim', group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true },
  { kind: 'StatefulSet', group: 'apps', version: 'v1', plural: 'statefulsets', namespaced: true },
  { kind: 'Deployment', group: 'apps', version: 'v1', plural: 'deployments', namespaced: true },
  { kind: 'ReplicaSet', group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true },
  { kind: 'Event', group: '', version: 'v1', plural: 'events', namespaced: true, alsoGroups: ['events.k8s.io'] },
  { kind: 'ResourceQuota', group: '', version: 'v1', plural: 'resourcequotas', namespaced: true },
  { kind: 'PodDisruptionBudget', group: 'policy', version: 'v1', plural: 'poddisruptionbudgets', namespaced: true },
  { kind: 'HorizontalPodAutoscaler', group: 'autoscaling', version: 'v2', plural: 'horizontalpodautoscalers', namespaced: true },
  { kind: 'ScaledObject', group: 'keda.sh', version: 'v1alpha1', plural: 'scaledobjects', namespaced: true, optional: true },
  { kind: 'VolumeSnapshot', group: 'snapshot.storage.k8s.io', version: 'v1', plural: 'volumesnapshots', namespaced: true, optional: true },
  { kind: 'VolumeSnapshotContent', group: 'snapshot.storage.k8s.io', version: 'v1', plural: 'volumesnapshotcontents', namespaced: false, optional: true },
  { kind: 'VolumeSnapshotClass', group: 'snapshot.storage.k8s.io', version: 'v1', plural: 'volumesnapshotclasses', namespaced: false, optional: true },
  // Audit: alert rules that watch volume usage (Prometheus Operator), and Velero's backups.
  { kind: 'PrometheusRule', group: 'monitoring.coreos.com', version: 'v1', plural: 'prometheusrules', namespaced: true, optional: true },
  { kind: 'Schedule', group: 'velero.io', version: 'v1', plural: 'schedules', namespaced: true, optional: true },
  { kind: 'Backup', group: 'velero.io', version: 'v1', plural: 'backups', namespaced: true, optional: true },
] as const satisfies readonly KindInfo[];

export type KindName = (typeof KINDS)[number]['kind'];

const byKind = new Map<string, KindInfo>(KINDS.map((k) => [k.kind, k]));

/** The kind stsvol reads under this name; with an apiVersion, only in its group (a Backup of a
 *  database operator is not Velero's). */
export function kindInfo(kind: string, apiVersion?: unknown): KindInfo | undefined {
  const info = byKind.get(kind);
  if (!info || typeof apiVersion !== 'string') return info;
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return group === info.group || info.alsoGroups?.includes(group) ? info : undefined;
}

export function apiVersionOf(info: KindInfo): string {
  return info.group === '' ? info.version : `${info.group}/${info.version}`;
}

/** The collection path of a kind, e.g. /apis/apps/v1/namespaces/db/statefulsets. */
export function listPath(info: KindInfo, namespace?: string): string {
  const base = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
  const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${info.plural}`;
}
