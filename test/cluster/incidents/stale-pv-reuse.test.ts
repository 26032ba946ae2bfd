// Seed 000 with the real PV controller and scheduler: scale a StatefulSet with Retain volumes down,
// follow the seed's runbook (delete the claim, clear the Released volume's claimRef), scale up, and
// watch the new replica bind the stale volume.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { diagnose, find, followPatch, keys } from '../doctor.ts';
import { namespace, statefulSet, storageClass } from '../objects.ts';
import { TestCluster } from '../test-cluster.ts';

const NS = 'reuse';
const QUARANTINE_NS = 'quarantine';
let cluster: TestCluster;

describe('stale volume reuse after a scale-down (seed 000)', { timeout: 240_000 }, () => {
  before(async () => {
    cluster = await TestCluster.start([{ name: 'n1' }, { name: 'n2' }]);
    await cluster.create(namespace(NS));
    await cluster.create(namespace(QUARANTINE_NS));
    await cluster.create(storageClass('retain', { reclaim: 'Retain' }));
  });
  after(() => cluster?.stop());

  const claimOf = (name: string) => cluster.read('v1', 'PersistentVolumeClaim', NS, name);
  const podPhase = async (name: string) => (await cluster.read('v1', 'Pod', NS, name))?.status?.phase;

  it('walks the runbook and finds what each step leaves behind', async () => {
    await cluster.create(statefulSet(NS, 'web', { replicas: 2, cls: 'retain', parallel: true }));
    await cluster.waitFor('web-0 and web-1 Running', async () => (await podPhase('web-0')) === 'Running' && (await podPhase('web-1')) === 'Running');
    await cluster.waitFor('both claims Bound', async () => (await claimOf('data-web-1'))?.status?.phase === 'Bound' && (await claimOf('data-web-0'))?.status?.phase === 'Bound');
    const first = await claimOf('data-web-1');
    const oldVolume = first!.spec.volumeName as string;
    assert.equal(oldVolume, `pvc-${first!.metadata!.uid}`, 'external-provisioner names the volume after its claim');

    await cluster.patch({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: NS }, spec: { replicas: 1 } } as never);
    await cluster.waitFor('web-1 gone', async () => (await cluster.read('v1', 'Pod', NS, 'web-1')) === undefined);
    let d = await diagnose(cluster, { namespace: NS });
    assert.deepEqual(keys(d.live), ['orphan-pvc info PersistentVolumeClaim/data-web-1']);
    assert.deepEqual(keys(d.offline), keys(d.live));

    // The seed's clean-up, done the way that causes the incident.
    await cluster.remove('v1', 'PersistentVolumeClaim', NS, 'data-web-1');
    await cluster.waitFor('the volume Released', async () => (await cluster.read('v1', 'PersistentVolume', undefined, oldVolume))?.status?.phase === 'Released');
    d = await diagnose(cluster, { namespace: NS });
    assert.deepEqual(keys(d.live), [`released-pv info PersistentVolume/${oldVolume}`]);
    assert.deepEqual(keys(d.offline), keys(d.live));

    await cluster.patch({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: oldVolume }, spec: { claimRef: null } } as never);
    await cluster.waitFor('the volume Available', async () => (await cluster.read('v1', 'PersistentVolume', undefined, oldVolume))?.status?.phase === 'Available');
    d = await diagnose(cluster, { namespace: NS });
    assert.deepEqual(keys(d.live), [`stale-pv-reuse warning PersistentVolume/${oldVolume}`]);
    assert.match(find(d.live, 'stale-pv-reuse')!.message, /the next replica of reuse\/web that scales up can bind it/);
    assert.deepEqual(keys(d.offline), keys(d.live));

    await cluster.patch({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: NS }, spec: { replicas: 2 } } as never);
    await cluster.waitFor('the new data-web-1 Bound', async () => (await claimOf('data-web-1'))?.status?.phase === 'Bound');
    const second = await claimOf('data-web-1');
    assert.notEqual(second!.metadata!.uid, first!.metadata!.uid, 'a new claim');
    assert.equal(second!.spec.volumeName, oldVolume, 'the real binder gave the new replica the stale volume');

    d = await diagnose(cluster, { namespace: NS });
    assert.deepEqual(keys(d.live), [`stale-pv-reuse critical PersistentVolume/${oldVolume}`]);
    const f = find(d.live, 'stale-pv-reuse')!;
    assert.ok(f.evidence.some((e) => e.text.includes(`volume name carries claim uid ${first!.metadata!.uid}`)));
    assert.ok(f.related.some((r) => r.kind === 'Pod' && r.name === 'web-1'));
    assert.deepEqual(keys(d.offline), keys(d.live));
  });

  it('follows the quarantine remedy: the real binder then provisions a fresh volume, and a stale remedy is refused', async () => {
    const claim = (name: string) => cluster.read('v1', 'PersistentVolumeClaim', QUARANTINE_NS, name);
    const volume = (name: string) => cluster.read('v1', 'PersistentVolume', undefined, name);
    await cluster.create(statefulSet(QUARANTINE_NS, 'api', { replicas: 2, cls: 'retain', parallel: true }));
    await cluster.waitFor('both claims Bound', async () => (await claim('data-api-0'))?.status?.phase === 'Bound' && (await claim('data-api-1'))?.status?.phase === 'Bound');
    const oldVolume = (await claim('data-api-1'))!.spec.volumeName as string;
    await cluster.patch({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'api', namespace: QUARANTINE_NS }, spec: { replicas: 1 } } as never);
    await cluster.waitFor('api-1 gone', async () => (await cluster.read('v1', 'Pod', QUARANTINE_NS, 'api-1')) === undefined);
    await cluster.remove('v1', 'PersistentVolumeClaim', QUARANTINE_NS, 'data-api-1');
    await cluster.waitFor('the volume Released', async () => (await volume(oldVolume))?.status?.phase === 'Released');
    await cluster.patch({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: oldVolume }, spec: { claimRef: null } } as never);
    await cluster.waitFor('the volume Available', async () => (await volume(oldVolume))?.status?.phase === 'Available');

    const quarantineOf = async () => find((await diagnose(cluster, { namespace: QUARANTINE_NS })).live, 'stale-pv-reuse', oldVolume)!
      .remediation.find((s) => s.command?.includes('stsvol-quarantine'))!.command!;
    const stale = await quarantineOf();
    await cluster.patch({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: oldVolume, labels: { touched: 'yes' } } } as never);
    await assert.rejects(followPatch(cluster, stale), (err: { code?: number }) => err.code === 409, 'a remedy read before the volume changed is refused');
    await followPatch(cluster, await quarantineOf());
    await cluster.waitFor('the PV controller has seen the reservation', async () => (await volume(oldVolume))?.spec?.claimRef?.namespace === 'stsvol-quarantine');

    await cluster.patch({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'api', namespace: QUARANTINE_NS }, spec: { replicas: 2 } } as never);
    await cluster.waitFor('the new data-api-1 Bound', async () => (await claim('data-api-1'))?.status?.phase === 'Bound');
    assert.notEqual((await claim('data-api-1'))!.spec.volumeName, oldVolume, 'the new replica got a fresh volume');
    const kept = await volume(oldVolume);
    assert.equal(kept!.status.phase, 'Available', 'the quarantined volume keeps its data, reserved for nobody');
    const d = await diagnose(cluster, { namespace: QUARANTINE_NS });
    assert.deepEqual(keys(d.live), []);
    assert.deepEqual(keys(d.offline), keys(d.live));
  });
});
