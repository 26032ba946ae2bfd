import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject, StatefulSet } from '../../../src/model/types.ts';
import { BUILT_IN_PRICES } from '../../../src/model/pricing.ts';
import { planScale } from '../../../src/plans/scale.ts';
import { claim, csiNode, modelOf, node, quota, storageClass, volume } from '../../fixtures/build.ts';
import { running } from './replicas.ts';

const plan = (objects: KubeObject[], replicas: number, o: { quarantine?: boolean; reuseClaims?: boolean; deleteClaims?: boolean; snapshotClass?: string } = {}) =>
  planScale(modelOf(objects), { namespace: 'db', statefulSet: 'kafka', replicas, ...o }, BUILT_IN_PRICES, '20260310');

function withRetention(objects: KubeObject[], whenScaled: string): KubeObject[] {
  (objects[0] as StatefulSet).spec!.persistentVolumeClaimRetentionPolicy = { whenScaled };
  return objects;
}

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

  it('counts the attachments of every claim template against the driver, an in-tree class under its CSI name', () => {
    const objects = afterScaleDown();
    const sts = objects[0] as StatefulSet;
    sts.spec!.volumeClaimTemplates!.push({ metadata: { name: 'logs' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'legacy', resources: { requests: { storage: '10Gi' } } } });
    objects.push(storageClass('legacy', { provisioner: 'kubernetes.io/aws-ebs' }));
    // n2 has room for 3 more EBS volumes; scaling 2 → 4 needs 2 replicas × 2 templates = 4.
    const limited = objects.map((o) => (o.kind === 'CSINode' ? csiNode(o.metadata.name, [{ name: 'ebs.csi.aws.com', count: o.metadata.name === 'n2' ? 3 : 0 }]) : o));
    const { refusals } = plan(limited, 4);
    assert.deepEqual(refusals.map((r) => r.code), ['attach-limit']);
    assert.match(refusals[0]!.message, /can attach 3 more volumes of ebs\.csi\.aws\.com and the new replicas need 4 \(one per claim, over every claim template\)/);
    assert.deepEqual(plan(limited, 3).refusals, [], '1 replica × 2 templates = 2 fit in 3');
  });

  it('names every open volume the binder could give a new replica, with what is known of it, however it was made', () => {
    const restored = volume('pv-restored', { cls: 'fast', phase: 'Available', size: '200Gi', provisionedBy: null });
    const small = volume('pv-small', { cls: 'fast', phase: 'Available', size: '10Gi', provisionedBy: null });
    const otherMode = volume('pv-rwx', { cls: 'fast', phase: 'Available', size: '100Gi', modes: ['ReadWriteMany'], provisionedBy: null });
    const elsewhere = volume('pv-zone-c', { cls: 'fast', phase: 'Available', size: '100Gi', zone: 'zone-c', provisionedBy: null });
    const objects = [...afterScaleDown(), restored, small, otherMode, elsewhere];
    const { refusals } = plan(objects, 3);
    assert.deepEqual(refusals.map((r) => r.code), ['open-volumes']);
    assert.match(refusals[0]!.message, /1 Available volume of class fast fit a new claim of "data": pv-restored \(200Gi, made without a provisioner, by hand or by a restore: contents unknown\)/);
    const { plan: p } = plan(objects, 3, { quarantine: true });
    assert.deepEqual(p.steps.map((s) => s.id), ['quarantine:pv-restored', 'replicas', 'settled'], 'too small, another access mode, or a zone without nodes: the binder cannot give those');
    const again = p.steps[1]!.requires.find((r) => r.type === 'no-new-open-volumes');
    assert.deepEqual(again, { type: 'no-new-open-volumes', wish: { className: 'fast', bytes: 100 * 2 ** 30, accessModes: ['ReadWriteOnce'] }, known: ['pv-zone-c'] },
      'right before the replicas change, any volume open since the plan stops it; the one no Ready node reaches was judged at planning, the quarantined one must not be open again');
  });

  it('refuses a new ordinal whose claim name a volume is pre-bound to, unless the reuse is intended', () => {
    const prebound = volume('pv-kept', { cls: 'fast', phase: 'Available', size: '100Gi', claimRef: { namespace: 'db', name: 'data-kafka-2' } });
    const { refusals } = plan([...afterScaleDown(), prebound], 3);
    assert.deepEqual(refusals.map((r) => r.code), ['prebound-volume']);
    assert.match(refusals[0]!.message, /volume pv-kept is reserved for claim data-kafka-2 \(pre-bound: claimRef without uid\): replica 2 would start on the data it holds/);
    assert.deepEqual(plan([...afterScaleDown(), prebound], 3, { reuseClaims: true }).refusals, []);
    prebound.metadata.annotations!['stsvol.io/reuse-intended'] = 'db/data-kafka-2';
    const intended = plan([...afterScaleDown(), prebound], 3);
    assert.deepEqual(intended.refusals, [], 'pre-bound on purpose (stsvol doctor\'s remedy marks it)');
    assert.match(intended.plan.summary.join(' '), /The volume pv-kept is reserved for claim data-kafka-2 .*replica 2 starts on the data it holds/);
    assert.deepEqual(plan([...afterScaleDown(), prebound], 2).refusals, [], 'an ordinal the scale does not add is not concerned');
  });

  it('in a class without a provisioner, names the static volumes a new replica binds instead of refusing them', () => {
    const objects = afterScaleDown();
    const sts = objects[0] as StatefulSet;
    sts.spec!.volumeClaimTemplates![0]!.spec!.storageClassName = 'local';
    objects.push(storageClass('local', { provisioner: 'kubernetes.io/no-provisioner' }), volume('local-n2', { cls: 'local', phase: 'Available', size: '100Gi', provisionedBy: null }));
    const { plan: p, refusals } = plan(objects, 3);
    assert.deepEqual(refusals, []);
    assert.match(p.summary.join(' '), /Class local has no provisioner: new claims of "data" bind the static volumes made for them: local-n2/);
  });

  it('scales down keeping claims by default, or deletes them only once their pods are gone and the ordinal is not run, each after its snapshot', () => {
    const objects = running('db', 'kafka', { replicas: 3 });
    const kept = plan(objects, 1).plan;
    assert.deepEqual(kept.steps.map((s) => s.id), ['replicas', 'settled']);
    assert.match(kept.summary.join(' '), /Claims kept \(their data stays for a later scale-up\): data-kafka-2, data-kafka-1/);
    const { plan: p } = plan(objects, 1, { deleteClaims: true, snapshotClass: 'csi-snap' });
    assert.deepEqual(p.steps.map((s) => s.id), ['replicas', 'settled', 'snapshot:data-kafka-2', 'delete:data-kafka-2', 'snapshot:data-kafka-1', 'delete:data-kafka-1']);
    assert.match(p.summary.join(' '), /each after a VolumeSnapshot of class csi-snap taken with its pod stopped: data-kafka-2, data-kafka-1; their disks are deleted with them/);
    const del = p.steps.find((s) => s.id === 'delete:data-kafka-1')!;
    assert.deepEqual(del.requires.map((r) => r.type), ['claim-unused', 'statefulset-excludes-ordinal', 'snapshot-ready']);
    assert.ok(del.requires.some((r) => r.type === 'statefulset-excludes-ordinal' && r.ordinal === 1), 'never an ordinal the StatefulSet runs, judged live with its ordinals.start');
  });

  it('under whenScaled: Delete, refuses a scale-down that would delete claims nobody asked to delete', () => {
    const objects = withRetention(running('db', 'kafka', { replicas: 2 }), 'Delete');
    const { plan: p, refusals } = plan(objects, 1);
    assert.deepEqual(refusals.map((r) => r.code), ['retention-deletes-claims']);
    assert.match(refusals[0]!.message, /whenScaled: Delete, so this scale-down deletes claims data-kafka-1 and their disks are deleted with them \(reclaimPolicy Delete\). Pass --delete-claims/);
    assert.doesNotMatch(p.summary.join(' '), /kept/, 'the summary never says the claims stay');
  });

  it('under whenScaled: Delete, snapshots every claim and waits for ReadyToUse before the replicas change', () => {
    const objects = withRetention(running('db', 'kafka', { replicas: 3, reclaim: 'Retain' }), 'Delete');
    const { plan: p, refusals } = plan(objects, 1, { deleteClaims: true, snapshotClass: 'csi-snap' });
    assert.deepEqual(refusals, []);
    assert.deepEqual(p.steps.map((s) => s.id), ['snapshot:data-kafka-2', 'snapshot:data-kafka-1', 'replicas', 'settled', 'delete:data-kafka-2', 'delete:data-kafka-1']);
    const uid = objects.find((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name === 'data-kafka-2')!.metadata.uid!;
    const claim = { kind: 'PersistentVolumeClaim', namespace: 'db', name: 'data-kafka-2', uid };
    assert.deepEqual(p.steps[0]!.until, { type: 'snapshot-ready', snapshot: { kind: 'VolumeSnapshot', namespace: 'db', name: `data-kafka-2-${uid.slice(-8)}-20260310` }, claim }, 'the name and the label carry the claim uid');
    assert.deepEqual((p.steps[0]!.action as { manifest: { metadata: { labels: Record<string, string> } } }).manifest.metadata.labels['stsvol.io/claim-uid'], claim.uid);
    assert.match(p.summary.join(' '), /the controller deletes data-kafka-2, data-kafka-1 with their pods, and their volumes stay Released with the data \(reclaimPolicy Retain\)/);
    assert.match(p.summary.join(' '), /the replicas change only once every snapshot is ready to use/);
    assert.match(p.warnings.join(' '), /taken while the replicas still run/);
    assert.match(p.steps.at(-1)!.title, /is deleted \(by the StatefulSet controller; by stsvol if it has not\)/);
  });

  it('under whenScaled: Delete without a snapshot, says the data goes with the claims', () => {
    const objects = withRetention(running('db', 'kafka', { replicas: 2 }), 'Delete');
    const { plan: p, refusals } = plan(objects, 1, { deleteClaims: true });
    assert.deepEqual(refusals, []);
    assert.deepEqual(p.steps.map((s) => s.id), ['replicas', 'settled', 'delete:data-kafka-1']);
    assert.match(p.summary.join(' '), /whenScaled is Delete: the controller deletes data-kafka-1 with their pods, and their disks are deleted with them/);
  });

  it('never enumerates the ordinals of a huge StatefulSet: only the claims that exist', () => {
    const objects = running('db', 'kafka', { replicas: 2 });
    (objects[0] as StatefulSet).spec!.replicas = 2 ** 31 - 1;
    const { plan: p } = plan(objects, 1, { deleteClaims: true });
    assert.deepEqual(p.steps.map((s) => s.id), ['replicas', 'settled', 'delete:data-kafka-1']);
  });
});
