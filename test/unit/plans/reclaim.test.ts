import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/model/types.ts';
import { BUILT_IN_PRICES } from '../../../src/plans/pricing.ts';
import { planReclaim } from '../../../src/plans/reclaim.ts';
import { claim, modelOf, pod, volume } from '../../fixtures/build.ts';
import { running } from './replicas.ts';

const plan = (objects: KubeObject[], namespace?: string) => planReclaim(modelOf(objects), { namespace }, BUILT_IN_PRICES, '20260310');

describe('reclaim planner', () => {
  it('lists claims beyond replicas that no pod uses and Released volumes whose claim is gone, with their cost', () => {
    const objects = [
      ...running('db', 'kafka', { replicas: 2, size: '100Gi', reclaim: 'Retain' }),
      claim('db', 'data-kafka-2', { size: '100Gi' }),
      claim('db', 'data-kafka-3', { size: '100Gi' }), pod('db', 'debug', { claims: ['data-kafka-3'] }),
      volume('pv-gone', { phase: 'Released', reclaim: 'Retain', claimRef: { namespace: 'db', name: 'data-kafka-9', uid: 'x' }, size: '50Gi' }),
      volume('pv-other-ns', { phase: 'Released', claimRef: { namespace: 'logs', name: 'data-es-0', uid: 'y' } }),
    ];
    const { plan: p } = plan(objects, 'db');
    assert.deepEqual(p.steps.map((s) => s.id), ['delete:db/data-kafka-2', 'delete:pv-gone']);
    assert.deepEqual(p.cost?.lines.map((l) => l.gib), [100, 50]);
    assert.match(p.warnings.join(), /pv-gone is Retain: deleting the PV object leaves its disk vol-pv-gone at the provider/);
    const deleteClaim = p.steps[0]!;
    assert.deepEqual(deleteClaim.requires.map((r) => r.type), ['claim-unused', 'statefulset-replicas-at-most']);
  });

  it('finds nothing in a tidy namespace', () => {
    assert.deepEqual(plan(running('db', 'kafka'), 'db').plan.steps, []);
  });
});
