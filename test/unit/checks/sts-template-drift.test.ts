import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stsTemplateDrift } from '../../../src/checks/rules/sts-template-drift.ts';
import { claim, run, statefulSet } from '../../fixtures/build.ts';

describe('sts-template-drift', () => {
  it('reports claims expanded past the template, and re-creates the StatefulSet with --cascade=orphan', () => {
    const sts = statefulSet('cache', 'redis', { size: '1Gi' });
    const [f] = run(stsTemplateDrift, [sts, claim('cache', 'data-redis-0', { size: '2Gi' }), claim('cache', 'data-redis-1', { size: '2Gi' }), claim('cache', 'data-redis-2', { size: '1Gi' })]);
    assert.equal(f!.severity, 'warning');
    assert.match(f!.message, /template "data" requests 1Gi but claims were expanded \(data-redis-1=2Gi, data-redis-0=2Gi\): a new replica, or a claim re-created after loss, gets 1Gi/);
    const commands = f!.remediation.map((s) => s.command);
    assert.equal(commands[0], 'kubectl get statefulset redis -n cache -o yaml > redis.yaml');
    assert.equal(commands[1], 'kubectl delete statefulset redis -n cache --cascade=orphan');
    assert.match(f!.remediation[2]!.text, /set volumeClaimTemplates "data" storage to 2Gi/);
  });

  it('reports a template larger than its claims, expanding the claims highest ordinal first', () => {
    const [f] = run(stsTemplateDrift, [statefulSet('zk', 'zk', { size: '10Gi' }), claim('zk', 'data-zk-0', { size: '8Gi' }), claim('zk', 'data-zk-1', { size: '8Gi' })]);
    assert.match(f!.message, /requests 10Gi but existing claims were not expanded/);
    assert.deepEqual(f!.remediation.map((s) => s.command?.split(' ')[3]), ['data-zk-1', 'data-zk-0']);
  });

  it('stays silent when sizes agree, in whatever units', () => {
    assert.deepEqual(run(stsTemplateDrift, [statefulSet('a', 's', { size: '1Gi' }), claim('a', 'data-s-0', { size: '1024Mi' }), claim('a', 'data-s-1', { size: '1Gi' })]), []);
  });
});
