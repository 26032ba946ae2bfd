// The acting janitor: in dry-run it deletes nothing and says what it would delete, once; for real it
// reads the node again right before the delete and sends the attachment's uid as a precondition.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeApi } from '../../../src/executor/api.ts';
import type { TransportResponse, WritableTransport } from '../../../src/model/live.ts';
import { AttachmentJanitor } from '../../../src/operator/janitor.ts';
import { OperatorMetrics } from '../../../src/operator/metrics.ts';
import type { EventSpec } from '../../../src/operator/recorder.ts';
import { attachment, modelOf } from '../../fixtures/build.ts';

/** Records requests; every Node read answers 404 (the node is gone), every delete 200. */
class Requests implements WritableTransport {
  readonly sent: { method: string; path: string; body?: unknown }[] = [];
  async get(path: string): Promise<TransportResponse> {
    return this.request('GET', path);
  }
  async request(method: string, path: string, body?: { json: unknown }): Promise<TransportResponse> {
    this.sent.push({ method, path, body: body?.json });
    return method === 'GET' ? { status: 404, body: '{"reason":"NotFound"}' } : { status: 200, body: '{}' };
  }
}

function janitor(dryRun: boolean) {
  const requests = new Requests();
  const metrics = new OperatorMetrics();
  const events: EventSpec[] = [];
  const j = new AttachmentJanitor({ api: new KubeApi(requests), log: () => undefined, metrics, record: async (e) => void events.push(e), isLeader: () => true, dryRun });
  return { j, requests, metrics, events };
}

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
});
