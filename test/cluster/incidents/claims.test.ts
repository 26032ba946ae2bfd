// Seeds 000/001/004 with the real StatefulSet controller, quota admission, PV controller and
// external-provisioner: claims that are refused, name a missing class, fail to provision, or wait on
// a provisioner nobody runs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { diagnose, find, keys } from '../doctor.ts';
import { PARAM_FAIL_PROVISION } from '../disk-backend.ts';
import { claim, namespace, pod, statefulSet, storageClass } from '../objects.ts';
import { TestCluster } from '../test-cluster.ts';

let cluster: TestCluster;
const eventFor = async (ns: string, name: string, reason: string) => (await cluster.list('v1', 'Event', ns)).find((e) => e.involvedObject?.name === name && e.reason === reason);

describe('claims that cannot be created or provisioned', { timeout: 300_000 }, () => {
  before(async () => {
    cluster = await TestCluster.start([{ name: 'n1' }]);
    await cluster.create(storageClass('disk'));
  });
  after(() => cluster?.stop());

  it('a namespace storage quota refuses the StatefulSet\'s next claim', async () => {
    await cluster.create(namespace('quota'));
    await cluster.create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'storage-quota', namespace: 'quota' }, spec: { hard: { 'requests.storage': '1Gi' } } } as never);
    await cluster.waitFor('the quota counted', async () => (await cluster.read('v1', 'ResourceQuota', 'quota', 'storage-quota'))?.status?.hard !== undefined);
    await cluster.create(statefulSet('quota', 'q', { replicas: 2, cls: 'disk', parallel: true }));
    await cluster.waitFor('the StatefulSet controller\'s FailedCreate', async () => /exceeded quota/.test((await eventFor('quota', 'q', 'FailedCreate'))?.message ?? ''));
    const d = await diagnose(cluster, { namespace: 'quota' });
    assert.deepEqual(keys(d.live), ['storage-quota-exceeded critical StatefulSet/q']);
    assert.deepEqual(keys(d.offline), keys(d.live));
    const f = find(d.live, 'storage-quota-exceeded')!;
    assert.match(f.message, /ResourceQuota quota\/storage-quota refuses claim data-q-1 of StatefulSet quota\/q \(requested storage used up\): the replica cannot be created/);
    assert.ok(f.evidence.some((e) => e.text === 'requests.storage: used 1Gi of 1Gi'));
    // The quota admission names the refused key and the figures; the remedy raises exactly that key.
    assert.ok(f.remediation.some((s) => s.command === `kubectl patch resourcequota storage-quota -n quota --type=merge -p '{"spec":{"hard":{"requests.storage":"2Gi"}}}'`));
  });

  it('a claim naming a class that does not exist', async () => {
    await cluster.create(namespace('tools'));
    await cluster.create(claim('tools', 'reports', 'standard-old'));
    await cluster.create(pod('tools', 'builder', { claim: 'reports' }));
    await cluster.waitFor('the PV controller\'s complaint', async () => (await eventFor('tools', 'reports', 'ProvisioningFailed')) !== undefined);
    const d = await diagnose(cluster, { namespace: 'tools' });
    assert.deepEqual(keys(d.live), ['missing-storageclass critical PersistentVolumeClaim/reports']);
    assert.deepEqual(keys(d.offline), keys(d.live));
    assert.match(find(d.live, 'missing-storageclass')!.message, /is Pending on storageClassName "standard-old", which does not exist; pod builder cannot start/);
  });

  it('a provisioner that fails, quoted; and one that nobody runs', async () => {
    await cluster.create(namespace('prov'));
    await cluster.create(storageClass('broken', { binding: 'Immediate', parameters: { [PARAM_FAIL_PROVISION]: 'QuotaExceed.Disk: the total size of disks in zone-a exceeds the quota' } }));
    await cluster.create(storageClass('nfs', { binding: 'Immediate', provisioner: 'cluster.local/nfs-subdir-external-provisioner' }));
    await cluster.create(claim('prov', 'scratch', 'broken'));
    await cluster.create(claim('prov', 'share', 'nfs'));
    await cluster.waitFor('the external-provisioner\'s ProvisioningFailed', async () => (await eventFor('prov', 'scratch', 'ProvisioningFailed')) !== undefined);
    await cluster.waitFor('the PV controller waiting on the NFS provisioner', async () => (await eventFor('prov', 'share', 'ExternalProvisioning')) !== undefined);
    const d = await diagnose(cluster, { namespace: 'prov', minutesFromNow: 6 });
    assert.deepEqual(keys(d.live), ['pvc-no-provisioner warning PersistentVolumeClaim/share', 'pvc-provisioning-failed warning PersistentVolumeClaim/scratch']);
    assert.deepEqual(keys(d.offline), keys(d.live));
    assert.match(find(d.live, 'pvc-provisioning-failed')!.message, /provisioning 1Gi in class broken failed: .*QuotaExceed\.Disk: the total size of disks in zone-a exceeds the quota/);
    assert.match(find(d.live, 'pvc-no-provisioner')!.message, /no CSIDriver or running provisioner serves cluster\.local\/nfs-subdir-external-provisioner/);
  });
});
