import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stsTemplateDrift } from '../../../src/checks/rules/sts-template-drift.ts';
import { assertOrder, claim, event, run, statefulSet } from '../../fixtures/build.ts';

describe('sts-template-drift', () => {
  it('reports claims expanded past the template, and re-creates the StatefulSet with --cascade=orphan', () => {
    const sts = statefulSet('cache', 'redis', { size: '1Gi' });
    const [f] = run(stsTemplateDrift, [sts, claim('cache', 'data-redis-0', { size: '2Gi' }), claim('cache', 'data-redis-1', { size: '2Gi' }), claim('cache', 'data-redis-2', { size: '1Gi' })]);
    assert.equal(f!.severity, 'warning');
    assert.match(f!.message, /template "data" requests 1Gi but claims were expanded \(data-redis-1=2Gi, data-redis-0=2Gi\): a new replica, or a claim re-created after loss, gets 1Gi/);
    const commands = f!.remediation.map((s) => s.command ?? '');
    assertOrder(commands, `kubectl patch pvc data-redis-2 -n cache --type=merge -p '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}'`, 'kubectl get statefulset redis -n cache -o yaml > ./redis.yaml', 'the claim left behind grows too');
    assertOrder(commands, 'kubectl get statefulset redis -n cache -o yaml > ./redis.yaml', 'kubectl delete statefulset redis -n cache --cascade=orphan');
    assert.ok(f!.remediation.some((s) => /set volumeClaimTemplates "data" storage to 2Gi/.test(s.text)));
  });

  it('proposes sizes exactly as the API wrote them: a 10G template stays 10G, never 9.3Gi', () => {
    const [f] = run(stsTemplateDrift, [statefulSet('zk', 'zk', { size: '10G' }), claim('zk', 'data-zk-0', { size: '5Gi' })]);
    assert.match(f!.message, /requests 10G but existing claims were not expanded \(data-zk-0=5Gi\)/);
    assert.ok(f!.remediation.some((s) => s.command?.endsWith(`-p '{"spec":{"resources":{"requests":{"storage":"10G"}}}}'`)));
  });

  it('leads to one size for all when claims are both above and below the template: the largest', () => {
    const [f] = run(stsTemplateDrift, [statefulSet('db', 'pg', { size: '10Gi' }), claim('db', 'data-pg-0', { size: '20Gi' }), claim('db', 'data-pg-1', { size: '5Gi' })]);
    const commands = f!.remediation.map((s) => s.command ?? '');
    assert.ok(commands.includes(`kubectl patch pvc data-pg-1 -n db --type=merge -p '{"spec":{"resources":{"requests":{"storage":"20Gi"}}}}'`));
    assert.ok(f!.remediation.some((s) => /set volumeClaimTemplates "data" storage to 20Gi/.test(s.text)));
    assert.ok(!commands.some((c) => c.includes('"10Gi"') || c.includes('"5Gi"')), 'nothing proposes a size below the largest');
  });

  it('stays silent while a claim resize is in flight or finished minutes ago (the runbook in progress)', () => {
    const sts = statefulSet('cache', 'redis', { size: '1Gi' });
    const resizing = claim('cache', 'data-redis-2', { size: '2Gi', capacity: '1Gi', conditions: [{ type: 'Resizing', since: 1 }] });
    const done = claim('cache', 'data-redis-1', { size: '2Gi' });
    assert.deepEqual(run(stsTemplateDrift, [sts, resizing, done, event(done, 'VolumeResizeSuccessful', 'resize volume succeeded', { type: 'Normal', last: 2 }), claim('cache', 'data-redis-0', { size: '1Gi' })]), []);
  });

  it('reports a template larger than its claims, expanding the claims highest ordinal first', () => {
    const [f] = run(stsTemplateDrift, [statefulSet('zk', 'zk', { size: '10Gi' }), claim('zk', 'data-zk-0', { size: '8Gi' }), claim('zk', 'data-zk-1', { size: '8Gi' })]);
    assert.match(f!.message, /requests 10Gi but existing claims were not expanded/);
    assert.deepEqual(f!.remediation.map((s) => s.command?.split(' ')[3]), ['data-zk-1', 'data-zk-0']);
    assert.ok(!f!.remediation.some((s) => s.command?.includes('--cascade=orphan')), 'the template is already right');
  });

  it('stays silent when sizes agree, in whatever units', () => {
    assert.deepEqual(run(stsTemplateDrift, [statefulSet('a', 's', { size: '1Gi' }), claim('a', 'data-s-0', { size: '1024Mi' }), claim('a', 'data-s-1', { size: '1Gi' })]), []);
  });
});
