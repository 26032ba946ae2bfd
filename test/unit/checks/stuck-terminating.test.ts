import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stuckTerminating } from '../../../src/checks/rules/stuck-terminating.ts';
import { event, node, pod, run, statefulSet } from '../../fixtures/build.ts';

describe('stuck-terminating', () => {
  const sts = statefulSet('db', 'mysql');

  it('explains a pod on a NotReady node and fences with the out-of-service taint before force deletion', () => {
    const p = pod('db', 'mysql-0', { node: 'n-lost', owner: sts, deleted: 20, claims: ['data-mysql-0'] });
    const [f, ...rest] = run(stuckTerminating, [node('n-lost', { ready: 'Unknown', since: 25 }), sts, p]);
    assert.equal(rest.length, 0);
    assert.equal(f!.severity, 'critical');
    assert.match(f!.message, /terminating 20m past its deadline because node n-lost is NotReady since .*; StatefulSet db\/mysql cannot re-create mysql-0/);
    const commands = f!.remediation.map((s) => s.command);
    const taint = commands.indexOf('kubectl taint nodes n-lost node.kubernetes.io/out-of-service=nodeshutdown:NoExecute');
    const force = commands.indexOf('kubectl delete pod mysql-0 -n db --force --grace-period=0');
    assert.ok(taint >= 0 && force > taint, 'fencing comes before force deletion');
    assert.match(f!.remediation[taint]!.safeWhen!, /confirmed powered off/);
    assert.match(f!.remediation[force]!.safeWhen!, /never before/);
  });

  it('on a Ready node with unmount failures, quotes them and refuses force deletion', () => {
    const p = pod('db', 'mysql-1', { node: 'n1', owner: sts, deleted: 15 });
    const [f] = run(stuckTerminating, [node('n1'), sts, p, event(p, 'FailedUnmount', 'UnmountVolume.TearDown failed: device or resource busy')]);
    assert.match(f!.message, /the kubelet cannot unmount its volumes/);
    assert.ok(f!.evidence.some((e) => e.text.includes('device or resource busy')));
    assert.ok(!f!.remediation.some((s) => s.command?.includes('--force')), 'no force deletion on a reachable node');
    assert.ok(f!.remediation.some((s) => /Do not force-delete/.test(s.text)));
  });

  it('on a node already tainted out-of-service, force deletion is the remaining step', () => {
    const fenced = node('n-off', { ready: 'Unknown', taints: [{ key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' }] });
    const [f] = run(stuckTerminating, [fenced, sts, pod('db', 'mysql-2', { node: 'n-off', owner: sts, deleted: 10 })]);
    assert.match(f!.message, /node n-off is tainted out-of-service/);
    assert.equal(f!.remediation[0]!.command, 'kubectl delete pod mysql-2 -n db --force --grace-period=0');
    assert.ok(!f!.remediation.some((s) => s.command?.includes('kubectl taint')), 'already fenced');
  });

  it('names held finalizers and is a warning outside StatefulSets', () => {
    const [f] = run(stuckTerminating, [node('n1'), pod('a', 'worker', { node: 'n1', deleted: 30, finalizers: ['example.com/cleanup'] })]);
    assert.equal(f!.severity, 'warning');
    assert.match(f!.message, /finalizers example.com\/cleanup are held/);
    assert.ok(f!.remediation.some((s) => s.command === `kubectl patch pod worker -n a --type=merge -p '{"metadata":{"finalizers":null}}'`));
  });

  it('stays silent inside the grace period and its margin', () => {
    const inGrace = pod('db', 'mysql-2', { node: 'n-lost', owner: sts, deleted: -1 });
    const justPast = pod('db', 'mysql-1', { node: 'n-lost', owner: sts, deleted: 4 });
    assert.deepEqual(run(stuckTerminating, [node('n-lost', { ready: 'Unknown' }), sts, inGrace, justPast]), []);
  });
});
