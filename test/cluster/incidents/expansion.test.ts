// Seeds 001-003 with the real expand controller and external-resizer: a class that cannot expand,
// a resize left waiting for the node, a resize the backend refuses, claims expanded past their
// StatefulSet's template.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { diagnose, find, keys } from '../doctor.ts';
import { PARAM_MAX_SIZE, PARAM_NODE_EXPANSION } from '../disk-backend.ts';
import { claim, namespace, pod, statefulSet, storageClass } from '../objects.ts';
import { TestCluster } from '../test-cluster.ts';

const NS = 'grow';
let cluster: TestCluster;

function resize(name: string, size: string) {
  return cluster.patch({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: NS }, spec: { resources: { requests: { storage: size } } } } as never);
}

const readClaim = (name: string) => cluster.read('v1', 'PersistentVolumeClaim', NS, name);
const hasCondition = async (name: string, type: string) => ((await readClaim(name))?.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === type && c.status === 'True');

describe('expanding StatefulSet volumes', { timeout: 300_000 }, () => {
  before(async () => {
    cluster = await TestCluster.start([{ name: 'n1' }, { name: 'n2' }]);
    await cluster.create(namespace(NS));
    await cluster.create(storageClass('resizable', { binding: 'Immediate' }));
    await cluster.create(storageClass('offline-expand', { binding: 'Immediate', parameters: { [PARAM_NODE_EXPANSION]: 'true' } }));
    await cluster.create(storageClass('limited', { binding: 'Immediate', parameters: { [PARAM_MAX_SIZE]: '2Gi' } }));
    await cluster.create(storageClass('local-path', { provisioner: 'rancher.io/local-path' }));
  });
  after(() => cluster?.stop());

  it('local-path: the request is accepted and nothing ever expands it (seed 002)', async () => {
    // What local-path-provisioner creates: a hostPath volume pinned to a node, bound to the claim.
    await cluster.create({
      apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-zk', annotations: { 'pv.kubernetes.io/provisioned-by': 'rancher.io/local-path' } },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'local-path', hostPath: { path: '/opt/local-path/pv-zk' }, claimRef: { namespace: NS, name: 'data-zk-0' } },
    } as never);
    await cluster.create(claim(NS, 'data-zk-0', 'local-path', { volumeName: 'pv-zk' }));
    await cluster.waitFor('data-zk-0 Bound', async () => (await readClaim('data-zk-0'))?.status?.phase === 'Bound');
    await resize('data-zk-0', '2Gi');
    await cluster.waitFor('the expander giving up on it', async () => (await cluster.list('v1', 'Event', NS)).some((e) => e.involvedObject?.name === 'data-zk-0' && e.reason === 'ExternalExpanding'));
    const d = await diagnose(cluster, { namespace: NS });
    assert.deepEqual(keys(d.live), ['resize-unsupported warning PersistentVolumeClaim/data-zk-0']);
    assert.deepEqual(keys(d.offline), keys(d.live));
    assert.match(find(d.live, 'resize-unsupported')!.message, /requests 2Gi but has 1Gi, and nothing will expand it: its provisioner rancher.io\/local-path cannot expand volumes/);
    // What users try first, and why the remedy does not offer it: the API keeps the request above capacity.
    await assert.rejects(resize('data-zk-0', '1Gi'), /422|can not be less than status\.capacity/);
    await cluster.remove('v1', 'PersistentVolumeClaim', NS, 'data-zk-0');
    await cluster.remove('v1', 'PersistentVolume', undefined, 'pv-zk'); // no local-path provisioner runs to delete it
  });

  it('a driver that expands offline leaves FileSystemResizePending until the pod restarts', async () => {
    await cluster.create(claim(NS, 'logs', 'offline-expand'));
    await cluster.create(pod(NS, 'collector', { claim: 'logs' }));
    await cluster.waitFor('collector Running', async () => (await cluster.read('v1', 'Pod', NS, 'collector'))?.status?.phase === 'Running');
    // Object times are whole seconds: the pod must have mounted in an earlier second than the
    // expansion, or the kubelet's part (kubelet-expansion.ts) cannot tell it from a mount after it.
    await new Promise((r) => setTimeout(r, 1100));
    await resize('logs', '2Gi');
    await cluster.waitFor('FileSystemResizePending', () => hasCondition('logs', 'FileSystemResizePending'));
    assert.deepEqual(keys((await diagnose(cluster, { namespace: NS })).live), [], 'normal in the first minutes');
    const d = await diagnose(cluster, { namespace: NS, minutesFromNow: 11 });
    assert.deepEqual(keys(d.live), ['resize-fs-pending warning PersistentVolumeClaim/logs']);
    assert.deepEqual(keys(d.offline), keys(d.live));
    assert.match(find(d.live, 'resize-fs-pending')!.message, /expanded to 2Gi but the file system has waited 1[01]m for the node \(claim still shows 1Gi\)/);
    await cluster.remove('v1', 'PersistentVolumeClaim', NS, 'logs');
    await cluster.remove('v1', 'Pod', NS, 'collector');
  });

  it('a resize the backend refuses is quoted with its cause and the way back', async () => {
    await cluster.create(claim(NS, 'big', 'limited'));
    await cluster.waitFor('big Bound', async () => (await readClaim('big'))?.status?.phase === 'Bound');
    await resize('big', '5Gi');
    await cluster.waitFor('ControllerResizeError', () => hasCondition('big', 'ControllerResizeError'));
    const d = await diagnose(cluster, { namespace: NS });
    assert.deepEqual(keys(d.live), ['resize-failed warning PersistentVolumeClaim/big']);
    assert.deepEqual(keys(d.offline), keys(d.live));
    const f = find(d.live, 'resize-failed')!;
    assert.match(f.message, /expansion from 1Gi to 5Gi failed: .*exceeds the backend limit/);
    assert.match(f.remediation[1]!.command!, /"storage":"<size above 1Gi>"/);
    await resize('big', '2Gi'); // the remedy: a size above the capacity that the backend accepts
    await cluster.waitFor('big at 2Gi', async () => (await readClaim('big'))?.status?.capacity?.storage === '2Gi', 60_000);
    assert.deepEqual(keys((await diagnose(cluster, { namespace: NS })).live), []);
    await cluster.remove('v1', 'PersistentVolumeClaim', NS, 'big');
  });

  it('claims expanded one by one leave the StatefulSet template behind (seeds 002/003)', async () => {
    await cluster.create(statefulSet(NS, 'cache', { replicas: 2, cls: 'resizable', parallel: true }));
    await cluster.waitFor('both claims Bound', async () => (await readClaim('data-cache-0'))?.status?.phase === 'Bound' && (await readClaim('data-cache-1'))?.status?.phase === 'Bound');
    for (const c of ['data-cache-1', 'data-cache-0']) await resize(c, '2Gi');
    await cluster.waitFor('both claims at 2Gi', async () => (await readClaim('data-cache-0'))?.status?.capacity?.storage === '2Gi' && (await readClaim('data-cache-1'))?.status?.capacity?.storage === '2Gi', 90_000);
    // Minutes after the last resize this is the runbook in progress (seed 003), not drift...
    assert.deepEqual(keys((await diagnose(cluster, { namespace: NS })).live), []);
    // ...but left like that, new replicas would get the old size.
    const d = await diagnose(cluster, { namespace: NS, minutesFromNow: 15 });
    assert.deepEqual(keys(d.live), ['sts-template-drift warning StatefulSet/cache']);
    assert.deepEqual(keys(d.offline), keys(d.live));
    const f = find(d.live, 'sts-template-drift')!;
    assert.match(f.message, /template "data" requests 1Gi but claims were expanded/);
    assert.deepEqual(f.remediation.map((s) => s.command), [
      `stsvol resize statefulset/cache -n ${NS} --to 2Gi --template data`,
      `kubectl get statefulset cache -n ${NS} -o yaml > ./cache.yaml`, `kubectl delete statefulset cache -n ${NS} --cascade=orphan`, 'kubectl apply -f ./cache.yaml', `kubectl get statefulset cache -n ${NS} -o wide`,
    ]);
  });
});
