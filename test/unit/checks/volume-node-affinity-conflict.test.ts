import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { volumeNodeAffinityConflict } from '../../../src/checks/rules/volume-node-affinity-conflict.ts';
import { bind, claim, event, node, pod, run, volume } from '../../fixtures/build.ts';

describe('volume-node-affinity-conflict', () => {
  it('finds a volume pinned to a zone with no schedulable node, even without the scheduler event', () => {
    const [c, v] = bind(claim('an', 'data-ch-0'), volume('pv-c', { zone: 'us-east-1c' }));
    const p = pod('an', 'ch-0', { phase: 'Pending', claims: ['data-ch-0'], created: 30 });
    const [f] = run(volumeNodeAffinityConflict, [node('a1', { zone: 'us-east-1a' }), node('c1', { zone: 'us-east-1c', unschedulable: true }), c, v, p]);
    assert.equal(f!.severity, 'critical');
    assert.match(f!.message, /its volume pv-c is pinned to topology.kubernetes.io\/zone In \[us-east-1c\] and no schedulable node is there/);
    assert.match(f!.evidence[0]!.text, /schedulable nodes are in zones: us-east-1a/);
  });

  it('reports the scheduler event, in older and current wording, when the volume itself looks placeable', () => {
    for (const message of ['0/3 nodes are available: 3 node(s) had volume node affinity conflict.', "0/2 nodes are available: 2 node(s) didn't match PersistentVolume's node affinity. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."]) {
      const p = pod('an', 'ch-1', { phase: 'Pending', created: 10 });
      const [f] = run(volumeNodeAffinityConflict, [node('a1'), p, event(p, 'FailedScheduling', message)]);
      assert.match(f!.message, /the scheduler reports a volume node affinity conflict/);
    }
  });

  it('stays silent when a node in the zone is schedulable, and for a pod pending only a moment', () => {
    const [c, v] = bind(claim('an', 'data-ch-0'), volume('pv-c', { zone: 'us-east-1c' }));
    const [c2, v2] = bind(claim('an', 'data-ch-1'), volume('pv-d', { zone: 'us-east-1d' }));
    assert.deepEqual(run(volumeNodeAffinityConflict, [
      node('c1', { zone: 'us-east-1c' }), c, v, pod('an', 'ch-0', { phase: 'Pending', claims: ['data-ch-0'], created: 30 }),
      c2, v2, pod('an', 'ch-1', { phase: 'Pending', claims: ['data-ch-1'], created: 1 }),
    ]), []);
  });
  it('judges by the scheduler\'s current word: a conflict it no longer reports, or reported an hour ago, is history', () => {
    const moved = pod('an', 'ch-2', { phase: 'Pending', created: 90 });
    const old = pod('an', 'ch-3', { phase: 'Pending', created: 90 });
    assert.deepEqual(run(volumeNodeAffinityConflict, [node('a1'), moved, old,
      event(moved, 'FailedScheduling', '0/3 nodes are available: 3 node(s) had volume node affinity conflict.', { last: 30 }),
      event(moved, 'FailedScheduling', '0/3 nodes are available: 3 Insufficient memory.', { last: 1 }),
      event(old, 'FailedScheduling', '0/3 nodes are available: 3 node(s) had volume node affinity conflict.', { last: 60 })]), []);
  });

  it('waits while cluster-autoscaler brings up a node for the pod, and reports once that takes too long', () => {
    const [c, v] = bind(claim('an', 'data-ch-0'), volume('pv-c', { zone: 'us-east-1c' }));
    const p = pod('an', 'ch-0', { phase: 'Pending', claims: ['data-ch-0'], created: 30 });
    const objects = [node('a1', { zone: 'us-east-1a' }), c, v, p];
    const scaleUp = (minutesAgo: number) => event(p, 'TriggeredScaleUp', 'pod triggered scale-up: [{eks-zone-c 0->1 (max: 5)}]', { type: 'Normal', last: minutesAgo, reporter: 'cluster-autoscaler' });
    assert.deepEqual(run(volumeNodeAffinityConflict, [...objects, scaleUp(3)]), []);
    assert.equal(run(volumeNodeAffinityConflict, [...objects, scaleUp(25)]).length, 1, 'a node that never came is no reason to wait');
  });
});
