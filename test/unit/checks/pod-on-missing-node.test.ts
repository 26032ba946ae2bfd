import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { podOnMissingNode } from '../../../src/checks/rules/pod-on-missing-node.ts';
import { event, modelOf, runOn, node, pod, run, statefulSet } from '../../fixtures/build.ts';

describe('pod-on-missing-node', () => {
  it('reports a StatefulSet pod on a deleted node as critical, fencing before force deletion', () => {
    const sts = statefulSet('cx', 'recv');
    const [f, ...rest] = run(podOnMissingNode, [node('n1'), sts, pod('cx', 'recv-2', { node: 'gone-1', owner: sts })]);
    assert.equal(rest.length, 0);
    assert.equal(f!.severity, 'critical');
    assert.match(f!.message, /bound to node gone-1, which does not exist; StatefulSet cx\/recv cannot run this replica elsewhere/);
    assert.equal(f!.remediation[0]!.command, 'stsvol recover pod/recv-2 -n cx', 'the stsvol command that performs the steps comes first');
    const steps = f!.remediation.slice(1);
    assert.match(steps[0]!.text, /Confirm .* terminated or powered off/);
    assert.equal(steps[1]!.command, 'kubectl delete pod recv-2 -n cx --force --grace-period=0');
    assert.match(steps[1]!.safeWhen!, /confirmed terminated or powered off/);
  });

  it('is a warning for a pod of no StatefulSet', () => {
    const [f] = run(podOnMissingNode, [node('n1'), pod('a', 'job-1', { node: 'gone' })]);
    assert.equal(f!.severity, 'warning');
  });

  it('stays silent in the minute after the node was deleted, while the pod garbage collector has its turn', () => {
    const gone = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'gone-1' } };
    const p = pod('cx', 'recv-2', { node: 'gone-1' });
    assert.deepEqual(run(podOnMissingNode, [node('n1'), p, event(gone, 'RemovingNode', 'Node gone-1 event: Removing Node gone-1 from Controller', { type: 'Normal', last: 0.5 })]), []);
    assert.equal(run(podOnMissingNode, [node('n1'), p, event(gone, 'RemovingNode', 'Node gone-1 event: Removing Node gone-1 from Controller', { type: 'Normal', last: 5 })]).length, 1);
  });

  it('stays silent for pods on existing nodes, unscheduled pods, and when nodes are not visible', () => {
    assert.deepEqual(run(podOnMissingNode, [node('n1'), pod('a', 'p', { node: 'n1' }), pod('a', 'q', { phase: 'Pending' })]), []);
    const blind = modelOf([pod('a', 'p', { node: 'n1' })]);
    blind.snapshot.notices.push({ kind: 'Node', reason: 'forbidden', message: 'listing nodes is forbidden' });
    assert.deepEqual(runOn(podOnMissingNode, blind), []);
  });
});
