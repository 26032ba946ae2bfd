import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { orphanPvc } from '../../../src/checks/rules/orphan-pvc.ts';
import { bind, claim, event, modelOf, pod, run, runOn, statefulSet, volume } from '../../fixtures/build.ts';

describe('orphan-pvc', () => {
  const sts = statefulSet('kafka', 'kafka', { replicas: 3 });
  const claims = [0, 1, 2, 3, 4].map((i) => claim('kafka', `data-kafka-${i}`));

  it('reports claims of ordinals at or above replicas, with the retention-policy remedy', () => {
    const [c3, v3] = bind(claims[3]!, volume('pv-3', { reclaim: 'Retain' }));
    const findings = run(orphanPvc, [sts, claims[0]!, claims[1]!, claims[2]!, c3, v3, claims[4]!]);
    assert.deepEqual(findings.map((f) => f.object.name).sort(), ['data-kafka-3', 'data-kafka-4']);
    const f3 = findings.find((f) => f.object.name === 'data-kafka-3')!;
    assert.equal(f3.severity, 'info');
    assert.match(f3.message, /belongs to ordinal 3 of StatefulSet kafka\/kafka, which runs 3 replicas/);
    const del = f3.remediation.find((s) => s.command === 'kubectl delete pvc data-kafka-3 -n kafka')!;
    assert.match(del.text, /pv-3 is Retain/);
    assert.match(del.safeWhen!, /will not run ordinal 3 again \(it would once it scales to 4 replicas or more\)/);
    const policy = f3.remediation.find((s) => s.command?.includes('"whenScaled":"Delete"'));
    assert.match(policy!.safeWhen!, /every scale-down of kafka deletes the claims/);
  });

  it('calls the claims of a StatefulSet scaled to 0 parked: the replicas come back to them', () => {
    const parked = statefulSet('kafka', 'kafka', { replicas: 0 });
    const [f] = run(orphanPvc, [parked, claims[0]!]);
    assert.match(f!.message, /runs 0 replicas from ordinal 0: parked \(statefulset kafka is scaled to 0\): it is billed, and the replica comes back to it with its data when it scales to 1 replica or more/);
  });

  it('reports a claim two StatefulSets both name once, under the one whose pod mounts it', () => {
    // a-b with template data and b with template data-a both name data-a-b-5.
    const ab = statefulSet('ns', 'a-b', { replicas: 1, template: 'data' });
    const b = statefulSet('ns', 'b', { replicas: 1, template: 'data-a' });
    const shared = claim('ns', 'data-a-b-5');
    const findings = run(orphanPvc, [ab, b, shared]);
    assert.equal(findings.length, 1, 'one claim, one finding');
    assert.match(findings[0]!.message, /ordinal 5 of StatefulSet ns\/a-b/, 'the first by name, when no pod mounts it');
  });

  it('respects spec.ordinals.start, in which claims it reports and in the replica counts it names', () => {
    const shifted = statefulSet('kafka', 'kafka', { replicas: 3, start: 2 });
    const six = claim('kafka', 'data-kafka-6');
    const findings = run(orphanPvc, [shifted, ...claims, six]);
    assert.deepEqual(findings.map((f) => f.object.name).sort(), ['data-kafka-0', 'data-kafka-1', 'data-kafka-6']);
    const below = findings.find((f) => f.object.name === 'data-kafka-0')!;
    assert.match(below.message, /runs 3 replicas from ordinal 2: .*reused with its old data if spec\.ordinals\.start is lowered to 0 or below/);
    const above = findings.find((f) => f.object.name === 'data-kafka-6')!;
    // ordinals 2, 3, 4 run; ordinal 6 returns at 5 replicas (2..6), not at 7.
    assert.match(above.remediation.find((s) => s.safeWhen)!.safeWhen!, /it would once it scales to 5 replicas or more/);
  });

  it('stays silent for a claim already being deleted (whenScaled: Delete at work)', () => {
    const deleting = { ...claims[3]!, metadata: { ...claims[3]!.metadata, deletionTimestamp: '2026-03-10T10:29:00Z', finalizers: ['kubernetes.io/pvc-protection'] } };
    assert.deepEqual(run(orphanPvc, [sts, ...claims.slice(0, 3), deleting]), []);
  });

  it('stays silent while the pod of that ordinal still exists (a scale-down in progress)', () => {
    const terminating = pod('kafka', 'kafka-3', { owner: sts, deleted: -1, claims: ['data-kafka-3'] });
    const findings = run(orphanPvc, [sts, ...claims.slice(0, 4), terminating]);
    assert.deepEqual(findings, []);
  });

  it('reports a claim no pod has mounted for a week, but not a newer or recently active one', () => {
    const old = claim('tools', 'old-export', { created: 60 * 24 * 10 });
    const fresh = claim('tools', 'new-export', { created: 60 * 24 * 2 });
    const active = claim('tools', 'busy-export', { created: 60 * 24 * 10 });
    const used = claim('tools', 'mounted', { created: 60 * 24 * 10 });
    const findings = run(orphanPvc, [old, fresh, active, event(active, 'Resizing', 'resizing', { type: 'Normal', last: 60 }), used, pod('tools', 'p', { claims: ['mounted'] })]);
    assert.deepEqual(findings.map((f) => f.object.name), ['old-export']);
    assert.match(findings[0]!.message, /is Bound, 10d old, and no pod mounts it/);
  });

  it('concludes "no pod mounts it" only when Pods could be read, and says when Events could not', () => {
    const old = claim('tools', 'old-export', { created: 60 * 24 * 10 });
    const podsHidden = modelOf([old]);
    podsHidden.snapshot.notices.push({ kind: 'Pod', reason: 'forbidden', message: 'listing pods is forbidden' });
    assert.deepEqual(runOn(orphanPvc, podsHidden), []);
    const eventsHidden = modelOf([old]);
    eventsHidden.snapshot.notices.push({ kind: 'Event', reason: 'forbidden', message: 'listing events is forbidden' });
    const [f] = runOn(orphanPvc, eventsHidden);
    assert.match(f!.evidence[0]!.text, /Events could not be read/);
  });
});
