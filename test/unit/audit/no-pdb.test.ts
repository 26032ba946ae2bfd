import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/model/types.ts';
import { findingsOf, wellKept } from './well-kept.ts';

function budget(name: string, namespace: string, selector: object): KubeObject {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace }, spec: { maxUnavailable: 1, selector } } as KubeObject;
}

describe('no-pdb', () => {
  it('reports a replicated StatefulSet no budget selects, with the command that makes one', () => {
    const [f] = findingsOf(wellKept().filter((o) => o.kind !== 'PodDisruptionBudget'), 'no-pdb');
    assert.match(f!.message, /runs 3 replicas and no PodDisruptionBudget selects them/);
    assert.equal(f!.remediation[0]!.command, "kubectl create poddisruptionbudget pg --namespace=db --max-unavailable=1 --selector=app=pg");
  });

  it('leaves a single replica alone', () => {
    assert.deepEqual(findingsOf(wellKept('db', 'pg', { replicas: 1 }).filter((o) => o.kind !== 'PodDisruptionBudget'), 'no-pdb'), []);
  });

  it('counts a budget by every way its selector can select the pods, and only in their namespace', () => {
    const bare = () => wellKept().filter((o) => o.kind !== 'PodDisruptionBudget');
    const selecting = [
      { matchLabels: { app: 'pg' } },
      { matchLabels: { tier: 'x', app: 'pg' } }, // a pair the pods lack comes first: still not theirs
      { matchExpressions: [{ key: 'app', operator: 'In', values: ['pg', 'mysql'] }] },
      {}, // policy/v1: an empty selector selects every pod of the namespace
    ];
    for (const [i, selector] of selecting.entries()) {
      const expected = i === 1 ? 1 : 0;
      assert.equal(findingsOf([...bare(), budget('b', 'db', selector)], 'no-pdb').length, expected, JSON.stringify(selector));
    }
    assert.equal(findingsOf([...bare(), budget('b', 'other', { matchLabels: { app: 'pg' } })], 'no-pdb').length, 1, 'another namespace');
    assert.equal(findingsOf([...bare(), budget('b', 'db', { matchLabels: { app: 'pg', extra: 'y' } })], 'no-pdb').length, 1, 'a pair the pods lack after the first');
  });
});
