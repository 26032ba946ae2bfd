import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attachLimit } from '../../../src/checks/rules/attach-limit.ts';
import { attachment, csiNode, event, node, pod, run } from '../../fixtures/build.ts';

const full = [
  node('n1'), csiNode('n1', [{ name: 'ebs.csi.aws.com', count: 2 }]),
  attachment('a1', { pv: 'pv-1', node: 'n1' }), attachment('a2', { pv: 'pv-2', node: 'n1' }),
];

describe('attach-limit', () => {
  it('reports a pod waiting on "max volume count" with the nodes at their limit', () => {
    const p = pod('s', 'es-3', { phase: 'Pending', created: 20 });
    const [f, ...rest] = run(attachLimit, [...full, p, event(p, 'FailedScheduling', '0/1 nodes are available: 1 node(s) exceed max volume count.')]);
    assert.equal(rest.length, 0);
    assert.equal(f!.severity, 'critical');
    assert.match(f!.message, /s\/es-3 has been unschedulable for 20m: nodes exceed their max volume count; 1 node\(s\) at their attach limit \(n1 2\/2 ebs.csi.aws.com\)/);
    assert.ok(f!.related.some((r) => r.kind === 'CSINode' && r.name === 'n1'));
  });

  it('warns about nodes at their limit before any pod waits', () => {
    const [f] = run(attachLimit, full);
    assert.equal(f!.severity, 'warning');
    assert.deepEqual(f!.object, { kind: 'CSIDriver', name: 'ebs.csi.aws.com' });
  });

  it('judges a pod by the scheduler\'s newest word on it, while that word is current', () => {
    const moved = pod('s', 'es-4', { phase: 'Pending', created: 60 });
    const old = pod('s', 'es-5', { phase: 'Pending', created: 120 });
    const findings = run(attachLimit, [
      node('n1'), moved, old,
      event(moved, 'FailedScheduling', '0/1 nodes are available: 1 node(s) exceed max volume count.', { last: 20 }),
      event(moved, 'FailedScheduling', '0/1 nodes are available: 1 Insufficient cpu.', { last: 2 }),
      event(old, 'FailedScheduling', '0/1 nodes are available: 1 node(s) exceed max volume count.', { last: 50 }),
    ]);
    assert.deepEqual(findings, []);
  });

  it('stays silent below the limit or without a limit', () => {
    assert.deepEqual(run(attachLimit, [node('n1'), csiNode('n1', [{ name: 'ebs.csi.aws.com', count: 3 }, { name: 'other' }]), attachment('a1', { pv: 'pv-1', node: 'n1' }), attachment('a2', { pv: 'pv-2', node: 'n1' })]), []);
  });

  it('waits while cluster-autoscaler brings up a node for the pod', () => {
    const p = pod('s', 'es-3', { phase: 'Pending', created: 20 });
    const failed = event(p, 'FailedScheduling', '0/1 nodes are available: 1 node(s) exceed max volume count.');
    const scaleUp = (minutesAgo: number) => event(p, 'TriggeredScaleUp', 'pod triggered scale-up: [{ng-1 1->2 (max: 10)}]', { type: 'Normal', last: minutesAgo, reporter: 'cluster-autoscaler' });
    assert.deepEqual(run(attachLimit, [...full, p, failed, scaleUp(2)]).map((f) => f.object.kind), ['CSIDriver'], 'only the nodes at their limit are reported');
    assert.deepEqual(run(attachLimit, [...full, p, failed, scaleUp(15)]).map((f) => f.object.name), ['es-3']);
  });
});
