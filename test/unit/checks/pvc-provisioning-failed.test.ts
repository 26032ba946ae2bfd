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
    assert.equal(run(pvcProvisioningFailed, [storageClass('fast'), c, event(c, 'ProvisioningFailed', QUOTA)])[0]!.severity, 'warning');
  });

  it('stays silent once bound, and leaves a missing class to missing-storageclass', () => {
    const bound = claim('a', 'bound');
    const noClass = claim('a', 'no-class', { phase: 'Pending', cls: 'gone' });
    assert.deepEqual(run(pvcProvisioningFailed, [storageClass('fast'), bound, event(bound, 'ProvisioningFailed', QUOTA), noClass, event(noClass, 'ProvisioningFailed', 'storageclass.storage.k8s.io "gone" not found')]), []);
  });
});
