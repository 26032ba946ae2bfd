import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject, StatefulSet } from '../../../src/model/types.ts';
import { BUILT_IN_PRICES } from '../../../src/plans/pricing.ts';
import { planScale } from '../../../src/plans/scale.ts';
import { claim, csiNode, modelOf, node, quota, volume } from '../../fixtures/build.ts';
import { running } from './replicas.ts';

const plan = (objects: KubeObject[], replicas: number, o: { quarantine?: boolean; reuseClaims?: boolean; deleteClaims?: boolean; snapshotClass?: string } = {}) =>
  planScale(modelOf(objects), { namespace: 'db', statefulSet: 'kafka', replicas, ...o }, BUILT_IN_PRICES, '20260310');

/** Three brokers on gp3, scaled down to two some time ago: claim 2 and an open volume are left. */
function afterScaleDown(): KubeObject[] {
  const objects = running('db', 'kafka', { replicas: 2, size: '100Gi' });
  (objects[1] as { parameters?: object }).parameters = { type: 'gp3' };
  objects.push(node('n2'), csiNode('n2', [{ name: 'ebs.csi.aws.com' }]));
  return objects;
}

describe('scale planner', () => {
  it('prices the new volumes of a scale-up (seed 000: 100Gi gp3 at 0.08 a GiB-month)', () => {
    const { plan: p, refusals } = plan(afterScaleDown(), 4);
    assert.deepEqual(refusals, []);
    assert.deepEqual(p.cost?.lines.map((l) => [l.what, l.monthly]), [['claim data-kafka-2 (100Gi, class fast)', 8], ['claim data-kafka-3 (100Gi, class fast)', 8]]);
    assert.equal(p.cost?.monthly, 16);
    assert.deepEqual(p.steps.map((s) => s.id), ['replicas', 'settled']);
  });

  it('refuses to scale up onto a leftover claim unless it is wanted back', () => {
    const objects = [...afterScaleDown(), claim('db', 'data-kafka-2', { cls: 'fast', size: '100Gi' })];
    const { refusals } = plan(objects, 3);
    assert.deepEqual(refusals.map((r) => r.code), ['leftover-claim']);
    assert.match(refusals[0]!.message, /replica 2 would start on its old data/);
    assert.deepEqual(plan(objects, 3, { reuseClaims: true }).refusals, []);
  });

  it('refuses while open volumes with old data wait in the class, and quarantines them on request', () => {
    const objects = [...afterScaleDown(), volume('pv-old', { cls: 'fast', phase: 'Available', size: '100Gi' })];
    assert.deepEqual(plan(objects, 3).refusals.map((r) => r.code), ['open-volumes']);
    const { plan: p, refusals } = plan(objects, 3, { quarantine: true });
    assert.deepEqual(refusals, []);
    assert.deepEqual(p.steps.map((s) => s.id), ['quarantine:pv-old', 'replicas', 'settled']);
    assert.deepEqual(p.steps[0]!.until, { type: 'volume-reserved', volume: p.steps[0]!.action.verb === 'patch' ? p.steps[0]!.action.target : undefined, claim: { namespace: 'stsvol-quarantine', name: 'pv-old' } });
  });

  it('refuses when attach limits or quota cannot take the new replicas', () => {
    const full = afterScaleDown().map((o) => (o.kind === 'CSINode' ? csiNode(o.metadata.name, [{ name: 'ebs.csi.aws.com', count: 0 }]) : o));
    assert.deepEqual(plan(full, 3).refusals.map((r) => r.code), ['attach-limit']);
    const quotaFull = [...afterScaleDown(), quota('db', 'q', { persistentvolumeclaims: '2' }, { persistentvolumeclaims: '2' })];
    assert.deepEqual(plan(quotaFull, 3).refusals.map((r) => r.code), ['quota']);
  });

  it('scales down keeping claims by default, or deletes them after a snapshot and only once unused', () => {
    const objects = running('db', 'kafka', { replicas: 3 });
    assert.deepEqual(plan(objects, 1).plan.steps.map((s) => s.id), ['replicas', 'settled']);
    const { plan: p } = plan(objects, 1, { deleteClaims: true, snapshotClass: 'csi-snap' });
    assert.deepEqual(p.steps.map((s) => s.id), ['replicas', 'settled', 'snapshot:data-kafka-2', 'delete:data-kafka-2', 'snapshot:data-kafka-1', 'delete:data-kafka-1']);
    const del = p.steps.find((s) => s.id === 'delete:data-kafka-1')!;
    assert.deepEqual(del.requires.map((r) => r.type), ['claim-unused', 'statefulset-replicas-at-most', 'snapshot-ready']);
    assert.ok(del.requires.some((r) => r.type === 'statefulset-replicas-at-most' && r.replicas === 1), 'never an ordinal the StatefulSet runs');
  });

  it('warns that a whenScaled: Delete policy deletes the claims itself', () => {
    const objects = running('db', 'kafka', { replicas: 2 });
    (objects[0] as StatefulSet).spec!.persistentVolumeClaimRetentionPolicy = { whenScaled: 'Delete' };
    assert.match(plan(objects, 1).plan.warnings.join(), /whenScaled is Delete/);
  });
});
