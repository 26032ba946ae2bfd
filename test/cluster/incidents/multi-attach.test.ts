// Seed 001 (case 3) with the real attach-detach controller: a ReadWriteOnce volume attached on one
// node is wanted by a pod on another.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { diagnose, find, keys } from '../doctor.ts';
import { claim, namespace, pod, storageClass } from '../objects.ts';
import { TestCluster, WAITS_FOR_VOLUMES } from '../test-cluster.ts';

const NS = 'app';
let cluster: TestCluster;

describe('a ReadWriteOnce volume wanted on a second node', { timeout: 240_000 }, () => {
  before(async () => {
    cluster = await TestCluster.start([{ name: 'n1' }, { name: 'n2' }]);
    await cluster.create(namespace(NS));
    await cluster.create(storageClass('disk', { binding: 'Immediate' }));
  });
  after(() => cluster?.stop());

  it('reports the Multi-Attach event with the attachment and the pod that hold the disk', async () => {
    await cluster.create(claim(NS, 'shared', 'disk'));
    await cluster.create(pod(NS, 'holder', { claim: 'shared', node: 'n1' }));
    await cluster.waitFor('the disk attached to n1', async () => (await cluster.list('storage.k8s.io/v1', 'VolumeAttachment')).some((va) => va.spec.nodeName === 'n1' && va.status?.attached));
    const held = (await cluster.list('storage.k8s.io/v1', 'VolumeAttachment')).find((va) => va.spec.nodeName === 'n1')!;

    await cluster.create(pod(NS, 'second', { claim: 'shared', node: 'n2', annotations: { [WAITS_FOR_VOLUMES]: 'true' } }));
    // Kubernetes 1.37 words it "Waiting for detach for volume ..." (earlier: "Multi-Attach error ...").
    await cluster.waitFor('the attach-detach controller\'s FailedAttachVolume event', async () => (await cluster.list('v1', 'Event', NS)).some((e) => e.involvedObject?.name === 'second' && e.reason === 'FailedAttachVolume'));

    // A pod waits for a detach in every normal reschedule: doctor says nothing yet...
    assert.deepEqual(keys((await diagnose(cluster, { namespace: NS })).live), []);
    // ...and names the holder once the wait is longer than a reschedule takes.
    const d = await diagnose(cluster, { namespace: NS, minutesFromNow: 5 });
    assert.deepEqual(keys(d.live), ['multi-attach critical Pod/second']);
    assert.deepEqual(keys(d.offline), keys(d.live));
    const f = find(d.live, 'multi-attach')!;
    assert.match(f.message, new RegExp(`pod app/second on n2 waits for it; it is held on n1 by ${held.metadata!.name} for pod holder \\(node n1 is Ready\\)`));
    assert.ok(f.evidence.some((e) => e.type === 'event' && /FailedAttachVolume.*Waiting for detach for volume .* Volume is already used by pod\(s\) holder/.test(e.text)), 'quotes the attach-detach controller');
    assert.match(f.remediation[0]!.text, /app\/holder on n1 still uses the volume/);
    assert.equal(f.remediation[0]!.command, 'kubectl delete pod holder -n app');

    // Releasing the holder, as the remedy says, lets the real controllers move the disk.
    await cluster.remove('v1', 'Pod', NS, 'holder');
    await cluster.waitFor('the disk attached to n2', async () => (await cluster.list('storage.k8s.io/v1', 'VolumeAttachment')).some((va) => va.spec.nodeName === 'n2' && va.status?.attached), 120_000);
    assert.deepEqual(keys((await diagnose(cluster, { namespace: NS })).live), []);
  });
});
