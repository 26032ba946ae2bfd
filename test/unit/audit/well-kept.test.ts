// The well-kept StatefulSet passes every audit check: the baseline each check's own test spoils.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AUDIT_IDS } from '../../../src/checks/audit/catalog.ts';
import { score } from '../../../src/checks/audit/score.ts';
import { audit, wellKept } from './well-kept.ts';

describe('a well-kept StatefulSet', () => {
  it('passes every audit check and scores 100, the cluster too', () => {
    const run = audit(wellKept());
    assert.deepEqual(run.findings.map((f) => `${f.check} ${f.message}`), []);
    assert.deepEqual(run.failures, []);
    const judged = new Set(run.judged.map((j) => j.check));
    assert.deepEqual(AUDIT_IDS.filter((id) => !judged.has(id)), [], 'every check judged something: none passes by not looking');
    const scores = score(run.judged, run.findings);
    assert.equal(scores.cluster, 100);
    assert.deepEqual(scores.workloads.map((w) => [w.workload.name, w.score]), [['cluster', 100], ['pg', 100]]);
  });
});
