import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject, StatefulSet } from '../../../src/model/types.ts';
import { BUILT_IN_PRICES } from '../../../src/model/pricing.ts';
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
    assert.deepEqual(deleteClaim.requires.map((r) => r.type), ['claim-unused', 'statefulset-excludes-ordinal', 'statefulset-not-parked']);
  });

  it('keeps the claims of a StatefulSet scaled to 0 apart, as parked, unless --include-parked', () => {
    const objects = running('db', 'kafka', { replicas: 2, size: '100Gi' }).filter((o) => o.kind !== 'Pod');
    (objects[0] as StatefulSet).spec!.replicas = 0;
    const { plan: p } = plan(objects, 'db');
    assert.deepEqual(p.steps, [], 'nothing is deleted');
    assert.deepEqual(p.parked?.lines.map((l) => l.what), [
      'claim db/data-kafka-0 (statefulset kafka runs 0 replicas; this is ordinal 0; parked: statefulset kafka is scaled to 0)',
      'claim db/data-kafka-1 (statefulset kafka runs 0 replicas; this is ordinal 1; parked: statefulset kafka is scaled to 0)',
    ]);
    assert.match(p.summary.join(' '), /Nothing to reclaim in db\. 2 parked claims kept, 200 GiB, about 16 USD a month/);
    const all = planReclaim(modelOf(objects), { namespace: 'db', includeParked: true }, BUILT_IN_PRICES, '20260310').plan;
    assert.deepEqual(all.steps.map((s) => s.id), ['delete:db/data-kafka-0', 'delete:db/data-kafka-1']);
  });

  it('keeps the claims above the replicas of an autoscaled StatefulSet (HorizontalPodAutoscaler, KEDA ScaledObject) as parked', () => {
    for (const scaler of [
      { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'kafka-hpa', namespace: 'db' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'kafka' }, maxReplicas: 6 } },
      { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'kafka-lag', namespace: 'db' }, spec: { scaleTargetRef: { kind: 'StatefulSet', name: 'kafka' }, minReplicaCount: 0 } },
    ]) {
      const objects = [...running('db', 'kafka', { replicas: 2 }), claim('db', 'data-kafka-2'), scaler];
      const { plan: p } = plan(objects, 'db');
      assert.deepEqual(p.steps, []);
      assert.match(p.parked!.lines[0]!.what, new RegExp(`parked: statefulset kafka is scaled by ${scaler.kind} ${scaler.metadata.name}`));
    }
    const elsewhere = [...running('db', 'kafka', { replicas: 2 }), claim('db', 'data-kafka-2'),
      { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'db' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'kafka' }, maxReplicas: 6 } }];
    assert.deepEqual(plan(elsewhere, 'db').plan.steps.map((s) => s.id), ['delete:db/data-kafka-2'], 'an autoscaler of another kind does not park it');
  });

  it('keeps the claims apart as parked when an autoscaler kind cannot be read: nothing proves none targets the StatefulSet', () => {
    const model = modelOf([...running('db', 'kafka', { replicas: 2 }), claim('db', 'data-kafka-2')]);
    model.snapshot.notices.push({ kind: 'HorizontalPodAutoscaler', reason: 'forbidden', message: 'forbidden' });
    const { plan: p } = planReclaim(model, { namespace: 'db' }, BUILT_IN_PRICES, '20260310');
    assert.deepEqual(p.steps, []);
    assert.match(p.parked!.lines[0]!.what, /parked: HorizontalPodAutoscaler cannot be read \(forbidden\), so an autoscaler of statefulset kafka may exist/);
    model.snapshot.notices.splice(0, model.snapshot.notices.length, { kind: 'ScaledObject', reason: 'not-served', message: 'KEDA is not installed' });
    assert.deepEqual(planReclaim(model, { namespace: 'db' }, BUILT_IN_PRICES, '20260310').plan.steps.map((s) => s.id), ['delete:db/data-kafka-2'], 'a kind not served holds no autoscaler');
  });

  it('judges again right before each delete that the StatefulSet is not parked, unless --include-parked', () => {
    const objects = [...running('db', 'kafka', { replicas: 2 }), claim('db', 'data-kafka-2')];
    assert.deepEqual(plan(objects, 'db').plan.steps[0]!.requires.at(-1), { type: 'statefulset-not-parked', sts: { kind: 'StatefulSet', namespace: 'db', name: 'kafka' } });
    const all = planReclaim(modelOf(objects), { namespace: 'db', includeParked: true }, BUILT_IN_PRICES, '20260310').plan;
    assert.ok(!all.steps[0]!.requires.some((r) => r.type === 'statefulset-not-parked'));
  });

  it('finds nothing in a tidy namespace', () => {
    assert.deepEqual(plan(running('db', 'kafka'), 'db').plan.steps, []);
  });
});
