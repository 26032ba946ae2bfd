import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PodDisruptionBudget } from '../../../src/model/types.ts';
import { find, findingsOf, wellKept } from './well-kept.ts';

describe('pdb-blocks-drain', () => {
  it('reports a budget that allows no disruption: by its spec, or by its status with every replica Ready', () => {
    for (const [spec, status, why] of [
      [{ maxUnavailable: 0 }, { disruptionsAllowed: 0 }, /maxUnavailable 0/],
      [{ minAvailable: 3 }, { disruptionsAllowed: 0 }, /minAvailable 3 of 3 replicas/],
      [{ minAvailable: '100%' }, { disruptionsAllowed: 0 }, /minAvailable 100%/],
      [{ minAvailable: 2 }, { disruptionsAllowed: 0 }, /status\.disruptionsAllowed 0 with every replica Ready/],
    ] as const) {
      const objects = wellKept();
      const pdb = find<PodDisruptionBudget>(objects, 'PodDisruptionBudget', 'pg');
      pdb.spec = { ...spec, selector: pdb.spec!.selector };
      pdb.status = status;
      const [f] = findingsOf(objects, 'pdb-blocks-drain');
      assert.match(f!.message, why, JSON.stringify(spec));
      assert.match(f!.remediation[0]!.command!, /"maxUnavailable":1/);
    }
  });

  it('reads matchExpressions and the empty selector (every pod) as policy/v1 does', () => {
    const objects = wellKept();
    const pdb = find<PodDisruptionBudget>(objects, 'PodDisruptionBudget', 'pg');
    pdb.spec = { maxUnavailable: 0, selector: {} };
    assert.equal(findingsOf(objects, 'pdb-blocks-drain').length, 1);
    pdb.spec = { maxUnavailable: 0, selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['other'] }] } };
    assert.deepEqual(findingsOf(objects, 'pdb-blocks-drain'), []);
  });
});
