import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { multiAttach } from '../../../src/checks/rules/multi-attach.ts';
import { assertOrder, attachment, bind, claim, event, node, pod, run, volume } from '../../fixtures/build.ts';

const MSG = 'Multi-Attach error for volume "pv-0" Volume is already exclusively attached to one node and can\'t be attached to another';

describe('multi-attach', () => {
  it('links the Multi-Attach event to the attachment holding the disk on a lost node', () => {
    const [c, v] = bind(claim('db', 'data-mysql-0'), volume('pv-0'));
    const waiting = pod('db', 'mysql-0', { node: 'n2', phase: 'Pending', claims: ['data-mysql-0'], scheduledAgo: 30 });
    const findings = run(multiAttach, [node('n-old', { ready: 'Unknown', since: 40 }), node('n2'), c, v, waiting, attachment('csi-old', { pv: 'pv-0', node: 'n-old' }), event(waiting, 'FailedAttachVolume', MSG, { count: 15 })]);
    assert.equal(findings.length, 1);
    const f = findings[0]!;
    assert.equal(f.severity, 'critical');
    assert.deepEqual(f.object, { kind: 'Pod', namespace: 'db', name: 'mysql-0' });
    assert.match(f.message, /pod db\/mysql-0 on n2 waits for it; it is held on n-old by csi-old/);
    assert.ok(f.related.some((r) => r.kind === 'VolumeAttachment' && r.name === 'csi-old'));
    assert.ok(f.evidence.some((e) => e.type === 'event' && e.text.includes('Multi-Attach error')));
    const commands = f.remediation.map((s) => s.command ?? '');
    assertOrder(commands, 'kubectl taint nodes n-old node.kubernetes.io/out-of-service=nodeshutdown:NoExecute', 'kubectl delete volumeattachment csi-old');
    assertOrder(commands, 'kubectl delete volumeattachment csi-old', 'kubectl taint nodes n-old node.kubernetes.io/out-of-service=nodeshutdown:NoExecute-');
  });

  it('stays silent for a pod waiting as long as a normal reschedule takes, and for an event not repeated for half an hour', () => {
    const [c, v] = bind(claim('db', 'data-mysql-0'), volume('pv-0'));
    const fresh = pod('db', 'mysql-0', { node: 'n2', phase: 'Pending', claims: ['data-mysql-0'], scheduledAgo: 0.5, created: 0.5 });
    const holder = attachment('csi-old', { pv: 'pv-0', node: 'n1' });
    assert.deepEqual(run(multiAttach, [node('n1'), node('n2'), c, v, fresh, holder, event(fresh, 'FailedAttachVolume', MSG)]), []);
    const stale = pod('db', 'mysql-0', { node: 'n2', phase: 'Pending', claims: ['data-mysql-0'], scheduledAgo: 120 });
    assert.deepEqual(run(multiAttach, [node('n1'), node('n2'), c, v, stale, holder, event(stale, 'FailedAttachVolume', MSG, { last: 40 })]), []);
  });

  it('advises waiting while the holder node has only just gone NotReady', () => {
    const [c, v] = bind(claim('db', 'data-mysql-0'), volume('pv-0'));
    const waiting = pod('db', 'mysql-0', { node: 'n2', phase: 'Pending', claims: ['data-mysql-0'], scheduledAgo: 4 });
    const [f] = run(multiAttach, [node('n1', { ready: 'Unknown', since: 2 }), node('n2'), c, v, waiting, attachment('csi-old', { pv: 'pv-0', node: 'n1' }), event(waiting, 'FailedAttachVolume', MSG)]);
    assert.equal(f!.remediation.length, 1);
    assert.match(f!.remediation[0]!.text, /Do not fence or force-delete yet/);
  });

  it('reads the newest event as an instant, whatever the offset or fraction in its timestamp', () => {
    const [c1, v1] = bind(claim('db', 'data-a'), volume('pv-a'));
    const [c2, v2] = bind(claim('db', 'data-b'), volume('pv-b'));
    const waiting = pod('db', 'web-0', { node: 'n2', phase: 'Pending', claims: ['data-a', 'data-b'], scheduledAgo: 30 });
    // 10:29:59.5Z is newer than 11:29:00+01:00 (10:29:00Z), though it sorts lower as text.
    const [f, ...rest] = run(multiAttach, [node('n1'), node('n2'), c1, v1, c2, v2, waiting, attachment('csi-a', { pv: 'pv-a', node: 'n1' }), attachment('csi-b', { pv: 'pv-b', node: 'n1' }),
      event(waiting, 'FailedAttachVolume', MSG.replace('pv-0', 'pv-a'), { lastTimestamp: '2026-03-10T10:29:59.5Z' }),
      event(waiting, 'FailedAttachVolume', MSG.replace('pv-0', 'pv-b'), { lastTimestamp: '2026-03-10T11:29:00+01:00' })]);
    assert.equal(rest.length, 0);
    assert.deepEqual(f!.related[0], { kind: 'PersistentVolume', name: 'pv-a' });
  });

  it('reads the attach-detach controller\'s newer wording ("Waiting for detach", Kubernetes 1.37+) the same way', () => {
    const [c, v] = bind(claim('app', 'shared'), volume('pv-s'));
    const holder = pod('app', 'holder', { node: 'n1', claims: ['shared'] });
    const waiting = pod('app', 'second', { node: 'n2', phase: 'Pending', claims: ['shared'], scheduledAgo: 10 });
    const newer = 'Waiting for detach for volume "pv-s" Volume is already used by pod(s) holder';
    const [f, ...rest] = run(multiAttach, [node('n1'), node('n2'), c, v, holder, waiting, attachment('csi-1', { pv: 'pv-s', node: 'n1' }), event(waiting, 'FailedAttachVolume', newer)]);
    assert.equal(rest.length, 0);
    assert.deepEqual(f!.object, { kind: 'Pod', namespace: 'app', name: 'second' });
    assert.ok(f!.evidence.some((e) => e.type === 'event' && e.text.includes('Waiting for detach')));
  });

  it('names the running pod that holds the disk on a healthy node', () => {
    const [c, v] = bind(claim('app', 'shared'), volume('pv-s'));
    const holder = pod('app', 'old-replica', { node: 'n1', claims: ['shared'] });
    const waiting = pod('app', 'new-replica', { node: 'n2', phase: 'Pending', claims: ['shared'], scheduledAgo: 10 });
    const [f] = run(multiAttach, [node('n1'), node('n2'), c, v, holder, waiting, attachment('csi-1', { pv: 'pv-s', node: 'n1' })]);
    assert.match(f!.message, /held on n1 by csi-1 for pod old-replica/);
    assert.match(f!.remediation[0]!.text, /app\/old-replica on n1 still uses the volume/);
  });

  it('reports attachments of one RWO volume on two nodes even without events', () => {
    const v = volume('pv-x');
    const findings = run(multiAttach, [node('n1'), node('n2'), v, attachment('a1', { pv: 'pv-x', node: 'n1' }), attachment('a2', { pv: 'pv-x', node: 'n2', attached: false })]);
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0]!.object, { kind: 'PersistentVolume', name: 'pv-x' });
  });

  it('stays silent once the disk is attached where the waiting pod is', () => {
    const [c, v] = bind(claim('app', 'shared'), volume('pv-s'));
    const waiting = pod('app', 'second', { node: 'n2', phase: 'Pending', claims: ['shared'] });
    assert.deepEqual(run(multiAttach, [node('n1'), node('n2'), c, v, waiting, attachment('csi-2', { pv: 'pv-s', node: 'n2' }), event(waiting, 'FailedAttachVolume', MSG.replace('pv-0', 'pv-s'), { last: 1 })]), []);
  });

  it('stays silent for ReadWriteMany volumes, pods sharing a node, and a pod that has since started', () => {
    const [c1, v1] = bind(claim('a', 'rwx', { modes: ['ReadWriteMany'] }), volume('pv-rwx', { modes: ['ReadWriteMany'] }));
    const [c2, v2] = bind(claim('a', 'rwo'), volume('pv-rwo'));
    const started = pod('a', 'p3', { node: 'n2', claims: ['rwo'] });
    assert.deepEqual(run(multiAttach, [
      node('n1'), node('n2'), c1, v1, c2, v2,
      pod('a', 'p1', { node: 'n1', claims: ['rwx'] }), pod('a', 'p2', { node: 'n2', phase: 'Pending', claims: ['rwx'] }),
      attachment('r1', { pv: 'pv-rwx', node: 'n1' }), attachment('r2', { pv: 'pv-rwx', node: 'n2' }),
      pod('a', 'p4', { node: 'n2', claims: ['rwo'] }), started, event(started, 'FailedAttachVolume', MSG.replace('pv-0', 'pv-rwo'), { last: 30 }),
    ]), []);
  });
});
