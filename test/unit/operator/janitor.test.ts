// The acting janitor: in dry-run it deletes nothing and says what it would delete, once; for real it
// reads the node again right before the delete and sends the attachment's uid as a precondition.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeApi } from '../../../src/model/kube-api.ts';
import type { TransportResponse, WritableTransport } from '../../../src/model/live.ts';
import { AttachmentJanitor } from '../../../src/operator/janitor.ts';
import { OperatorMetrics } from '../../../src/operator/metrics.ts';
import type { EventSpec } from '../../../src/operator/recorder.ts';
import { attachment, modelOf, node } from '../../fixtures/build.ts';

/** Records requests; a Node read answers `liveNode` (default 404: the node is gone), a delete 200. */
class Requests implements WritableTransport {
  readonly sent: { method: string; path: string; body?: unknown }[] = [];
  private readonly liveNode?: unknown;
  constructor(liveNode?: unknown) {
    this.liveNode = liveNode;
  }
  async get(path: string): Promise<TransportResponse> {
    return this.request('GET', path);
  }
  async request(method: string, path: string, body?: { json: unknown }): Promise<TransportResponse> {
    this.sent.push({ method, path, body: body?.json });
    if (method !== 'GET') return { status: 200, body: '{}' };
    return this.liveNode ? { status: 200, body: JSON.stringify(this.liveNode) } : { status: 404, body: '{"reason":"NotFound"}' };
  }
}

function janitor(dryRun: boolean, liveNode?: unknown) {
  const requests = new Requests(liveNode);
  const metrics = new OperatorMetrics();
  const events: EventSpec[] = [];
  const j = new AttachmentJanitor({ api: new KubeApi(requests), log: () => undefined, metrics, record: async (e) => void events.push(e), isLeader: () => true, dryRun });
  return { j, requests, metrics, events };
}

const TAINT = { key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' };

describe('attachment janitor, acting', () => {
  const model = modelOf([attachment('va-1', { pv: 'pv-1', node: 'gone' })]);
  const va = model.snapshot.attachments[0]!;

  it('in dry-run deletes nothing and reports the attachment once', async () => {
    const { j, requests, metrics, events } = janitor(true);
    await j.reconcile(model);
    await j.reconcile(model);
    assert.deepEqual(requests.sent, []);
    assert.deepEqual(events.map((e) => [e.reason, e.object.name]), [['WouldDeleteVolumeAttachment', 'pv-1']]);
    assert.match((await metrics.registry.metrics()), /stsvol_janitor_actions_total\{reason="node-deleted",result="dry-run"\} 1/);
  });

  it('reads the node again, then deletes with the attachment\'s uid, once', async () => {
    const { j, requests, events } = janitor(false);
    await j.reconcile(model);
    await j.reconcile(model);
    assert.deepEqual(requests.sent.map((r) => `${r.method} ${r.path}`), ['GET /api/v1/nodes/gone', 'DELETE /apis/storage.k8s.io/v1/volumeattachments/va-1']);
    assert.deepEqual((requests.sent[1]!.body as { preconditions: unknown }).preconditions, { uid: va.metadata.uid });
    assert.deepEqual(events.map((e) => e.reason), ['VolumeAttachmentDeleted']);
  });

  it('deletes nothing when the node, read again, came back Ready under the out-of-service taint', async () => {
    const fencedModel = modelOf([node('n1', { ready: 'False', taints: [TAINT] }), attachment('va-2', { pv: 'pv-2', node: 'n1' })]);
    const { j, requests, events } = janitor(false, node('n1', { ready: 'True', taints: [TAINT] }));
    await j.reconcile(fencedModel);
    assert.deepEqual(requests.sent.map((r) => `${r.method} ${r.path}`), ['GET /api/v1/nodes/n1'], 'read, judged not fenced, not deleted');
    assert.deepEqual(events, []);
  });
});
