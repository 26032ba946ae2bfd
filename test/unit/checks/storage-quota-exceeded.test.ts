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
    assert.ok(f.remediation.some((s) => s.command === `kubectl patch resourcequota storage-quota -n kafka --type=merge -p '{"spec":{"hard":{"requests.storage":"600Gi"}}}'`), 'raised to what is used plus the refused claim');
  });

  it('raises the key the quota refused for: the claim count, or a per-class key', () => {
    const sts = statefulSet('kafka', 'connect', { replicas: 3, template: 'offsets' });
    const count = REFUSED.replace('requested: requests.storage=50Gi, used: requests.storage=550Gi, limited: requests.storage=550Gi', 'requested: persistentvolumeclaims=1, used: persistentvolumeclaims=2, limited: persistentvolumeclaims=2');
    const [byCount] = run(storageQuotaExceeded, [sts, event(sts, 'FailedCreate', count)]);
    assert.match(byCount!.message, /\(the number of claims used up\)/);
    assert.ok(byCount!.remediation.some((s) => s.command?.endsWith(`-p '{"spec":{"hard":{"persistentvolumeclaims":"3"}}}'`)));
    const perClass = REFUSED.replaceAll('requests.storage=', 'fast.storageclass.storage.k8s.io/requests.storage=');
    const [byClass] = run(storageQuotaExceeded, [sts, event(sts, 'FailedCreate', perClass)]);
    assert.match(byClass!.message, /storage of class fast used up/);
    assert.ok(byClass!.remediation.some((s) => s.command?.endsWith(`-p '{"spec":{"hard":{"fast.storageclass.storage.k8s.io/requests.storage":"600Gi"}}}'`)));
    assert.ok(!byClass!.remediation.some((s) => s.command?.includes('"requests.storage"')), 'never the key that was not refused');
  });

  it('says a class is forbidden when its hard limit is 0, and does not call such a quota used up', () => {
    const sts = statefulSet('kafka', 'connect', { replicas: 2, template: 'offsets' });
    const forbid = 'create Claim offsets-connect-1 for Pod connect-1 in StatefulSet connect failed error: persistentvolumeclaims "offsets-connect-1" is forbidden: exceeded quota: no-gold, requested: gold.storageclass.storage.k8s.io/persistentvolumeclaims=1, used: gold.storageclass.storage.k8s.io/persistentvolumeclaims=0, limited: gold.storageclass.storage.k8s.io/persistentvolumeclaims=0';
    const q = quota('kafka', 'no-gold', { 'gold.storageclass.storage.k8s.io/persistentvolumeclaims': '0' }, { 'gold.storageclass.storage.k8s.io/persistentvolumeclaims': '0' });
    const [f, ...rest] = run(storageQuotaExceeded, [sts, q, event(sts, 'FailedCreate', forbid)]);
    assert.equal(rest.length, 0);
    assert.match(f!.message, /forbids claims of class gold in kafka \(hard limit 0\)/);
    assert.ok(!f!.remediation.some((s) => s.command?.includes('patch resourcequota')), 'a policy is not raised as if it were a shortage');
    assert.deepEqual(run(storageQuotaExceeded, [q]), [], 'hard: 0 is not "used up"');
  });

  it('warns about a used-up storage quota before anything is refused, per-class keys included', () => {
    const q = quota('db', 'q', { 'fast.storageclass.storage.k8s.io/persistentvolumeclaims': '4', 'requests.cpu': '10' }, { 'fast.storageclass.storage.k8s.io/persistentvolumeclaims': '4', 'requests.cpu': '10' });
    const [f] = run(storageQuotaExceeded, [q]);
    assert.equal(f!.severity, 'warning');
    assert.match(f!.message, /is used up \(claims of class fast\)/);
  });

  it('stays silent for a CPU quota refusing a pod, a refusal half an hour old, and a claim of an ordinal scaled away since', () => {
    const sts = statefulSet('kafka', 'connect', { replicas: 1, template: 'offsets' });
    const cpu = 'create Pod connect-0 in StatefulSet connect failed error: pods "connect-0" is forbidden: exceeded quota: compute, requested: requests.cpu=2, used: requests.cpu=8, limited: requests.cpu=8';
    const old = REFUSED.replaceAll('connect-1', 'connect-0');
    assert.deepEqual(run(storageQuotaExceeded, [sts, event(sts, 'FailedCreate', cpu), event(sts, 'FailedCreate', REFUSED, { last: 2 })]), [], 'ordinal 1 is not wanted at 1 replica');
    assert.deepEqual(run(storageQuotaExceeded, [sts, event(sts, 'FailedCreate', old, { last: 40 })]), []);
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
