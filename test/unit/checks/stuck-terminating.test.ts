import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stuckTerminating } from '../../../src/checks/rules/stuck-terminating.ts';
import { assertOrder, event, node, pod, run, statefulSet } from '../../fixtures/build.ts';

describe('stuck-terminating', () => {
  const sts = statefulSet('db', 'mysql');

  it('explains a pod on a NotReady node and fences with the out-of-service taint before force deletion', () => {
    const p = pod('db', 'mysql-0', { node: 'n-lost', owner: sts, deleted: 20, claims: ['data-mysql-0'] });
    const [f, ...rest] = run(stuckTerminating, [node('n-lost', { ready: 'Unknown', since: 25 }), sts, p]);
    assert.equal(rest.length, 0);
    assert.equal(f!.severity, 'critical');
    assert.match(f!.message, /terminating 20m past its deadline because node n-lost is NotReady for 25m; StatefulSet db\/mysql cannot re-create mysql-0/);
    const commands = f!.remediation.map((s) => s.command ?? '');
    const taint = 'kubectl taint nodes n-lost node.kubernetes.io/out-of-service=nodeshutdown:NoExecute';
    const force = 'kubectl delete pod mysql-0 -n db --force --grace-period=0';
    assertOrder(commands, taint, force, 'fencing comes before force deletion');
    assertOrder(commands, force, `${taint}-`, 'un-fencing comes after the force deletion it protects');
    assert.equal(commands.at(-1), `${taint}-`, 'un-fencing is the last step');
    assert.match(f!.remediation[commands.indexOf(taint)]!.safeWhen!, /confirmed powered off/);
    assert.match(f!.remediation[commands.indexOf(force)]!.safeWhen!, /never before/);
    assert.match(f!.remediation.at(-1)!.safeWhen!, /repaired and Ready, or deleted/);
  });

  it('advises waiting, not fencing, while a node has been NotReady for less than the eviction grace', () => {
    const [f] = run(stuckTerminating, [node('n-blip', { ready: 'False', since: 1 }), sts, pod('db', 'mysql-0', { node: 'n-blip', owner: sts, deleted: 10 })]);
    assert.match(f!.message, /node n-blip is NotReady for 60s/);
    assert.ok(!f!.remediation.some((s) => s.command?.includes('--force') || s.command?.includes('kubectl taint')), 'a blip is no reason to fence');
    assert.match(f!.remediation[0]!.text, /Do not fence or force-delete yet/);
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
    assert.equal(f!.remediation[0]!.command, 'stsvol recover pod/mysql-2 -n db');
    assert.equal(f!.remediation[1]!.command, 'kubectl delete pod mysql-2 -n db --force --grace-period=0');
    assert.ok(!f!.remediation.slice(0, -1).some((s) => s.command?.includes('kubectl taint')), 'already fenced');
    assert.equal(f!.remediation.at(-1)!.command, 'kubectl taint nodes n-off node.kubernetes.io/out-of-service=nodeshutdown:NoExecute-', 'un-fenced last');
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
