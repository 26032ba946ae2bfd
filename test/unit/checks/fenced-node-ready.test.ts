import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fencedNodeReady } from '../../../src/checks/rules/fenced-node-ready.ts';
import { bind, claim, node, pod, run, volume } from '../../fixtures/build.ts';

const TAINT = { key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' };

describe('fenced-node-ready', () => {
  it('reports a Ready node still tainted out-of-service: not fenced, un-fence it or it is not down', () => {
    const [c, v] = bind(claim('db', 'data-pg-0'), volume('pv-1'));
    const [f, ...rest] = run(fencedNodeReady, [node('n1', { taints: [TAINT] }), c, v, pod('db', 'pg-0', { node: 'n1', claims: ['data-pg-0'] })]);
    assert.equal(rest.length, 0);
    assert.equal(f!.severity, 'warning');
    assert.match(f!.message, /node n1 reports Ready but is still tainted out-of-service: it is not fenced/);
    assert.deepEqual(f!.related, [{ kind: 'Pod', namespace: 'db', name: 'pg-0' }]);
    assert.deepEqual(f!.evidence.map((e) => e.text), ['spec.taints: node.kubernetes.io/out-of-service=nodeshutdown:NoExecute', 'Ready=True']);
    assert.equal(f!.remediation[0]!.command, 'kubectl taint nodes n1 node.kubernetes.io/out-of-service=nodeshutdown:NoExecute-');
    assert.deepEqual(f!.remediation.map((s) => s.way), ['n1 was repaired and is meant to run pods again', 'n1 is meant to be down'], 'two alternatives, not a sequence');
    assert.match(f!.remediation[1]!.text, /It is not: its kubelet reports Ready/);
    assert.deepEqual(f!.cause, { kind: 'Node', name: 'n1' }, 'one incident with whatever else the node causes');
  });

  it('stays silent for a fenced node (tainted, not Ready), a Ready node without the taint, and other taints', () => {
    assert.deepEqual(run(fencedNodeReady, [
      node('down', { ready: 'False', taints: [TAINT] }), node('up'),
      node('cordoned', { taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }),
    ]), []);
  });
});
