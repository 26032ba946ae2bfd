// Admission: every object is checked against the fields stsvol reads, and keeps only those.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admit } from '../../../src/model/admission.ts';

/** What any writer (JSON, YAML) makes of an admitted object: released fields are not written. */
function written(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

describe('admission', () => {
  it('refuses an object of the wrong shape with the field and the reason', () => {
    const cases: [unknown, string, string][] = [
      [{ kind: 'Pod', metadata: {} }, 'metadata.name', 'is required'],
      [{ kind: 'Pod', metadata: { name: '' } }, 'metadata.name', 'must not have fewer than 1 characters'],
      [{ kind: 'Pod', metadata: { name: 'p' }, spec: { volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 7 } }] } }, 'spec.volumes[0].persistentVolumeClaim.claimName', 'must be string'],
      [{ kind: 'StatefulSet', metadata: { name: 's' }, spec: { replicas: -1 } }, 'spec.replicas', 'must be >= 0'],
      [{ kind: 'StatefulSet', metadata: { name: 's' }, spec: { volumeClaimTemplates: null } }, 'spec.volumeClaimTemplates', 'must be array'],
      [{ kind: 'Node', metadata: { name: 'n', labels: { 'topology.kubernetes.io/zone': 3 } } }, 'metadata.labels["topology.kubernetes.io/zone"]', 'must be string'],
      [{ kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, status: { capacity: { storage: 10 } } }, 'status.capacity.storage', 'must be string'],
      [[], '(object)', 'must be an object, not an array'],
    ];
    for (const [raw, field, message] of cases) {
      const { problem } = admit(raw, ((raw as { kind?: string }).kind ?? 'Pod') as 'Pod');
      assert.deepEqual(problem, { field, message }, JSON.stringify(raw));
    }
  });

  it('reads a null time as unset, as Go writes it (events made through events.k8s.io/v1, pod conditions)', () => {
    const event = { kind: 'Event', metadata: { name: 'e', namespace: 'db', creationTimestamp: '2026-03-10T10:00:00Z' }, involvedObject: { kind: 'Pod', name: 'p' }, reason: 'FailedScheduling', firstTimestamp: null, lastTimestamp: null, eventTime: '2026-03-10T10:00:01.123456Z' };
    assert.deepEqual(written(admit(event, 'Event').object), { kind: 'Event', metadata: { name: 'e', namespace: 'db', creationTimestamp: '2026-03-10T10:00:00Z' }, involvedObject: { kind: 'Pod', name: 'p' }, reason: 'FailedScheduling', eventTime: '2026-03-10T10:00:01.123456Z' });
    const pod = { kind: 'Pod', metadata: { name: 'p' }, status: { conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: null }] } };
    assert.deepEqual(written(admit(pod, 'Pod').object), { kind: 'Pod', metadata: { name: 'p' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
    assert.deepEqual(admit({ kind: 'Pod', metadata: { name: 'p', namespace: null } }, 'Pod').problem, { field: 'metadata.namespace', message: 'must be string' }, 'only times: null elsewhere is the wrong shape');
  });

  it('reads a nil list as unset: a CSINode of a node that runs no node plugin, still pruned inside', () => {
    assert.deepEqual(written(admit({ kind: 'CSINode', metadata: { name: 'bare' }, spec: { drivers: null } }, 'CSINode').object), { kind: 'CSINode', metadata: { name: 'bare' }, spec: {} });
    const node = { kind: 'CSINode', metadata: { name: 'n1' }, spec: { drivers: [{ name: 'ebs.csi.aws.com', nodeID: 'i-1', topologyKeys: null, extra: 'dropped' }] } };
    assert.deepEqual(written(admit(node, 'CSINode').object), { kind: 'CSINode', metadata: { name: 'n1' }, spec: { drivers: [{ name: 'ebs.csi.aws.com', nodeID: 'i-1' }] } });
    assert.equal(admit({ kind: 'CSINode', metadata: { name: 'n1' }, spec: { drivers: [{ nodeID: 'i-1' }] } }, 'CSINode').problem?.field, 'spec.drivers[0].name');
  });

  it('keeps only the declared fields, known annotations and known StorageClass parameters', () => {
    const pod = {
      kind: 'Pod',
      metadata: { name: 'p', managedFields: [{}], annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"secret":1}', 'volume.kubernetes.io/selected-node': 'n1', 'stsvol.io/reuse-intended': 'true', 'vault.hashicorp.com/agent-inject-secret-db': 'x' } },
      spec: { nodeName: 'n1', containers: [{ args: ['--password=hunter2'], command: ['sh'], env: [{ name: 'P', value: 'hunter2' }] }], initContainers: [{}], ephemeralContainers: [{}] },
      status: { phase: 'Running', podIP: '10.0.0.1' },
    };
    const admitted = admit(pod, 'Pod').object as unknown as { spec: { containers?: unknown } };
    assert.equal(admitted.spec.containers, undefined, 'released for the garbage collector');
    assert.deepEqual(written(admitted), {
      kind: 'Pod',
      metadata: { name: 'p', annotations: { 'volume.kubernetes.io/selected-node': 'n1', 'stsvol.io/reuse-intended': 'true' } },
      spec: { nodeName: 'n1' },
      status: { phase: 'Running' },
    });
    const sc = { kind: 'StorageClass', metadata: { name: 'ceph' }, provisioner: 'rbd.csi.ceph.com', parameters: { 'csi.storage.k8s.io/fstype': 'ext4', 'csi.storage.k8s.io/provisioner-secret-name': 'admin', monitors: '10.0.0.1:6789', userKey: 'AQD...' } };
    assert.deepEqual((admit(sc, 'StorageClass').object as { parameters?: object }).parameters, { 'csi.storage.k8s.io/fstype': 'ext4' });
    const sts = { kind: 'StatefulSet', metadata: { name: 's' }, spec: { replicas: 2, template: { metadata: { annotations: { 'backup.velero.io/backup-volumes': 'data', 'vault.hashicorp.com/agent-inject': 'true' } }, spec: { containers: [{ env: [{ name: 'K', value: 'v' }] }] } }, volumeClaimTemplates: [{ metadata: { name: 'data', creationTimestamp: null }, spec: { resources: { requests: { storage: '1Gi' } } } }] } };
    assert.deepEqual(written(admit(sts, 'StatefulSet').object), { kind: 'StatefulSet', metadata: { name: 's' }, spec: { replicas: 2, template: { metadata: { annotations: { 'backup.velero.io/backup-volumes': 'data' } }, spec: { containers: [{}] } }, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '1Gi' } } } }] } });
    const sidecar = { kind: 'Deployment', metadata: { name: 'ebs-csi-controller' }, spec: { replicas: 2, template: { spec: { containers: [{ name: 'csi-provisioner', image: 'registry.k8s.io/sig-storage/csi-provisioner:v6.3.0', args: ['--csi-address=$(ADDRESS)', '--leader-election=true', '--kube-api-burst=100', '--token=hunter2'] }] } } } };
    assert.deepEqual(written(admit(sidecar, 'Deployment').object), { kind: 'Deployment', metadata: { name: 'ebs-csi-controller' }, spec: { replicas: 2, template: { spec: { containers: [{ name: 'csi-provisioner', image: 'registry.k8s.io/sig-storage/csi-provisioner:v6.3.0', args: ['--leader-election=true'] }] } } } }, 'of the args only the leader-election flags');
  });

  it('keeps no field whose name an object inherits (constructor, toString, __proto__)', () => {
    const pod = JSON.parse('{"kind": "Pod", "metadata": {"name": "p", "constructor": "secret-1", "__proto__": {"token": "secret-2"}}, "spec": {"nodeName": "n1", "toString": "secret-3", "hasOwnProperty": {"x": "secret-4"}}}');
    const text = JSON.stringify(admit(pod, 'Pod').object);
    assert.doesNotMatch(text, /secret/);
    assert.deepEqual(JSON.parse(text), { kind: 'Pod', metadata: { name: 'p' }, spec: { nodeName: 'n1' } });
  });

  it('checks the values of maps whatever their keys hold, line breaks included', () => {
    for (const key of ['a\nb', '\r', '\u2028', '']) {
      const pod = { kind: 'Pod', metadata: { name: 'p', labels: { [key]: { secret: 'x' } } } };
      assert.equal(admit(pod, 'Pod').problem?.message, 'must be string', JSON.stringify(key));
    }
    const claim = { kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, spec: { resources: { requests: { 'storage\n': 7 } } } };
    assert.ok(admit(claim, 'PersistentVolumeClaim').problem);
  });
});
