// Seeds 000/001 with the real scheduler: a volume pinned to a zone without nodes, and nodes at their
// CSI attach limit.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { diagnose, find, keys } from '../doctor.ts';
import { claim, namespace, statefulSet, storageClass } from '../objects.ts';
import { DRIVER, TestCluster } from '../test-cluster.ts';

let cluster: TestCluster;
const failedScheduling = async (ns: string, pod: string, text: RegExp) =>
  (await cluster.list('v1', 'Event', ns)).some((e) => e.involvedObject?.name === pod && e.reason === 'FailedScheduling' && text.test(e.message));

describe('scheduling blocked by volumes', { timeout: 300_000 }, () => {
  before(async () => {
    cluster = await TestCluster.start([{ name: 'a1', zone: 'zone-a', attachLimit: 1 }, { name: 'a2', zone: 'zone-a', attachLimit: 1 }]);
    await cluster.create(storageClass('disk'));
  });
  after(() => cluster?.stop());

  it('a volume pinned to a zone with no node left: volume node affinity conflict', async () => {
    await cluster.create(namespace('analytics'));
    // A disk made in zone-c, whose nodes are gone: what a zonal provisioner leaves behind.
    await cluster.create({
      apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-zone-c', annotations: { 'pv.kubernetes.io/provisioned-by': DRIVER } },
      spec: {
        capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'disk',
        csi: { driver: DRIVER, volumeHandle: 'disk-zone-c' }, claimRef: { namespace: 'analytics', name: 'data-ch-0' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-c'] }] }] } },
      },
    } as never);
    await cluster.create(claim('analytics', 'data-ch-0', 'disk', { volumeName: 'pv-zone-c' }));
    await cluster.create(statefulSet('analytics', 'ch', { replicas: 1, cls: 'disk' }));
    await cluster.waitFor('the scheduler\'s conflict', () => failedScheduling('analytics', 'ch-0', /didn't match PersistentVolume's node affinity/));
    const d = await diagnose(cluster, { namespace: 'analytics', minutesFromNow: 3 });
    assert.deepEqual(keys(d.live), ['volume-node-affinity-conflict critical Pod/ch-0']);
    assert.deepEqual(keys(d.offline), keys(d.live));
    const f = find(d.live, 'volume-node-affinity-conflict')!;
    assert.match(f.message, /its volume pv-zone-c is pinned to topology.kubernetes.io\/zone In \[zone-c\] and no schedulable node is there/);
    assert.ok(f.evidence.some((e) => e.type === 'event' && /didn't match PersistentVolume's node affinity/.test(e.text)), 'quotes the scheduler');
    assert.ok(f.evidence.some((e) => /schedulable nodes are in zones: zone-a/.test(e.text)));
  });

  it('nodes at their attach limit: max volume count', async () => {
    await cluster.create(namespace('search'));
    await cluster.create(statefulSet('search', 'es', { replicas: 3, cls: 'disk', parallel: true }));
    await cluster.waitFor('two replicas Running', async () => (await cluster.list('v1', 'Pod', 'search')).filter((p) => p.status?.phase === 'Running').length === 2);
    const waiting = (await cluster.list('v1', 'Pod', 'search')).find((p) => !p.spec.nodeName)!.metadata!.name!;
    await cluster.waitFor('the scheduler\'s max volume count', () => failedScheduling('search', waiting, /max volume count/));
    await cluster.waitFor('both disks attached', async () => (await cluster.list('storage.k8s.io/v1', 'VolumeAttachment')).filter((va) => va.status?.attached).length === 2);
    const d = await diagnose(cluster, { namespace: 'search', minutesFromNow: 3 });
    assert.deepEqual(keys(d.live), [`attach-limit critical Pod/${waiting}`]);
    assert.deepEqual(keys(d.offline), keys(d.live));
    assert.match(find(d.live, 'attach-limit')!.message, new RegExp(`nodes exceed their max volume count; 2 node\\(s\\) at their attach limit \\(a1 1/1 ${DRIVER.replaceAll('.', '\\.')}, a2 1/1`));
  });
});
