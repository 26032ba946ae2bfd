import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nodeState, nodeStateText } from '../../../src/checks/recipes/fencing.ts';
import { ago, modelOf, node } from '../../fixtures/build.ts';

/** A NotReady node whose Ready condition carries only the times given. */
function notReady(times: { lastTransitionTime?: string; lastHeartbeatTime?: string }) {
  const n = node('n1', { ready: 'Unknown' });
  n.status!.conditions = [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', ...times }];
  return modelOf([n]);
}

describe('node state', () => {
  it('is lost only after the eviction grace, counted from the Ready transition', () => {
    assert.equal(nodeState(notReady({ lastTransitionTime: ago(20) }), 'n1'), 'lost');
    assert.equal(nodeState(notReady({ lastTransitionTime: ago(1) }), 'n1'), 'not-ready-briefly');
  });

  it('counts from the last heartbeat when the transition time is missing', () => {
    assert.equal(nodeState(notReady({ lastHeartbeatTime: ago(20) }), 'n1'), 'lost');
    assert.equal(nodeState(notReady({ lastHeartbeatTime: ago(1) }), 'n1'), 'not-ready-briefly');
  });

  it('never concludes "lost" from a NotReady node whose condition records no time', () => {
    const model = notReady({});
    assert.equal(nodeState(model, 'n1'), 'not-ready-briefly', 'fencing advice on a guess could start a second copy');
    assert.match(nodeStateText(model, 'n1'), /NotReady since a time its Ready condition does not record \(NodeStatusUnknown\)/);
    const noCondition = node('n2', { ready: 'False' });
    noCondition.status!.conditions = [];
    assert.equal(nodeState(modelOf([noCondition]), 'n2'), 'not-ready-briefly');
  });

  it('tells apart a missing node, a fenced one and Nodes that could not be read', () => {
    assert.equal(nodeState(modelOf([node('n1')]), 'gone'), 'missing');
    assert.equal(nodeState(modelOf([node('n1', { ready: 'False', taints: [{ key: 'node.kubernetes.io/out-of-service', effect: 'NoExecute' }] })]), 'n1'), 'out-of-service');
    const back = modelOf([node('n1', { ready: 'True', taints: [{ key: 'node.kubernetes.io/out-of-service', effect: 'NoExecute' }] })]);
    assert.equal(nodeState(back, 'n1'), 'out-of-service-ready', 'Ready under the taint is not fenced');
    assert.match(nodeStateText(back, 'n1'), /tainted out-of-service but Ready: its kubelet runs again, so it is not fenced/);
    const blind = modelOf([]);
    blind.snapshot.notices.push({ kind: 'Node', reason: 'forbidden', message: 'listing nodes is forbidden' });
    assert.equal(nodeState(blind, 'n1'), 'unseen');
  });
});
