import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/model/types.ts';
import { planRecover } from '../../../src/plans/recover.ts';
import { attachment, modelOf, node } from '../../fixtures/build.ts';
import { running } from './replicas.ts';

const OUT_OF_SERVICE = { key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' };

/** zk-0 runs on n0, whose state the test sets; its volume is attached there. */
function onNode(n0: KubeObject | undefined): KubeObject[] {
  const objects = running('db', 'zk', { replicas: 2 }).filter((o) => !(o.kind === 'Node' && o.metadata.name === 'n0'));
  return [...objects, ...(n0 ? [n0] : []), attachment('csi-zk-0', { pv: 'pv-zk-0', node: 'n0' })];
}

const plan = (objects: KubeObject[], nodeIsDown = false) => planRecover(modelOf(objects), { kind: 'pod', name: 'zk-0', namespace: 'db', nodeIsDown });

describe('recover planner', () => {
  it('refuses on a Ready node: force deletion would break at most one', () => {
    assert.deepEqual(plan(onNode(node('n0')), true).refusals.map((r) => r.code), ['node-ready']);
  });

  it('refuses a node Ready again under the out-of-service taint: it is not fenced', () => {
    const { refusals } = plan(onNode(node('n0', { ready: 'True', taints: [OUT_OF_SERVICE] })), true);
    assert.deepEqual(refusals.map((r) => r.code), ['node-ready-fenced']);
    assert.match(refusals[0]!.message, /remove the taint \(kubectl taint nodes n0 node.kubernetes.io\/out-of-service=nodeshutdown:NoExecute-\)/);
  });

  it('refuses a NotReady node that is not fenced unless the user states it is down', () => {
    const down = onNode(node('n0', { ready: 'Unknown', since: 30 }));
    assert.deepEqual(plan(down).refusals.map((r) => r.code), ['not-fenced']);
    const { plan: p, refusals } = plan(down, true);
    assert.deepEqual(refusals, []);
    assert.deepEqual(p.steps.map((s) => s.id), ['fence:n0', 'delete:db/zk-0', 'detached:pv-zk-0', 'replaced:db/zk-0']);
    assert.ok(p.steps[1]!.requires.some((r) => r.type === 'node-fenced'), 'the force delete requires the fence, checked live');
    assert.match(p.afterwards.join(), /remove the fence: kubectl taint nodes n0 node.kubernetes.io\/out-of-service=nodeshutdown:NoExecute-/);
    assert.equal(p.request.nodeIsDown, true, 'the statement is journaled with the request');
  });

  it('needs no fence on a tainted node, and deletes the attachment of a node that is gone', () => {
    assert.deepEqual(plan(onNode(node('n0', { ready: 'Unknown', taints: [OUT_OF_SERVICE] }))).plan.steps.map((s) => s.id), ['delete:db/zk-0', 'detached:pv-zk-0', 'replaced:db/zk-0']);
    const gone = plan(onNode(undefined));
    assert.deepEqual(gone.refusals, []);
    assert.deepEqual(gone.plan.steps.map((s) => s.id), ['delete:db/zk-0', 'detach:csi-zk-0', 'replaced:db/zk-0']);
    assert.deepEqual(gone.plan.steps[1]!.requires, [{ type: 'node-gone', node: 'n0' }]);
  });
});
