// Writes a large synthetic snapshot, the shape of a big production cluster: StatefulSets with their
// pods, claims, volumes and attachments, events, and a sprinkling of every failure the checks look
// for, so the benchmark times real work and not an empty pass. Deterministic for a given scale.

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export interface Scale {
  nodes: number;
  pods: number;
  claims: number;
  attachments: number;
  events: number;
}

export const FULL: Scale = { nodes: 2_000, pods: 30_000, claims: 20_000, attachments: 20_000, events: 50_000 };

const T0 = Date.parse('2026-03-10T00:00:00Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString().replace('.000Z', 'Z');
const uid = (prefix: number, i: number) => `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
const REPLICAS = 4;
const ZONES = ['zone-a', 'zone-b', 'zone-c'];

/** Yields the objects of a snapshot at the given scale. */
export function* objects(scale: Scale): Generator<object> {
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

  const statefulSets = Math.ceil(scale.claims / REPLICAS);
  for (let s = 0; s < statefulSets; s++) {
    yield {
      apiVersion: 'apps/v1', kind: 'StatefulSet',
      metadata: { name: `db-${s}`, namespace: `ns-${s % 200}`, uid: uid(2, s), creationTimestamp: iso(-60 * 1440) },
      spec: { replicas: s % 50 === 3 ? REPLICAS - 1 : REPLICAS, serviceName: `db-${s}`, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: s % 97 === 5 ? '200Gi' : '100Gi' } } } }] },
    };
  }
  for (let c = 0; c < scale.claims; c++) {
    const s = Math.floor(c / REPLICAS);
    const ordinal = c % REPLICAS;
    const ns = `ns-${s % 200}`;
    const name = `data-db-${s}-${ordinal}`;
    const node = (c * 7) % scale.nodes;
    const resizing = c % 300 === 11;
    yield {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: ns, uid: uid(3, c), creationTimestamp: iso(-30 * 1440), annotations: { 'volume.kubernetes.io/selected-node': `node-${node}` } },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', volumeName: `pvc-${uid(3, c)}`, resources: { requests: { storage: resizing ? '150Gi' : '100Gi' } } },
      status: {
        phase: 'Bound', capacity: { storage: '100Gi' },
        conditions: resizing ? [{ type: 'FileSystemResizePending', status: 'True', lastTransitionTime: iso(500) }] : undefined,
      },
    };
    yield {
      apiVersion: 'v1', kind: 'PersistentVolume',
      metadata: { name: `pvc-${uid(3, c)}`, uid: uid(4, c), creationTimestamp: iso(c % 500 === 9 ? -200 * 1440 : -30 * 1440 + 1), annotations: { 'pv.kubernetes.io/provisioned-by': 'ebs.csi.aws.com' } },
      spec: {
        capacity: { storage: '100Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', storageClassName: 'gp3',
        claimRef: { kind: 'PersistentVolumeClaim', namespace: ns, name, uid: uid(3, c) },
        csi: { driver: 'ebs.csi.aws.com', volumeHandle: `vol-${c}` },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [ZONES[node % 3]] }] }] } },
      },
      status: { phase: 'Bound' },
    };
    if (c < scale.attachments) {
      yield {
        apiVersion: 'storage.k8s.io/v1', kind: 'VolumeAttachment',
        metadata: { name: `csi-${c.toString(16).padStart(64, '0')}`, creationTimestamp: iso(-29 * 1440) },
        spec: { attacher: 'ebs.csi.aws.com', nodeName: `node-${node}`, source: { persistentVolumeName: `pvc-${uid(3, c)}` } },
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
      },
      spec: { nodeName: `node-${node}`, volumes: isMember ? [{ name: 'data', persistentVolumeClaim: { claimName: `data-db-${s}-${ordinal}` } }] : [] },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: iso(-1400) }] },
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

/** Streams the snapshot to `path` as one JSON List; returns the number of objects. */
export async function writeSnapshot(path: string, scale: Scale): Promise<number> {
  const out = createWriteStream(path);
  let count = 0;
  out.write('{"apiVersion":"v1","kind":"List","metadata":{"annotations":{"stsvol.io/captured-at":"2026-03-10T10:00:00Z"}},"items":[\n');
  for (const obj of objects(scale)) {
    if (!out.write(`${count++ ? ',\n' : ''}${JSON.stringify(obj)}`)) await once(out, 'drain');
  }
  out.end('\n]}\n');
  await once(out, 'finish');
  return count;
}
