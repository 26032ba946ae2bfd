import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { missingStorageClass } from '../../../src/checks/rules/missing-storageclass.ts';
import { claim, modelOf, pod, run, statefulSet, storageClass } from '../../fixtures/build.ts';

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

  it('stays silent for existing classes, bound claims, and when no class is visible at all', () => {
    assert.deepEqual(run(missingStorageClass, [storageClass('fast'), claim('a', 'ok', { phase: 'Pending' }), claim('a', 'bound', { cls: 'gone' }), statefulSet('a', 's')]), []);
    const blind = modelOf([claim('a', 'x', { phase: 'Pending', cls: 'anything' })]);
    blind.snapshot.notices.push({ kind: 'StorageClass', reason: 'absent', message: 'the input holds no StorageClass objects' });
    assert.deepEqual(missingStorageClass.run(blind), []);
  });
});
