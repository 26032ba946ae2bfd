import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findingsOf, wellKept } from './well-kept.ts';

describe('no-pdb', () => {
  it('reports a replicated StatefulSet no budget selects, with the command that makes one', () => {
    const [f] = findingsOf(wellKept().filter((o) => o.kind !== 'PodDisruptionBudget'), 'no-pdb');
    assert.match(f!.message, /runs 3 replicas and no PodDisruptionBudget selects them/);
    assert.equal(f!.remediation[0]!.command, "kubectl create poddisruptionbudget pg --namespace=db --max-unavailable=1 --selector=app=pg");
  });

  it('leaves a single replica alone', () => {
    assert.deepEqual(findingsOf(wellKept('db', 'pg', { replicas: 1 }).filter((o) => o.kind !== 'PodDisruptionBudget'), 'no-pdb'), []);
  });
});
