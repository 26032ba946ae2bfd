import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pvcProvisioningFailed } from '../../../src/checks/rules/pvc-provisioning-failed.ts';
import { claim, event, pod, run, storageClass } from '../../fixtures/build.ts';

const QUOTA = 'failed to provision volume with StorageClass "fast": rpc error: code = ResourceExhausted desc = QuotaExceed.Disk';

describe('pvc-provisioning-failed', () => {
  it('quotes the provisioner and is critical while a pod waits for the claim', () => {
    const c = claim('cx', 'data-recv-3', { phase: 'Pending' });
    const [f] = run(pvcProvisioningFailed, [storageClass('fast'), c, event(c, 'ProvisioningFailed', QUOTA, { count: 9 }), pod('cx', 'recv-3', { phase: 'Pending', claims: ['data-recv-3'] })]);
    assert.equal(f!.severity, 'critical');
    assert.match(f!.message, /cx\/data-recv-3 is Pending: provisioning 10Gi in class fast failed: .*QuotaExceed.Disk; pod recv-3 cannot start/);
    assert.match(f!.evidence[0]!.text, /^Warning ProvisioningFailed \(x9\)/);
  });

  it('is a warning when no pod waits', () => {
    const c = claim('a', 'c', { phase: 'Pending' });
    const [f] = run(pvcProvisioningFailed, [storageClass('fast', { binding: 'Immediate' }), c, event(c, 'ProvisioningFailed', QUOTA)]);
    assert.equal(f!.severity, 'warning');
  });

  it('stays silent when the failure is history: a WaitForFirstConsumer claim whose consumer is gone, or an event not repeated for half an hour', () => {
    const idle = claim('a', 'idle', { phase: 'Pending' });
    const stale = claim('a', 'stale', { phase: 'Pending' });
    assert.deepEqual(run(pvcProvisioningFailed, [
      storageClass('fast'), idle, event(idle, 'ProvisioningFailed', QUOTA, { last: 5 }),
      storageClass('now', { binding: 'Immediate' }), { ...stale, spec: { ...stale.spec, storageClassName: 'now' } }, event(stale, 'ProvisioningFailed', QUOTA, { last: 45 }),
    ]), []);
  });

  it('stays silent once bound, and leaves a missing class to missing-storageclass', () => {
    const bound = claim('a', 'bound');
    const noClass = claim('a', 'no-class', { phase: 'Pending', cls: 'gone' });
    assert.deepEqual(run(pvcProvisioningFailed, [storageClass('fast'), bound, event(bound, 'ProvisioningFailed', QUOTA), noClass, event(noClass, 'ProvisioningFailed', 'storageclass.storage.k8s.io "gone" not found')]), []);
  });
});
