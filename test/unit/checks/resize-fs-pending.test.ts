import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resizeFsPending } from '../../../src/checks/rules/resize-fs-pending.ts';
import { bind, claim, pod, run, statefulSet, volume } from '../../fixtures/build.ts';

const PENDING = { type: 'FileSystemResizePending', message: 'Waiting for user to (re-)start a pod to finish file system resize of volume on node.' };

describe('resize-fs-pending', () => {
  it('reports a file system waiting longer than the grace period, restarting one replica at a time', () => {
    const sts = statefulSet('logs', 'collector');
    const [c, v] = bind(claim('logs', 'data-collector-0', { size: '50Gi', capacity: '10Gi', conditions: [{ ...PENDING, since: 50 }], allocatedStatus: 'NodeResizePending' }), volume('pv-l', { size: '50Gi' }));
    const [f] = run(resizeFsPending, [sts, c, v, pod('logs', 'collector-0', { node: 'n1', owner: sts, claims: ['data-collector-0'] })]);
    assert.equal(f!.severity, 'warning');
    assert.match(f!.message, /expanded to 50Gi but the file system has waited 50m for the node \(claim still shows 10Gi\)/);
    assert.ok(f!.evidence.some((e) => e.text === 'status.allocatedResourceStatuses.storage=NodeResizePending'));
    const restart = f!.remediation.find((s) => s.command?.startsWith('kubectl delete pod collector-0'))!;
    assert.equal(restart.command, 'kubectl delete pod collector-0 -n logs && kubectl wait --for=create pod/collector-0 -n logs --timeout=10m && kubectl wait --for=condition=Ready pod/collector-0 -n logs --timeout=10m');
    assert.match(restart.text, /highest ordinal first/);
  });

  it('stays silent during the first minutes of an online resize', () => {
    assert.deepEqual(run(resizeFsPending, [claim('logs', 'c', { size: '50Gi', capacity: '10Gi', conditions: [{ ...PENDING, since: 2 }] })]), []);
  });
});
