import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { volumeMountTimeout } from '../../../src/checks/rules/volume-mount-timeout.ts';
import { event, node, pod, run, statefulSet } from '../../fixtures/build.ts';

const TIMEOUT = 'Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[data]: timed out waiting for the condition';

describe('volume-mount-timeout', () => {
  it('quotes the newest mount error of a pod waiting past the grace period', () => {
    const sts = statefulSet('cx', 'recv');
    const p = pod('cx', 'recv-5', { node: 'n1', phase: 'Pending', owner: sts, scheduledAgo: 32, waiting: 'ContainerCreating' });
    const findings = run(volumeMountTimeout, [node('n1'), sts, p, event(p, 'FailedAttachVolume', 'AttachVolume.Attach failed: disk not found', { last: 10 }), event(p, 'FailedMount', TIMEOUT, { last: 2, count: 14 })]);
    assert.equal(findings.length, 1);
    const f = findings[0]!;
    assert.equal(f.severity, 'critical');
    assert.match(f.message, /cx\/recv-5 \(StatefulSet cx\/recv\) has waited 32m in ContainerCreating on n1: Unable to attach or mount volumes/);
    assert.deepEqual(f.evidence.map((e) => e.text.split(':')[0]), ['Warning FailedMount (x14) [test]', 'Warning FailedAttachVolume [test]']);
  });

  it('stays silent for a pod past volume setup (ImagePullBackOff) and for a mount event not repeated for half an hour', () => {
    const pulling = pod('a', 'pulling', { node: 'n1', phase: 'Pending', scheduledAgo: 240, waiting: 'ImagePullBackOff' });
    const creating = pod('a', 'creating', { node: 'n1', phase: 'Pending', scheduledAgo: 240, waiting: 'ContainerCreating' });
    assert.deepEqual(run(volumeMountTimeout, [
      node('n1'), pulling, creating,
      event(pulling, 'FailedMount', TIMEOUT, { last: 180 }), event(pulling, 'FailedMount', TIMEOUT, { last: 1 }),
      event(creating, 'FailedMount', TIMEOUT, { last: 45 }),
    ]), []);
  });

  it('quotes the newest error as an instant, whatever the offset or fraction in its timestamp', () => {
    const p = pod('a', 'p', { node: 'n1', phase: 'Pending', scheduledAgo: 30 });
    const [f] = run(volumeMountTimeout, [node('n1'), p,
      event(p, 'FailedMount', 'newest: 10:29:59.5Z', { lastTimestamp: '2026-03-10T10:29:59.5Z' }),
      event(p, 'FailedMount', 'older: 11:29:00+01:00 is 10:29:00Z', { lastTimestamp: '2026-03-10T11:29:00+01:00' })]);
    assert.match(f!.message, /: newest: 10:29:59\.5Z$/);
  });

  it('stays silent within the grace period, for Multi-Attach (its own check), and for running pods', () => {
    const young = pod('a', 'young', { node: 'n1', phase: 'Pending', scheduledAgo: 1 });
    const contested = pod('a', 'contested', { node: 'n1', phase: 'Pending', scheduledAgo: 20 });
    const running = pod('a', 'running', { node: 'n1', scheduledAgo: 20 });
    assert.deepEqual(run(volumeMountTimeout, [
      node('n1'), young, contested, running,
      event(young, 'FailedMount', TIMEOUT), event(contested, 'FailedAttachVolume', 'Multi-Attach error for volume "pv" Volume is already used by pod(s) x'),
      event(running, 'FailedMount', TIMEOUT, { last: 30 }),
    ]), []);
  });
});
