// The few objects the incident tests create, as plain manifests.
import type { KubernetesObject } from '@kubernetes/client-node';
import { DRIVER } from './test-cluster.ts';

type Manifest = KubernetesObject & Record<string, unknown>;

export function namespace(name: string): Manifest {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

export function storageClass(name: string, o: { binding?: string; reclaim?: string; expand?: boolean; parameters?: Record<string, string>; provisioner?: string } = {}): Manifest {
  return {
    apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name },
    provisioner: o.provisioner ?? DRIVER, reclaimPolicy: o.reclaim ?? 'Delete', volumeBindingMode: o.binding ?? 'WaitForFirstConsumer',
    allowVolumeExpansion: o.expand ?? true, parameters: o.parameters,
  };
}

export interface StatefulSetOptions {
  replicas: number;
  cls: string;
  size?: string;
  parallel?: boolean;
  /** Evicted this many seconds after its node goes NotReady or unreachable (default: 300). */
  evictAfter?: number;
  spreadOverNodes?: boolean;
  podAnnotations?: Record<string, string>;
  /** persistentVolumeClaimRetentionPolicy.whenScaled */
  whenScaled?: 'Retain' | 'Delete';
  /** Pods on this node when it can take them (preferred node affinity), elsewhere once it is gone. */
  prefer?: string;
  /** RollingUpdate partition. */
  partition?: number;
  /** persistentVolumeClaimRetentionPolicy.whenDeleted */
  whenDeleted?: 'Retain' | 'Delete';
  /** Pods only in this zone (required node affinity). */
  zone?: string;
}

export function statefulSet(ns: string, name: string, o: StatefulSetOptions): Manifest {
  const tolerations = o.evictAfter === undefined ? undefined : ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'].map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: o.evictAfter }));
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: ns },
    spec: {
      replicas: o.replicas, serviceName: name, podManagementPolicy: o.parallel ? 'Parallel' : 'OrderedReady',
      selector: { matchLabels: { app: name } },
      persistentVolumeClaimRetentionPolicy: o.whenScaled || o.whenDeleted ? { whenScaled: o.whenScaled ?? 'Retain', whenDeleted: o.whenDeleted ?? 'Retain' } : undefined,
      updateStrategy: o.partition !== undefined ? { type: 'RollingUpdate', rollingUpdate: { partition: o.partition } } : undefined,
      template: {
        metadata: { labels: { app: name }, annotations: o.podAnnotations },
        spec: {
          terminationGracePeriodSeconds: 1,
          tolerations,
          affinity: {
            ...(o.spreadOverNodes ? { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: name } }, topologyKey: 'kubernetes.io/hostname' }] } } : {}),
            ...(o.prefer || o.zone ? {
              nodeAffinity: {
                ...(o.prefer ? { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [o.prefer] }] } }] } : {}),
                ...(o.zone ? { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [o.zone] }] }] } } : {}),
              },
            } : {}),
          },
          containers: [{ name: 'db', image: 'registry.k8s.io/pause:3.10', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
        },
      },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: o.cls, resources: { requests: { storage: o.size ?? '1Gi' } } } }],
    },
  };
}

/** A claim; with `volumeName` it is pre-bound to an existing volume, as for a static or restored one. */
export function claim(ns: string, name: string, cls: string, o: { size?: string; volumeName?: string } = {}): Manifest {
  return {
    apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: ns },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName: cls, volumeName: o.volumeName, resources: { requests: { storage: o.size ?? '1Gi' } } },
  };
}

export function pod(ns: string, name: string, o: { claim: string; node?: string; annotations?: Record<string, string> }): Manifest {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, annotations: o.annotations },
    spec: {
      terminationGracePeriodSeconds: 1,
      nodeSelector: o.node ? { 'kubernetes.io/hostname': o.node } : undefined,
      containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: o.claim } }],
    },
  };
}

export function disruptionBudget(ns: string, name: string, maxUnavailable: number): Manifest {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: ns }, spec: { maxUnavailable, selector: { matchLabels: { app: name } } } };
}

/** A VolumeSnapshot of a claim, through the snapshot class of the test driver. */
export function volumeSnapshot(ns: string, name: string, claimName: string, cls: string): Manifest {
  return { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name, namespace: ns }, spec: { volumeSnapshotClassName: cls, source: { persistentVolumeClaimName: claimName } } };
}
