import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resizeFailed } from '../../../src/checks/rules/resize-failed.ts';
import { claim, event, pod, run, statefulSet } from '../../fixtures/build.ts';

const RATE = 'api error VolumeModificationRateExceeded: Wait at least 6 hours between modifications per EBS volume.';

describe('resize-failed', () => {
  it('quotes a controller resize error and offers a retry above the capacity', () => {
    const [f] = run(resizeFailed, [claim('q', 'data-rmq-0', { size: '30Gi', capacity: '20Gi', conditions: [{ type: 'ControllerResizeError', message: RATE }] })]);
    assert.equal(f!.severity, 'warning');
    assert.match(f!.message, /q\/data-rmq-0: expansion from 20Gi to 30Gi failed: ControllerResizeError=True \(.*VolumeModificationRateExceeded/);
    assert.equal(f!.remediation[1]!.command, `kubectl patch pvc data-rmq-0 -n q --type=merge -p '{"spec":{"resources":{"requests":{"storage":"<size above 20Gi>"}}}}'`);
    assert.match(f!.remediation[1]!.text, /the API refuses 20Gi itself/);
  });

  it('says a driver that expands only offline waits for the volume to be free, and names the resize that stops one replica at a time', () => {
    const sts = statefulSet('db', 'pg', { replicas: 1 });
    const c = claim('db', 'data-pg-0', { size: '30Gi', capacity: '20Gi', conditions: [{ type: 'ControllerResizeError', message: 'failed to expand pvc with rpc error: code = FailedPrecondition desc = volume is published' }] });
    const [f] = run(resizeFailed, [sts, c, pod('db', 'pg-0', { claims: ['data-pg-0'], owner: sts })]);
    assert.match(f!.message, /db\/data-pg-0: expansion to 30Gi waits for the volume to be free: its driver expands only offline, and pod pg-0 uses it/);
    assert.equal(f!.remediation[0]!.command, 'stsvol resize statefulset/pg -n db --to 30Gi');
  });

  it('reports infeasible statuses and failure events of a resize still outstanding', () => {
    const infeasible = claim('q', 'a', { size: '30Gi', capacity: '20Gi', allocatedStatus: 'NodeResizeInfeasible' });
    const byEvent = claim('q', 'b', { size: '30Gi', capacity: '20Gi' });
    const findings = run(resizeFailed, [infeasible, byEvent, event(byEvent, 'VolumeResizeFailed', 'resize volume failed: rpc error: code = OutOfRange')]);
    assert.deepEqual(findings.map((f) => f.object.name).sort(), ['a', 'b']);
  });

  it('stays silent for old failure events of a resize that has since completed', () => {
    const done = claim('q', 'done', { size: '30Gi', capacity: '30Gi' });
    assert.deepEqual(run(resizeFailed, [done, event(done, 'VolumeResizeFailed', 'transient', { last: 120 })]), []);
  });
});
