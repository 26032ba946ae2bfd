import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { staleVolumeAttachment } from '../../../src/checks/rules/stale-volumeattachment.ts';
import { assertOrder, attachment, bind, claim, node, pod, run, volume } from '../../fixtures/build.ts';

describe('stale-volumeattachment', () => {
  it('is critical when the node is lost and a pod on another node waits for the volume', () => {
    const [c, v] = bind(claim('db', 'data-mysql-0'), volume('pv-0'));
    const waiting = pod('db', 'mysql-0', { node: 'n2', phase: 'Pending', claims: ['data-mysql-0'] });
    const findings = run(staleVolumeAttachment, [node('n-old', { ready: 'Unknown', since: 30 }), node('n2'), c, v, waiting, attachment('csi-old', { pv: 'pv-0', node: 'n-old' })]);
    assert.equal(findings.length, 1);
    const f = findings[0]!;
    assert.equal(f.severity, 'critical');
    assert.match(f.message, /csi-old holds pv-0 .* on n-old, attached=true, and node n-old is NotReady .*; pod db\/mysql-0 waits for the volume on n2/);
    const del = f.remediation.find((s) => s.command === 'kubectl delete volumeattachment csi-old')!;
    assert.match(del.safeWhen!, /fenced/);
    const commands = f.remediation.map((s) => s.command ?? '');
    const taint = 'kubectl taint nodes n-old node.kubernetes.io/out-of-service=nodeshutdown:NoExecute';
    assertOrder(commands, taint, 'kubectl delete volumeattachment csi-old', 'fencing comes first');
    assertOrder(commands, 'kubectl delete volumeattachment csi-old', `${taint}-`, 'un-fencing comes last');
    assert.equal(commands.at(-1), `${taint}-`);
    assert.match(f.remediation.at(-1)!.safeWhen!, /repaired and Ready, or deleted/);
  });

  it('fences nothing for a node that no longer exists: there is no taint to set or remove', () => {
    const [f] = run(staleVolumeAttachment, [node('n1'), attachment('csi-gone', { pv: 'pv-a', node: 'deleted-node' })]);
    assert.ok(!f!.remediation.some((s) => s.command?.includes('kubectl taint')));
    assert.equal(f!.remediation[0]!.command, 'stsvol recover volumeattachment/csi-gone', 'no --node-is-down: the node is gone');
    assert.match(f!.remediation[1]!.text, /terminated or powered off/);
  });

  it('warns about attachments on a deleted node, attach errors, and a deletion stuck on its finalizer', () => {
    const findings = run(staleVolumeAttachment, [
      node('n1'),
      attachment('csi-gone', { pv: 'pv-a', node: 'deleted-node' }),
      attachment('csi-err', { pv: 'pv-b', node: 'n1', attached: false, attachError: 'rpc error: code = Internal desc = disk busy' }),
      attachment('csi-hung', { pv: 'pv-c', node: 'n1', deleted: 20, finalizers: ['external-attacher/ebs-csi-aws-com'] }),
    ]);
    const byName = new Map(findings.map((f) => [f.object.name, f]));
    assert.equal(findings.length, 3);
    assert.match(byName.get('csi-gone')!.message, /node deleted-node does not exist/);
    assert.ok(byName.get('csi-err')!.evidence.some((e) => e.text === 'status.attachError: rpc error: code = Internal desc = disk busy'));
    assert.match(byName.get('csi-hung')!.message, /deleting for 20m/);
    assert.ok(byName.get('csi-hung')!.remediation.some((s) => s.command?.includes('"finalizers":null') && /detached/.test(s.safeWhen!)));
    assert.ok(findings.every((f) => f.severity === 'warning'));
  });

  it('stays silent for healthy attachments, a node NotReady for only a minute, a fresh deletion, and an attach retried for a minute', () => {
    assert.deepEqual(run(staleVolumeAttachment, [
      node('n1'), node('n-blip', { ready: 'False', since: 1 }),
      attachment('csi-ok', { pv: 'a', node: 'n1' }),
      attachment('csi-blip', { pv: 'b', node: 'n-blip' }),
      attachment('csi-detaching', { pv: 'c', node: 'n1', deleted: 1 }),
      attachment('csi-retrying', { pv: 'd', node: 'n1', attached: false, attachError: 'rpc error: code = Unavailable', created: 1 }),
    ]), []);
  });
});
