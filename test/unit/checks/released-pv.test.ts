import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { releasedPv } from '../../../src/checks/rules/released-pv.ts';
import { bind, claim, event, run, volume } from '../../fixtures/build.ts';

describe('released-pv', () => {
  it('reports a Released Retain volume as kept and billed, with a pre-binding remedy', () => {
    const v = volume('pv-old', { phase: 'Released', reclaim: 'Retain', size: '100Gi', lastPhase: 60 * 24 * 18, claimRef: { namespace: 'kafka', name: 'data-kafka-5', uid: 'u-5' } });
    const [f, ...rest] = run(releasedPv, [v]);
    assert.equal(rest.length, 0);
    assert.equal(f!.severity, 'info');
    assert.match(f!.message, /pv-old \(100Gi\) is Released for 18d: kafka\/data-kafka-5 was deleted/);
    assert.deepEqual(f!.related, [{ kind: 'PersistentVolumeClaim', namespace: 'kafka', name: 'data-kafka-5' }]);
    const prebind = f!.remediation.find((s) => s.command?.includes('patch pv'));
    assert.match(prebind!.command!, /"claimRef":\{"namespace":"kafka","name":"data-kafka-5","uid":null,"resourceVersion":null\}/);
    assert.match(prebind!.text, /never clear claimRef, which opens it to any claim/);
  });

  it('warns when a Delete volume stays Released: its deleter fails, and quotes why', () => {
    const v = volume('pv-stuck', { phase: 'Released', reclaim: 'Delete', lastPhase: 1, claimRef: { namespace: 'a', name: 'b' } });
    const [f] = run(releasedPv, [v, event(v, 'VolumeFailedDelete', 'rpc error: code = Internal desc = volume vol-1 is still attached')]);
    assert.equal(f!.severity, 'warning');
    assert.match(f!.message, /deletion is failing/);
    assert.ok(f!.evidence.some((e) => e.type === 'event' && e.text.includes('still attached')));
  });

  it('warns about a Delete volume Released for minutes without an event', () => {
    const [f] = run(releasedPv, [volume('pv-slow', { phase: 'Released', reclaim: 'Delete', lastPhase: 30 })]);
    assert.equal(f!.severity, 'warning');
  });

  it('reports a Delete volume without lastPhaseTransitionTime (before 1.31) unless an event says it was released just now', () => {
    const unknown = volume('pv-no-time', { phase: 'Released', reclaim: 'Delete' });
    const [f] = run(releasedPv, [unknown]);
    assert.equal(f!.severity, 'warning', 'never "being deleted" forever');
    assert.match(f!.evidence[0]!.text, /no lastPhaseTransitionTime/);
    const recent = volume('pv-recent', { phase: 'Released', reclaim: 'Delete' });
    assert.deepEqual(run(releasedPv, [recent, event(recent, 'VolumeReleased', 'released', { type: 'Normal', last: 1 })]), []);
  });

  it('stays silent for Bound and Available volumes, and a Delete volume released a moment ago', () => {
    assert.deepEqual(run(releasedPv, [volume('a'), volume('b', { phase: 'Available' }), volume('c', { phase: 'Released', reclaim: 'Delete', lastPhase: 0.5 })]), []);
  });

  it('gives the data back to its claim name only while that name is free and the volume was made for that claim', () => {
    const prebind = (objects: Parameters<typeof run>[1]) => run(releasedPv, objects)[0]!.remediation.find((s) => s.command?.includes('claimRef'))!;
    const kept = volume('pv-kept', { phase: 'Released', reclaim: 'Retain', claimRef: { namespace: 'db', name: 'data-web-1', uid: 'old-uid' } });
    assert.match(prebind([kept]).command!, /"name":"data-web-1"/);
    // The replica's claim was replaced and has a fresh volume: the old data must not go to it.
    const [replaced, fresh] = bind(claim('db', 'data-web-1'), volume('pv-fresh'));
    const step = prebind([kept, replaced, fresh]);
    assert.match(step.command!, /"name":"<claim>"/);
    assert.match(step.text, /db\/data-web-1 exists again with a volume of its own/);
    // Made for an earlier claim than the one it was last bound to: its data may be older still.
    const reused = volume('pvc-11111111-2222-4333-8444-555555555555', { phase: 'Released', reclaim: 'Retain', claimRef: { namespace: 'db', name: 'data-web-2', uid: '99999999-2222-4333-8444-555555555555' } });
    const warned = prebind([reused]);
    assert.match(warned.command!, /"name":"<claim>"/);
    assert.match(warned.text, /was provisioned for an earlier claim \(uid 11111111-2222-4333-8444-555555555555\)/);
  });
});
