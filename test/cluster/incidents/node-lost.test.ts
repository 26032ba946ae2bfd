// Seeds 000/001 with the real node lifecycle, pod GC and attach-detach controllers: a node goes
// silent, then is deleted.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertOrder } from '../../fixtures/build.ts';
import { diagnose, find, keys } from '../doctor.ts';
import { namespace, statefulSet, storageClass } from '../objects.ts';
import { TestCluster } from '../test-cluster.ts';

const NS = 'db';
let cluster: TestCluster;

describe('a node is lost under a StatefulSet', { timeout: 300_000 }, () => {
  before(async () => {
    cluster = await TestCluster.start([{ name: 'n1' }, { name: 'n2' }, { name: 'n3' }, { name: 'n4' }]);
    await cluster.create(namespace(NS));
    await cluster.create(storageClass('disk'));
  });
  after(() => cluster?.stop());

  it('leaves the pod terminating and its disk attached until the node is fenced or deleted', async () => {
    await cluster.create(statefulSet(NS, 'mysql', { replicas: 3, cls: 'disk', parallel: true, spreadOverNodes: true, evictAfter: 2 }));
    const pods = () => cluster.list('v1', 'Pod', NS);
    await cluster.waitFor('three pods Running', async () => (await pods()).filter((p) => p.status?.phase === 'Running').length === 3);
    await cluster.waitFor('three volumes attached', async () => (await cluster.list('storage.k8s.io/v1', 'VolumeAttachment')).filter((va) => va.status?.attached).length === 3);
    const victim = (await pods()).find((p) => p.spec.nodeName === 'n1')!;
    const name = victim.metadata!.name!;
    const attachment = (await cluster.list('storage.k8s.io/v1', 'VolumeAttachment')).find((va) => va.spec.nodeName === 'n1')!;

    await cluster.loseNode('n1');
    await cluster.waitFor('n1 NotReady', async () => !(await cluster.nodeReady('n1')), 90_000);
    await cluster.waitFor(`${name} evicted (terminating)`, async () => Boolean((await cluster.read('v1', 'Pod', NS, name))?.metadata?.deletionTimestamp), 60_000);

    // Right now this is Kubernetes doing its job: nothing above info.
    let d = await diagnose(cluster, { namespace: NS });
    assert.deepEqual(keys(d.live).filter((k) => !k.includes(' info ')), []);

    // Ten minutes on, if nobody acts: the StatefulSet is down one replica and the disk is held.
    d = await diagnose(cluster, { namespace: NS, minutesFromNow: 10 });
    assert.deepEqual(keys(d.live), [`stale-volumeattachment warning VolumeAttachment/${attachment.metadata!.name}`, `stuck-terminating critical Pod/${name}`]);
    assert.deepEqual(keys(d.offline), keys(d.live));
    const stuck = find(d.live, 'stuck-terminating')!;
    assert.match(stuck.message, new RegExp(`because node n1 is NotReady for .*; StatefulSet db/mysql cannot re-create ${name}`));
    const commands = stuck.remediation.map((s) => s.command ?? '');
    assertOrder(commands, 'kubectl taint nodes n1 node.kubernetes.io/out-of-service=nodeshutdown:NoExecute', `kubectl delete pod ${name} -n db --force --grace-period=0`);
    assert.equal(commands.at(-1), 'kubectl taint nodes n1 node.kubernetes.io/out-of-service=nodeshutdown:NoExecute-', 'un-fencing is the last step');

    // The node is deleted: the pod GC removes pods of deleted nodes after its quarantine, the
    // attach-detach controller detaches, and the StatefulSet re-creates the replica elsewhere.
    await cluster.remove('v1', 'Node', undefined, 'n1');
    d = await diagnose(cluster, { namespace: NS, minutesFromNow: 10 });
    assert.ok(keys(d.live).includes(`pod-on-missing-node critical Pod/${name}`), `during the pod GC's quarantine the pod sits on a missing node: ${keys(d.live).join('; ')}`);
    assert.match(find(d.live, 'stuck-terminating')!.message, /node n1 does not exist/);
    await cluster.waitFor(`${name} re-created on a live node`, async () => {
      const p = await cluster.read('v1', 'Pod', NS, name);
      return p?.status?.phase === 'Running' && p.spec.nodeName !== 'n1' && !p.metadata?.deletionTimestamp;
    }, 120_000);
    await cluster.waitFor('the old attachment gone', async () => (await cluster.read('storage.k8s.io/v1', 'VolumeAttachment', undefined, attachment.metadata!.name!)) === undefined, 120_000);
    d = await diagnose(cluster, { namespace: NS });
    assert.deepEqual(keys(d.live), []);
    assert.deepEqual(keys(d.offline), []);
  });
});
