import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { missingStorageClass } from '../../../src/checks/rules/missing-storageclass.ts';
import { assertOrder, claim, modelOf, runOn, pod, run, statefulSet, storageClass, volume } from '../../fixtures/build.ts';

describe('missing-storageclass', () => {
  it('reports a Pending claim naming a missing class, critical while a pod waits', () => {
    const [f] = run(missingStorageClass, [storageClass('fast'), claim('tools', 'reports', { phase: 'Pending', cls: 'standard-old' }), pod('tools', 'builder', { phase: 'Pending', claims: ['reports'] })]);
    assert.equal(f!.severity, 'critical');
    assert.match(f!.message, /tools\/reports is Pending on storageClassName "standard-old", which does not exist; pod builder cannot start/);
    assert.match(f!.evidence[0]!.text, /classes: fast/);
  });

  it('warns about a StatefulSet template naming a missing class, with the orphan re-create remedy', () => {
    const [f] = run(missingStorageClass, [storageClass('fast'), statefulSet('kafka', 'mirror', { cls: 'gp2-deprecated' })]);
    assert.equal(f!.severity, 'warning');
    assert.match(f!.message, /template "data" names storageClassName "gp2-deprecated"/);
    assert.ok(f!.remediation.some((s) => s.command?.includes('kubectl delete statefulset mirror -n kafka --cascade=orphan')));
  });

  it('reports a claim without a class in a cluster without a default class, after the provisioning grace', () => {
    const c = claim('tools', 'cache', { phase: 'Pending', cls: null, created: 20 });
    const [f] = run(missingStorageClass, [storageClass('fast'), c, pod('tools', 'web', { phase: 'Pending', claims: ['cache'] })]);
    assert.equal(f!.severity, 'critical');
    assert.match(f!.message, /names no StorageClass and the cluster has no default class, so nothing provisions it.*; pod web cannot start/);
    assert.ok(f!.remediation.some((s) => s.command === `kubectl patch storageclass fast --type=merge -p '{"metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"true"}}}'`));
  });

  it('stays silent for a claim without a class when a default exists, one asking for no class (""), and a young one', () => {
    assert.deepEqual(run(missingStorageClass, [storageClass('std', { isDefault: true }), claim('a', 'x', { phase: 'Pending', cls: null, created: 20 })]), []);
    assert.deepEqual(run(missingStorageClass, [storageClass('fast'), claim('a', 'static', { phase: 'Pending', cls: '', created: 20 }), claim('a', 'young', { phase: 'Pending', cls: null, created: 1 })]), []);
  });

  it('replaces a StatefulSet\'s Pending claim one replica at a time, without scaling anything down', () => {
    const sts = statefulSet('kafka', 'k', { cls: 'gone', replicas: 3 });
    const [f] = run(missingStorageClass, [storageClass('fast'), sts, claim('kafka', 'data-k-1', { phase: 'Pending', cls: 'gone' })]).filter((x) => x.object.kind === 'PersistentVolumeClaim');
    const commands = f!.remediation.map((s) => s.command ?? '');
    assertOrder(commands, 'kubectl delete pvc data-k-1 -n kafka --wait=false', 'kubectl delete pod k-1 -n kafka && kubectl wait --for=create pod/k-1 -n kafka --timeout=10m && kubectl wait --for=condition=Ready pod/k-1 -n kafka --timeout=10m');
    assert.ok(!commands.some((c) => c.includes('kubectl scale')));
  });

  it('proposes no quarantine for a claim whose template is being changed: its new class is not known yet', () => {
    const sts = statefulSet('kafka', 'k', { cls: 'gone', replicas: 3 });
    const open = volume('d-open', { cls: 'fast', phase: 'Available', reclaim: 'Retain' });
    const [f] = run(missingStorageClass, [storageClass('fast'), sts, open, claim('kafka', 'data-k-1', { phase: 'Pending', cls: 'gone' })]).filter((x) => x.object.kind === 'PersistentVolumeClaim');
    assert.ok(!f!.remediation.some((s) => s.command?.includes('stsvol-quarantine')));
    assert.ok(f!.remediation.some((s) => /run doctor once more before/.test(s.text)));
  });

  it('stays silent for existing classes, bound claims, and when no class is visible at all', () => {
    assert.deepEqual(run(missingStorageClass, [storageClass('fast'), claim('a', 'ok', { phase: 'Pending' }), claim('a', 'bound', { cls: 'gone' }), statefulSet('a', 's')]), []);
    const blind = modelOf([claim('a', 'x', { phase: 'Pending', cls: 'anything' })]);
    blind.snapshot.notices.push({ kind: 'StorageClass', reason: 'absent', message: 'the input holds no StorageClass objects' });
    assert.deepEqual(runOn(missingStorageClass, blind), []);
  });
});
