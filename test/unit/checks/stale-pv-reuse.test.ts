import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { releasedPv } from '../../../src/checks/rules/released-pv.ts';
import { stalePvReuse } from '../../../src/checks/rules/stale-pv-reuse.ts';
import { applyMergePatch, assertOrder, bind, claim, node, pod, run, statefulSet, storageClass, volume } from '../../fixtures/build.ts';

const sts = statefulSet('db', 'web', { replicas: 5, cls: 'retain' });
const base = [storageClass('retain', { reclaim: 'Retain' }), node('n1'), sts];

describe('stale-pv-reuse', () => {
  it('fires when a StatefulSet claim is bound to a volume provisioned long before it', () => {
    const [c, v] = bind(claim('db', 'data-web-4', { cls: 'retain', created: 30 }), volume('d-old', { cls: 'retain', reclaim: 'Retain', created: 60 * 24 * 90 }));
    const findings = run(stalePvReuse, [...base, c, v, pod('db', 'web-4', { node: 'n1', claims: ['data-web-4'], owner: sts })]);
    assert.equal(findings.length, 1);
    const f = findings[0]!;
    assert.equal(f.severity, 'critical');
    assert.deepEqual(f.object, { kind: 'PersistentVolume', name: 'd-old' });
    assert.match(f.message, /d-old was provisioned 89d before its current claim/);
    assert.match(f.message, /replica web-4 of StatefulSet db\/web/);
    assert.ok(f.related.some((r) => r.kind === 'PersistentVolumeClaim' && r.name === 'data-web-4'));
    const commands = f.remediation.map((s) => s.command);
    assertOrder(commands, 'kubectl delete pvc data-web-4 -n db --wait=false', 'kubectl delete pod web-4 -n db && kubectl wait --for=create pod/web-4 -n db --timeout=10m && kubectl wait --for=condition=Ready pod/web-4 -n db --timeout=10m');
    assert.ok(!commands.some((c) => c?.includes('kubectl scale')), 'one bad replica never takes the healthy higher ordinals down');
    assert.ok(!commands.some((c) => c?.includes('delete pv ')), 'the old volume is kept for whoever owns its data');
    assert.match(f.remediation.find((s) => s.command?.includes('delete pvc'))!.safeWhen!, /does not hold data web-4 must keep/);
  });

  it('for ordinal 0 of a Delete volume: keeps the volume first, and never proposes a replica count', () => {
    const [c, v] = bind(claim('db', 'data-web-0', { cls: 'retain', created: 30 }), volume('d-zero', { cls: 'retain', reclaim: 'Delete', created: 60 * 24 * 90 }));
    const [f] = run(stalePvReuse, [...base, c, v]);
    const commands = f!.remediation.map((s) => s.command ?? '');
    assertOrder(commands, 'kubectl patch pv d-zero --type=merge -p \'{"spec":{"persistentVolumeReclaimPolicy":"Retain"}}\'', 'kubectl delete pvc data-web-0 -n db --wait=false');
    assert.ok(!commands.some((c) => /replicas|-1/.test(c)));
  });

  it('fires when the volume name carries another claim uid, even seconds apart', () => {
    const c = claim('db', 'data-web-1', { cls: 'retain', created: 5 });
    const [bc, v] = bind(c, volume('pvc-11111111-2222-4333-8444-555555555555', { cls: 'retain', created: 5 }));
    const findings = run(stalePvReuse, [...base, bc, v]);
    assert.equal(findings.length, 1);
    assert.ok(findings[0]!.evidence.some((e) => e.text.includes('volume name carries claim uid 11111111-2222-4333-8444-555555555555')));
  });

  it('warns about an Available dynamically provisioned volume in a class a template uses', () => {
    const findings = run(stalePvReuse, [...base, volume('d-left', { cls: 'retain', phase: 'Available', reclaim: 'Retain', lastPhase: 60 * 24 * 3 })]);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.severity, 'warning');
    assert.match(findings[0]!.message, /d-left \(10Gi, Retain\) is Available for 3d in class retain: the next replica of db\/web/);
  });

  it('follows a template without a class to the default class', () => {
    const noClass = statefulSet('db', 'cache', { cls: null });
    const findings = run(stalePvReuse, [storageClass('std', { isDefault: true }), noClass, volume('d-free', { cls: 'std', phase: 'Available' })]);
    assert.equal(findings.length, 1);
  });

  it('stays silent for an Available volume reserved for one claim (pre-bound, as released-pv advises)', () => {
    const reserved = volume('d-reserved', { cls: 'retain', phase: 'Available', reclaim: 'Retain', claimRef: { namespace: 'db', name: 'data-web-4' } });
    assert.deepEqual(run(stalePvReuse, [...base, reserved]), []);
  });

  it('stays silent for a volume provisioned with its claim, a static volume, and a marked reuse', () => {
    const [c1, v1] = bind(claim('db', 'data-web-0', { cls: 'retain', created: 60 }), volume('pvc-fresh', { cls: 'retain', created: 59 }));
    const [c2, v2] = bind(claim('db', 'data-web-1', { cls: 'retain', created: 60 }), volume('static-disk', { cls: 'retain', created: 60 * 24 * 90, provisionedBy: null }));
    const [c3, v3] = bind(claim('db', 'data-web-2', { cls: 'retain', created: 60 }), volume('d-migrated', { cls: 'retain', created: 60 * 24 * 90, annotations: { 'stsvol.io/reuse-intended': 'db/data-web-2' } }));
    const unrelatedAvailable = volume('d-other', { cls: 'other', phase: 'Available' });
    assert.deepEqual(run(stalePvReuse, [...base, c1, v1, c2, v2, c3, v3, unrelatedAvailable]), []);
  });

  it('quarantines the open volumes of the class before giving a replica a fresh claim, which one of them would otherwise get', () => {
    const [c, v] = bind(claim('db', 'data-web-4', { cls: 'retain', created: 30 }), volume('d-old', { cls: 'retain', reclaim: 'Retain', created: 60 * 24 * 90 }));
    const open = volume('d-open', { cls: 'retain', phase: 'Available', reclaim: 'Retain' });
    open.metadata.resourceVersion = '4711';
    const otherClass = volume('d-elsewhere', { cls: 'other', phase: 'Available' });
    const [f] = run(stalePvReuse, [...base, c, v, open, otherClass]).filter((x) => x.object.name === 'd-old');
    const commands = f!.remediation.map((s) => s.command ?? '');
    const quarantine = commands.find((x) => x.includes('patch pv d-open'));
    assert.ok(quarantine, `a quarantine step for d-open in ${JSON.stringify(commands)}`);
    assertOrder(commands, quarantine, 'kubectl delete pvc data-web-4 -n db --wait=false');
    assert.ok(!commands.some((x) => x.includes('d-elsewhere')), 'a volume of another class cannot bind the new claim');
    const patched = applyMergePatch(open, quarantine);
    assert.deepEqual(patched.spec!.claimRef, { namespace: 'stsvol-quarantine', name: 'd-open' });
    assert.equal(patched.metadata.resourceVersion, '4711', 'the patch is refused if the volume changed since it was read');
    assert.deepEqual(run(stalePvReuse, [...base, patched]), [], 'a quarantined volume is closed, so no longer reported');
  });

  it('quarantines in the class the claim comes back with: the template class, or the default class for a template without one', () => {
    const noClass = statefulSet('db', 'web', { replicas: 5, cls: null });
    const [c, v] = bind(claim('db', 'data-web-4', { cls: 'old', created: 30 }), volume('d-old', { cls: 'old', reclaim: 'Retain', created: 60 * 24 * 90 }));
    const inDefault = volume('d-default', { cls: 'std', phase: 'Available', reclaim: 'Retain' });
    const inOld = volume('d-old-class', { cls: 'old', phase: 'Available', reclaim: 'Retain' });
    const [f] = run(stalePvReuse, [storageClass('std', { isDefault: true }), storageClass('old'), noClass, c, v, inDefault, inOld]).filter((x) => x.object.name === 'd-old');
    const commands = f!.remediation.map((s) => s.command ?? '');
    assert.ok(commands.some((x) => x.includes('patch pv d-default') && x.includes('stsvol-quarantine')), JSON.stringify(commands));
    assert.ok(!commands.some((x) => x.includes('d-old-class')), 'the claim does not come back in its old class');
  });

  it('still reports a volume marked as given to one claim once another claim binds it', () => {
    const [c, v] = bind(claim('db', 'data-web-3', { cls: 'retain', created: 60 }), volume('d-given', { cls: 'retain', created: 60 * 24 * 90, annotations: { 'stsvol.io/reuse-intended': 'db/data-web-2' } }));
    assert.equal(run(stalePvReuse, [...base, c, v]).length, 1);
    const [legacy, lv] = bind(claim('db', 'data-web-1', { cls: 'retain', created: 60 }), volume('d-true', { cls: 'retain', created: 60 * 24 * 90, annotations: { 'stsvol.io/reuse-intended': 'true' } }));
    assert.equal(run(stalePvReuse, [...base, legacy, lv]).length, 1, 'a mark that names no claim covers none');
  });

  it('offers quarantine first for an open Available volume', () => {
    const [f] = run(stalePvReuse, [...base, volume('d-left', { cls: 'retain', phase: 'Available', reclaim: 'Retain' })]);
    const patches = f!.remediation.filter((s) => s.command?.includes('patch pv'));
    assert.match(patches[0]!.command!, /"namespace":"stsvol-quarantine","name":"d-left"/);
    assert.match(patches[0]!.text, /no new claim binds it; the data stays/);
  });

  it('stays silent once released-pv\'s pre-binding remedy is followed and the claim binds', () => {
    const released = volume('pv-kept', { cls: 'retain', phase: 'Released', reclaim: 'Retain', created: 60 * 24 * 90, claimRef: { namespace: 'db', name: 'data-web-4', uid: 'old-uid' } });
    const [finding] = run(releasedPv, [released]);
    const prebind = finding!.remediation.find((s) => s.command?.includes('patch pv'))!.command!;
    const reserved = applyMergePatch(released, prebind);
    const [c, v] = bind(claim('db', 'data-web-4', { cls: 'retain', created: 1 }), { ...reserved, status: { phase: 'Bound' } });
    assert.deepEqual(run(stalePvReuse, [...base, c, v]), [], 'the reuse was intended: the remedy said so on the volume');
  });
});
