// Writes a large synthetic snapshot, the shape of a big production cluster: StatefulSets with their
// pods, claims, volumes and attachments, events, and a sprinkling of every failure the checks look
// for, so the benchmark times real work and not an empty pass; and what audit reads besides
// (budgets, snapshots, Velero schedules, an alert rule, the CSI controller, recorded usage).
// Deterministic for a given scale.

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export interface Scale {
  nodes: number;
  pods: number;
  claims: number;
  attachments: number;
  events: number;
}

/** A large production cluster. */
export const LARGE: Scale = { nodes: 2_000, pods: 30_000, claims: 20_000, attachments: 20_000, events: 50_000 };
/** The envelope Kubernetes itself is tested to: 5,000 nodes, 150,000 pods. */
export const ENVELOPE: Scale = { nodes: 5_000, pods: 150_000, claims: 100_000, attachments: 100_000, events: 180_000 };

/** What a real pod template carries besides what stsvol reads (and drops at load): containers with
 *  their image, arguments, environment, resources and probes. */
function containers(app: string) {
  return [{
    name: app, image: `registry.example/${app}:1.2.3`, args: ['--config=/etc/app/app.conf', '--log-level=info'],
    env: [{ name: 'APP_USER', value: 'app' }, { name: 'APP_PASSWORD', valueFrom: { secretKeyRef: { name: `${app}-secret`, key: 'password' } } }],
    resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi' } },
    volumeMounts: [{ name: 'data', mountPath: '/var/lib/app' }],
    readinessProbe: { tcpSocket: { port: 5432 }, periodSeconds: 10 },
  }];
}

const T0 = Date.parse('2026-03-10T00:00:00Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString().replace('.000Z', 'Z');
const uid = (prefix: number, i: number) => `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
const REPLICAS = 4;
const ZONES = ['zone-a', 'zone-b', 'zone-c'];

/** What kubectl get -o json adds to every object and stsvol drops: server-side apply's bookkeeping. */
function managedFields(manager: string) {
  const fields = Object.fromEntries(Array.from({ length: 24 }, (_, i) => [`f:field${i}`, { '.': {}, [`f:sub${i}`]: {} }]));
  return [{ manager, operation: 'Update', apiVersion: 'v1', time: iso(-1440), fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': fields, 'f:spec': fields } }];
}

export interface Shape {
  /** Objects as `kubectl get -o json` writes them, managedFields included: several times larger. */
  heavy?: boolean;
}

/** Yields the objects of a snapshot at the given scale. */
export function* objects(scale: Scale, shape: Shape = {}): Generator<object> {
  for (let n = 0; n < scale.nodes; n++) {
    const ready = n % 400 !== 7; // a few NotReady nodes
    yield {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name: `node-${n}`, uid: uid(1, n), creationTimestamp: iso(-90 * 1440), labels: { 'topology.kubernetes.io/zone': ZONES[n % 3], 'kubernetes.io/hostname': `node-${n}` } },
      status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'Unknown', reason: ready ? 'KubeletReady' : 'NodeStatusUnknown', lastHeartbeatTime: iso(ready ? 600 : 500), lastTransitionTime: iso(ready ? -1440 : 505) }] },
    };
    yield { apiVersion: 'storage.k8s.io/v1', kind: 'CSINode', metadata: { name: `node-${n}` }, spec: { drivers: [{ name: 'ebs.csi.aws.com', nodeID: `i-${n}`, allocatable: { count: 25 } }] } };
  }
  yield { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'gp3' }, provisioner: 'ebs.csi.aws.com', reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true };
  yield { apiVersion: 'storage.k8s.io/v1', kind: 'CSIDriver', metadata: { name: 'ebs.csi.aws.com' }, spec: { attachRequired: true } };
  yield* auditObjects(scale);

  const statefulSets = Math.ceil(scale.claims / REPLICAS);
  for (let s = 0; s < statefulSets; s++) {
    yield {
      apiVersion: 'apps/v1', kind: 'StatefulSet',
      metadata: { name: `db-${s}`, namespace: `ns-${s % 200}`, uid: uid(2, s), creationTimestamp: iso(-60 * 1440) },
      spec: { replicas: s % 50 === 3 ? REPLICAS - 1 : REPLICAS, serviceName: `db-${s}`, selector: { matchLabels: { app: `db-${s}` } }, template: { metadata: { labels: { app: `db-${s}` } }, spec: { containers: containers('db'), ...(s % 2 ? { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: `db-${s}` } }, topologyKey: 'kubernetes.io/hostname' }] } } } : {}) } }, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: s % 97 === 5 ? '200Gi' : '100Gi' } } } }] },
    };
  }
  for (let c = 0; c < scale.claims; c++) {
    const s = Math.floor(c / REPLICAS);
    const ordinal = c % REPLICAS;
    const ns = `ns-${s % 200}`;
    const name = `data-db-${s}-${ordinal}`;
    const node = (c * 7) % scale.nodes;
    const resizing = c % 300 === 11;
    // A volume reused from an earlier claim (seed 000) is named after that claim, not this one.
    const reused = c % 500 === 9;
    const pvName = `pvc-${uid(reused ? 7 : 3, c)}`;
    yield {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: ns, uid: uid(3, c), creationTimestamp: iso(-30 * 1440), annotations: { 'volume.kubernetes.io/selected-node': `node-${node}`, 'stsvol.io/observed-usage': JSON.stringify({ usedBytes: ((c % 90) + 5) * 2 ** 30, capacityBytes: 100 * 2 ** 30, at: iso(599), source: 'kubelet', window: 'now' }) } },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', volumeName: pvName, resources: { requests: { storage: resizing ? '150Gi' : '100Gi' } } },
      status: {
        phase: 'Bound', capacity: { storage: '100Gi' },
        conditions: resizing ? [{ type: 'FileSystemResizePending', status: 'True', lastTransitionTime: iso(500) }] : undefined,
      },
    };
    yield {
      apiVersion: 'v1', kind: 'PersistentVolume',
      metadata: { name: pvName, uid: uid(4, c), creationTimestamp: iso(reused ? -200 * 1440 : -30 * 1440 + 1), annotations: { 'pv.kubernetes.io/provisioned-by': 'ebs.csi.aws.com' } },
      spec: {
        capacity: { storage: '100Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', storageClassName: 'gp3',
        claimRef: { kind: 'PersistentVolumeClaim', namespace: ns, name, uid: uid(3, c) },
        csi: { driver: 'ebs.csi.aws.com', volumeHandle: `vol-${c}` },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [ZONES[node % 3]] }] }] } },
      },
      status: { phase: 'Bound' },
    };
    if (s % 3 === 0) {
      yield {
        apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: `${name}-nightly`, namespace: ns, uid: uid(8, c), creationTimestamp: iso(-60) },
        spec: { source: { persistentVolumeClaimName: name }, volumeSnapshotClassName: 'ebs' }, status: { readyToUse: true, restoreSize: '100Gi', creationTime: iso(-60), boundVolumeSnapshotContentName: `snapcontent-${c}` },
      };
    }
    if (c < scale.attachments) {
      yield {
        apiVersion: 'storage.k8s.io/v1', kind: 'VolumeAttachment',
        metadata: { name: `csi-${c.toString(16).padStart(64, '0')}`, creationTimestamp: iso(-29 * 1440) },
        spec: { attacher: 'ebs.csi.aws.com', nodeName: `node-${node}`, source: { persistentVolumeName: pvName } },
        status: c % 1000 === 13 ? { attached: false, attachError: { time: iso(590), message: 'rpc error: code = Internal desc = could not attach volume' } } : { attached: true },
      };
    }
  }
  for (let p = 0; p < scale.pods; p++) {
    const isMember = p < scale.claims;
    const s = Math.floor(p / REPLICAS);
    const ordinal = p % REPLICAS;
    const node = (p * 7) % scale.nodes;
    const terminating = p % 2000 === 17;
    yield {
      apiVersion: 'v1', kind: 'Pod',
      metadata: {
        name: isMember ? `db-${s}-${ordinal}` : `web-${p}`, namespace: isMember ? `ns-${s % 200}` : `ns-${p % 200}`, uid: uid(5, p), creationTimestamp: iso(-1440),
        deletionTimestamp: terminating ? iso(400) : undefined,
        ownerReferences: isMember ? [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: `db-${s}`, uid: uid(2, s), controller: true }] : [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `web-rs-${p % 500}`, controller: true }],
        managedFields: shape.heavy ? managedFields('kubelet') : undefined,
      },
      spec: { nodeName: `node-${node}`, containers: containers(isMember ? 'db' : 'web'), volumes: isMember ? [{ name: 'data', persistentVolumeClaim: { claimName: `data-db-${s}-${ordinal}` } }] : [] },
      status: {
        phase: 'Running', hostIP: '10.0.0.1', podIP: '10.1.0.1', qosClass: 'Burstable', startTime: iso(-1440),
        conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: iso(-1400) }],
        containerStatuses: [{ name: isMember ? 'db' : 'web', ready: true, restartCount: 0, image: 'registry.example/db:1.2.3', state: { running: { startedAt: iso(-1400) } } }],
      },
    };
  }
  for (let e = 0; e < scale.events; e++) {
    const p = (e * 13) % scale.pods;
    const isMember = p < scale.claims;
    const s = Math.floor(p / REPLICAS);
    const ns = isMember ? `ns-${s % 200}` : `ns-${p % 200}`;
    const name = isMember ? `db-${s}-${p % REPLICAS}` : `web-${p}`;
    const warn = e % 10 === 0;
    yield {
      apiVersion: 'v1', kind: 'Event',
      metadata: { name: `${name}.${e.toString(16)}`, namespace: ns, uid: uid(6, e) },
      involvedObject: { kind: 'Pod', namespace: ns, name, uid: uid(5, p) },
      reason: warn ? 'FailedMount' : 'Pulled', type: warn ? 'Warning' : 'Normal', count: 1 + (e % 5),
      message: warn ? 'MountVolume.MountDevice failed for volume "data" : rpc error: code = Aborted desc = an operation with the given volume ID already exists' : 'Container image "registry.example/db:1.2.3" already present on machine',
      firstTimestamp: iso(590), lastTimestamp: iso(595), source: { component: warn ? 'kubelet' : 'kubelet', host: `node-${(p * 7) % scale.nodes}` },
    };
  }
}

/** What audit reads besides the StatefulSets' own objects: a budget for most StatefulSets, the
 *  driver's controller, an alert rule on volume usage, Velero schedules for a tenth of the namespaces. */
function* auditObjects(scale: Scale): Generator<object> {
  const sidecar = (name: string) => ({ name, image: `registry.k8s.io/sig-storage/${name}:v5.0.0`, args: ['--csi-address=/csi/csi.sock', '--leader-election=true', '--v=2'] });
  yield { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ebs-csi-controller', namespace: 'kube-system', uid: uid(9, 0) }, spec: { replicas: 2, template: { spec: { containers: ['csi-provisioner', 'csi-attacher', 'csi-resizer'].map(sidecar) } } } };
  yield { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'volumes', namespace: 'monitoring', uid: uid(9, 1) }, spec: { groups: [{ name: 'volumes', rules: [{ alert: 'KubePersistentVolumeFillingUp', expr: 'kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.03' }] }] } };
  for (let n = 0; n < 200; n += 10) {
    yield { apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: { name: `nightly-ns-${n}`, namespace: 'velero', uid: uid(9, 100 + n) }, spec: { schedule: '0 1 * * *', template: { includedNamespaces: [`ns-${n}`], snapshotVolumes: true } }, status: { phase: 'Enabled', lastBackup: iso(n % 20 ? -120 : -4 * 1440) } };
  }
  const statefulSets = Math.ceil(scale.claims / REPLICAS);
  for (let s = 0; s < statefulSets; s++) {
    if (s % 10 === 9) continue; // a few without a budget
    yield { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: `db-${s}`, namespace: `ns-${s % 200}`, uid: uid(10, s) }, spec: { maxUnavailable: s % 40 === 7 ? 0 : 1, selector: { matchLabels: { app: `db-${s}` } } }, status: { disruptionsAllowed: s % 40 === 7 ? 0 : 1, currentHealthy: REPLICAS, desiredHealthy: REPLICAS - 1, expectedPods: REPLICAS } };
  }
}

/** A cluster where many things are wrong at once: `statefulSets` scaled to zero, each leaving four
 *  claims behind (orphan-pvc), so one report holds four findings per StatefulSet. */
export function* manyFindings(statefulSets: number): Generator<object> {
  for (let s = 0; s < statefulSets; s++) {
    const ns = `ns-${s % 200}`;
    yield { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: `db-${s}`, namespace: ns, uid: uid(2, s) }, spec: { replicas: 0, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '10Gi' } } } }] } };
    for (let o = 0; o < REPLICAS; o++) {
      yield { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: `data-db-${s}-${o}`, namespace: ns, uid: uid(3, s * REPLICAS + o), creationTimestamp: iso(-1440) }, spec: { storageClassName: 'gp3', resources: { requests: { storage: '10Gi' } } }, status: { phase: 'Bound', capacity: { storage: '10Gi' } } };
    }
  }
}

/** Streams objects to `path` as one JSON List, as stsvol snapshot writes it; returns the count. */
export async function writeSnapshot(path: string, items: Iterable<object>): Promise<number> {
  const out = createWriteStream(path);
  let count = 0;
  out.write('{"apiVersion":"v1","kind":"List","metadata":{"annotations":{"stsvol.io/captured-at":"2026-03-10T10:00:00Z"}},"items":[\n');
  for (const obj of items) {
    if (!out.write(`${count++ ? ',\n' : ''}${JSON.stringify(obj)}`)) await once(out, 'drain');
  }
  out.end('\n]}\n');
  await once(out, 'finish');
  return count;
}
