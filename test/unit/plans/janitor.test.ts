// The janitor's judgement on plain objects: an attachment goes only when its node is fenced (gone or
// tainted out-of-service), never for a merely NotReady node, never twice, and never while a running
// pod on another node uses the volume.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/model/types.ts';
import { judgeAttachments } from '../../../src/plans/janitor.ts';
import { attachment, bind, claim, modelOf, node, pod, volume } from '../../fixtures/build.ts';

const OUT_OF_SERVICE = { key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' };

function judged(objects: KubeObject[]) {
  const { act, hold } = judgeAttachments(modelOf(objects));
  return { act: act.map((a) => [a.attachment.metadata.name, a.reason]), hold: hold.map((h) => [h.attachment.metadata.name, h.why]) };
}

describe('attachment janitor', () => {
  it('deletes the attachments of a deleted node and of a node tainted out-of-service', () => {
    const { act } = judged([
      attachment('va-gone', { pv: 'pv-1', node: 'gone' }),
      node('fenced', { ready: 'False', taints: [OUT_OF_SERVICE] }), attachment('va-fenced', { pv: 'pv-2', node: 'fenced' }),
    ]);
    assert.deepEqual(act, [['va-gone', 'node-deleted'], ['va-fenced', 'node-out-of-service']]);
  });

  it('leaves a NotReady node alone, however long, and a Ready one silently', () => {
    const { act, hold } = judged([
      node('down', { ready: 'Unknown', since: 600 }), attachment('va-down', { pv: 'pv-1', node: 'down' }),
      node('up'), attachment('va-up', { pv: 'pv-2', node: 'up' }),
    ]);
    assert.deepEqual(act, []);
    assert.deepEqual(hold.map(([name]) => name), ['va-down']);
    assert.match(hold[0]![1]!, /not fenced/);
  });

  it('leaves the attachments of a node Ready again under the taint: it is not fenced', () => {
    const { act, hold } = judged([node('back', { ready: 'True', taints: [OUT_OF_SERVICE] }), attachment('va-back', { pv: 'pv-1', node: 'back' })]);
    assert.deepEqual(act, []);
    assert.deepEqual(hold, [['va-back', 'node back is tainted out-of-service but Ready: its kubelet runs again, so it is not fenced']]);
  });

  it('leaves an attachment whose volume a running pod uses on another node, and one being deleted', () => {
    const [c, v] = bind(claim('db', 'data-pg-0'), volume('pv-1'));
    const { act, hold } = judged([
      c, v, node('n2'), pod('db', 'pg-0', { node: 'n2', claims: ['data-pg-0'], ready: true }),
      attachment('va-gone', { pv: 'pv-1', node: 'gone' }),
      attachment('va-deleting', { pv: 'pv-9', node: 'gone', deleted: 1, finalizers: ['external-attacher/ebs-csi-aws-com'] }),
    ]);
    assert.deepEqual(act, []);
    assert.deepEqual(hold.map(([name]) => name).sort(), ['va-deleting', 'va-gone']);
    assert.match(hold.find(([n]) => n === 'va-gone')![1]!, /db\/pg-0 runs with the volume on another node/);
  });
});
