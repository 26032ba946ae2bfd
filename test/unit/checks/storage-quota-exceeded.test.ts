import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storageQuotaExceeded } from '../../../src/checks/rules/storage-quota-exceeded.ts';
import { claim, event, quota, run, statefulSet } from '../../fixtures/build.ts';

const REFUSED = 'create Claim offsets-connect-1 for Pod connect-1 in StatefulSet connect failed error: persistentvolumeclaims "offsets-connect-1" is forbidden: exceeded quota: storage-quota, requested: requests.storage=50Gi, used: requests.storage=550Gi, limited: requests.storage=550Gi';

describe('storage-quota-exceeded', () => {
  it('reports the StatefulSet whose claim a quota refuses, once, with the quota figures', () => {
    const sts = statefulSet('kafka', 'connect', { replicas: 2, template: 'offsets' });
    const q = quota('kafka', 'storage-quota', { 'requests.storage': '550Gi' }, { 'requests.storage': '550Gi' });
    const findings = run(storageQuotaExceeded, [sts, q, event(sts, 'FailedCreate', REFUSED, { count: 12 })]);
    assert.equal(findings.length, 1, 'the used-up quota is not reported a second time');
    const f = findings[0]!;
    assert.equal(f.severity, 'critical');
    assert.match(f.message, /ResourceQuota kafka\/storage-quota refuses claim offsets-connect-1 of StatefulSet kafka\/connect/);
    assert.ok(f.evidence.some((e) => e.text === 'requests.storage: used 550Gi of 550Gi'));
  });

  it('warns about a used-up storage quota before anything is refused, per-class keys included', () => {
    const q = quota('db', 'q', { 'fast.storageclass.storage.k8s.io/persistentvolumeclaims': '4', 'requests.cpu': '10' }, { 'fast.storageclass.storage.k8s.io/persistentvolumeclaims': '4', 'requests.cpu': '10' });
    const [f] = run(storageQuotaExceeded, [q]);
    assert.equal(f!.severity, 'warning');
    assert.match(f!.message, /is used up \(fast.storageclass.storage.k8s.io\/persistentvolumeclaims\)/);
  });

  it('stays silent when the refused claim exists by now, and for quotas with room or on other resources', () => {
    const sts = statefulSet('kafka', 'connect', { replicas: 2, template: 'offsets' });
    assert.deepEqual(run(storageQuotaExceeded, [
      sts, claim('kafka', 'offsets-connect-1'), event(sts, 'FailedCreate', REFUSED, { last: 30 }),
      quota('kafka', 'storage-quota', { 'requests.storage': '1Ti' }, { 'requests.storage': '600Gi' }),
      quota('kafka', 'cpu', { 'requests.cpu': '4' }, { 'requests.cpu': '4' }),
    ]), []);
  });
});
