// A check that still throws on some object costs that object, not the report.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CheckScope } from '../../../src/checks/check.ts';
import { failureNotice } from '../../../src/cli/report.ts';
import { runChecks } from '../../../src/checks/index.ts';
import { claim, modelOf, pod, statefulSet } from '../../fixtures/build.ts';

describe('check scope', () => {
  it('turns a throw on one object into a failure naming the check and the object, and judges the others', () => {
    const scope = new CheckScope(modelOf([pod('db', 'a'), pod('db', 'bad'), pod('db', 'c')]), 'multi-attach');
    const findings = scope.each(scope.model.pods, (p) => {
      if (p.metadata.name === 'bad') throw new TypeError("Cannot read properties of undefined (reading 'x')");
      return scope.raise({ object: { kind: 'Pod', namespace: 'db', name: p.metadata.name }, message: 'seen' });
    });
    assert.deepEqual(findings.map((f) => f.object.name), ['a', 'c']);
    assert.equal(scope.failures.length, 1);
    const notice = failureNotice(scope.failures[0]!);
    assert.deepEqual(notice.object, { kind: 'Pod', namespace: 'db', name: 'bad' });
    assert.deepEqual(notice.weakens, ['multi-attach']);
    assert.match(notice.message, /^check multi-attach failed on this object \(Cannot read properties of undefined \(reading 'x'\)\): a bug in stsvol; the rest of the report stands/);
  });

  it('holds any number of findings from one check and one object (no spread of a long list)', () => {
    const sts = statefulSet('db', 'web', { replicas: 0 });
    const claims = Array.from({ length: 150_000 }, (_, i) => claim('db', `data-web-${i}`));
    const { findings, failures } = runChecks(modelOf([sts, ...claims]), ['orphan-pvc']);
    assert.deepEqual(failures, []);
    assert.equal(findings.length, 150_000);
  });

  it('puts every finding under its workload as it is raised, not later', () => {
    const model = modelOf([pod('db', 'loose')]);
    const finding = new CheckScope(model, 'stuck-terminating').raise({ object: { kind: 'Pod', namespace: 'db', name: 'loose' }, message: 'm' });
    assert.deepEqual(finding.workload, { kind: 'Namespace', name: 'db' });
  });
});
