import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pvcNoProvisioner } from '../../../src/checks/rules/pvc-no-provisioner.ts';
import { claim, csiDriver, event, modelOf, run, runOn, storageClass } from '../../fixtures/build.ts';

const WAITING = "Waiting for a volume to be created either by the external provisioner 'cluster.local/nfs-subdir-external-provisioner' or manually by the system administrator.";

describe('pvc-no-provisioner', () => {
  it('reports a claim waiting on a provisioner that nothing serves', () => {
    const c = claim('tools', 'scratch', { phase: 'Pending', cls: 'nfs', created: 150 });
    const [f] = run(pvcNoProvisioner, [storageClass('nfs', { provisioner: 'cluster.local/nfs-subdir-external-provisioner', binding: 'Immediate' }), csiDriver('ebs.csi.aws.com'), c, event(c, 'ExternalProvisioning', WAITING, { type: 'Normal', count: 500 })]);
    assert.equal(f!.severity, 'warning');
    assert.match(f!.message, /tools\/scratch has been Pending 2h30m: no CSIDriver or running provisioner serves cluster.local\/nfs-subdir-external-provisioner/);
    assert.ok(f!.evidence.some((e) => e.text.includes('no CSIDriver named cluster.local/nfs-subdir-external-provisioner; drivers: ebs.csi.aws.com')));
    assert.ok(f!.evidence.some((e) => e.type === 'event' && e.text.includes('ExternalProvisioning (x500)')));
  });

  it('follows CSI migration of in-tree provisioner names', () => {
    const c = claim('a', 'c', { phase: 'Pending', cls: 'gp2', created: 30 });
    const findings = run(pvcNoProvisioner, [storageClass('gp2', { provisioner: 'kubernetes.io/aws-ebs', binding: 'Immediate' }), csiDriver('ebs.csi.aws.com'), c]);
    assert.deepEqual(findings, [], 'kubernetes.io/aws-ebs is served by ebs.csi.aws.com');
  });

  it('explains a static class that provisions nothing', () => {
    const c = claim('a', 'local', { phase: 'Pending', cls: 'local', created: 30, annotations: { 'volume.kubernetes.io/selected-node': 'n1' } });
    const [f] = run(pvcNoProvisioner, [storageClass('local', { provisioner: 'kubernetes.io/no-provisioner' }), c]);
    assert.match(f!.message, /provisions nothing .* waits for an administrator to create a matching PersistentVolume/);
  });

  it('with CSIDrivers hidden, concludes only from the waiting events, never "no driver"', () => {
    const quiet = claim('a', 'quiet', { phase: 'Pending', cls: 'csi', created: 60 });
    const blind = modelOf([storageClass('csi', { provisioner: 'ebs.csi.aws.com', binding: 'Immediate' }), quiet]);
    blind.snapshot.notices.push({ kind: 'CSIDriver', reason: 'forbidden', message: 'listing csidrivers is forbidden' });
    assert.deepEqual(runOn(pvcNoProvisioner, blind), [], 'absence from a hidden kind is no evidence');
    const waiting = claim('a', 'waiting', { phase: 'Pending', cls: 'csi', created: 60 });
    const seen = modelOf([storageClass('csi', { provisioner: 'ebs.csi.aws.com', binding: 'Immediate' }), waiting, event(waiting, 'ExternalProvisioning', WAITING, { type: 'Normal' })]);
    seen.snapshot.notices.push({ kind: 'CSIDriver', reason: 'forbidden', message: 'listing csidrivers is forbidden' });
    const [f] = runOn(pvcNoProvisioner, seen);
    assert.match(f!.message, /no provisioner has acted on the claim for ebs\.csi\.aws\.com \(CSIDrivers could not be read\)/);
    assert.ok(!f!.evidence.some((e) => /no CSIDriver named/.test(e.text)));
  });

  it('stays silent for WaitForFirstConsumer without a consumer, a young claim, and a provisioner at work', () => {
    const wffc = claim('a', 'wffc', { phase: 'Pending', cls: 'nfs-wffc', created: 600 });
    const young = claim('a', 'young', { phase: 'Pending', cls: 'nfs', created: 2 });
    const working = claim('a', 'working', { phase: 'Pending', cls: 'nfs', created: 60 });
    assert.deepEqual(run(pvcNoProvisioner, [
      storageClass('nfs-wffc', { provisioner: 'example.com/nfs', binding: 'WaitForFirstConsumer' }),
      storageClass('nfs', { provisioner: 'example.com/nfs', binding: 'Immediate' }),
      wffc, young, working, event(working, 'Provisioning', 'External provisioner is provisioning volume for claim "a/working"', { type: 'Normal' }),
    ]), []);
  });
});
