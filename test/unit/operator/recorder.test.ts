// Events like client-go's recorder writes them: a repeat patches the count of the one written, a
// flood on one object is cut by its token bucket, a standing finding is recorded once (and again
// only after 30 minutes), and a new leader adopts its predecessor's Event instead of repeating it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeApi } from '../../../src/model/kube-api.ts';
import type { TransportResponse, WritableTransport } from '../../../src/model/live.ts';
import { OperatorMetrics } from '../../../src/operator/metrics.ts';
import { BURST, EventRecorder, GLOBAL_BURST, GLOBAL_REFILL_MS, REFILL_MS, REFRESH_MS, StandingEvents, type EventSpec } from '../../../src/operator/recorder.ts';

/** Records each request and answers as the API would for Events: 404 to a read of one never
 *  created, 201 to a create, 200 to a patch. Only the requests are asserted. */
class EventSink implements WritableTransport {
  readonly sent: string[] = [];
  readonly created = new Map<string, unknown>();
  readonly patches: unknown[] = [];
  async get(path: string): Promise<TransportResponse> {
    return this.request('GET', path);
  }
  async request(method: string, path: string, body?: { json: unknown }): Promise<TransportResponse> {
    this.sent.push(`${method} ${path.replace(/\/events\/.*/, '/events/NAME')}`);
    if (method === 'GET') {
      const found = this.created.get(path);
      return found ? { status: 200, body: JSON.stringify(found) } : { status: 404, body: '{"reason":"NotFound"}' };
    }
    if (method === 'POST') {
      const json = body!.json as { metadata: { name: string } };
      this.created.set(`${path}/${json.metadata.name}`, json);
      return { status: 201, body: JSON.stringify(json) };
    }
    this.patches.push(body?.json);
    return { status: 200, body: '{}' };
  }
}

const warning = (message: string, name = 'data-pg-0'): EventSpec => ({ object: { kind: 'PersistentVolumeClaim', namespace: 'db', name }, type: 'Warning', reason: 'auto-expand-blocked', message });

function recorder(sink: EventSink, clock: { now: number }, identity = 'op-a'): EventRecorder {
  return new EventRecorder(new KubeApi(sink), identity, new OperatorMetrics(), () => undefined, () => clock.now);
}

describe('event recorder', () => {
  it('writes an event once and patches its count on a repeat', async () => {
    const sink = new EventSink();
    const r = recorder(sink, { now: 0 });
    await r.record(warning('full'));
    await r.record(warning('full'));
    assert.deepEqual(sink.sent, ['GET /api/v1/namespaces/db/events/NAME', 'POST /api/v1/namespaces/db/events', 'PATCH /api/v1/namespaces/db/events/NAME']);
  });

  it('keeps one Event per object and reason: a new message patches it, with its count', async () => {
    const sink = new EventSink();
    const r = recorder(sink, { now: 0 });
    await r.record(warning('stuck for 1m'));
    await r.record(warning('stuck for 2m'));
    await r.record({ ...warning('stuck for 2m'), reason: 'multi-attach' });
    assert.deepEqual(sink.sent.filter((s) => !s.startsWith('GET')), ['POST /api/v1/namespaces/db/events', 'PATCH /api/v1/namespaces/db/events/NAME', 'POST /api/v1/namespaces/db/events']);
    assert.deepEqual(sink.patches.at(-1), { count: 2, lastTimestamp: '1970-01-01T00:00:00Z', message: 'stuck for 2m' });
  });

  it('gives an object made again under the same name (another uid) Events of its own, involving its uid', async () => {
    const sink = new EventSink();
    const r = recorder(sink, { now: 0 });
    const of = (uid: string): EventSpec => ({ ...warning('full'), object: { ...warning('full').object, uid } });
    await r.record(of('uid-1'));
    await r.record(of('uid-2'));
    assert.deepEqual(sink.sent.filter((s) => !s.startsWith('GET')), ['POST /api/v1/namespaces/db/events', 'POST /api/v1/namespaces/db/events'], 'no count patched onto the old object\'s Event');
    const created = [...sink.created.entries()];
    assert.notEqual(created[0]![0], created[1]![0], 'two Event names');
    assert.deepEqual(created.map(([, e]) => (e as { involvedObject: { uid: string } }).involvedObject.uid), ['uid-1', 'uid-2']);
  });

  it('cuts a flood on one object after a burst of 25, and lets one more through every 5 minutes', async () => {
    const sink = new EventSink();
    const clock = { now: 0 };
    const r = recorder(sink, clock);
    const writes = () => sink.sent.filter((s) => !s.startsWith('GET')).length;
    for (let i = 0; i < 40; i++) await r.record(warning(`message ${i}`));
    assert.equal(writes(), BURST);
    await r.record(warning('another object', 'data-pg-1'));
    assert.equal(writes(), BURST + 1, 'other objects are not held back');
    clock.now += REFILL_MS;
    await r.record(warning('after the refill'));
    assert.equal(writes(), BURST + 2);
  });

  it('holds all objects together to a burst of 100 and then one a second', async () => {
    const sink = new EventSink();
    const clock = { now: 0 };
    const r = recorder(sink, clock);
    for (let i = 0; i < 150; i++) await r.record(warning('full', `data-${i}`));
    assert.equal(sink.sent.filter((s) => s.startsWith('POST')).length, GLOBAL_BURST);
    clock.now += 10 * GLOBAL_REFILL_MS;
    for (let i = 150; i < 200; i++) await r.record(warning('full', `data-${i}`));
    assert.equal(sink.sent.filter((s) => s.startsWith('POST')).length, GLOBAL_BURST + 10);
  });

  it('records a standing finding when it appears, refreshes it after 30 minutes, and again when it returns', async () => {
    const sink = new EventSink();
    const clock = { now: 0 };
    const standing = new StandingEvents(recorder(sink, clock), () => clock.now);
    for (let i = 0; i < 10; i++) await standing.sync([warning('full')]);
    assert.equal(sink.sent.filter((s) => !s.startsWith('GET')).length, 1);
    clock.now += REFRESH_MS;
    await standing.sync([warning('full')]);
    assert.deepEqual(sink.sent.filter((s) => !s.startsWith('GET')).map((s) => s.split(' ')[0]), ['POST', 'PATCH']);
    await standing.sync([]);
    await standing.sync([warning('full')]);
    assert.equal(sink.sent.filter((s) => !s.startsWith('GET')).length, 3);
  });

  it('a new leader adopts the Event its predecessor wrote for a standing finding, though its message moved on', async () => {
    const sink = new EventSink();
    await new StandingEvents(recorder(sink, { now: 0 }, 'op-a'), () => 0).sync([warning('stuck for 30m')]);
    await new StandingEvents(recorder(sink, { now: 1 }, 'op-b'), () => 1).sync([warning('stuck for 31m')]);
    assert.equal(sink.sent.filter((s) => s.startsWith('POST') || s.startsWith('PATCH')).length, 1);
  });

  it('does not churn a standing finding whose message changes every evaluation (elapsed times)', async () => {
    const sink = new EventSink();
    const clock = { now: 0 };
    const standing = new StandingEvents(recorder(sink, clock), () => clock.now);
    for (let minute = 0; minute < 30; minute++, clock.now += 60_000) await standing.sync([warning(`stuck for ${minute}m`)]);
    assert.equal(sink.sent.filter((s) => !s.startsWith('GET')).length, 1, 'one Event in 30 minutes, not 30');
  });

  it('spends the global budget on new findings before refreshing standing ones', async () => {
    const sink = new EventSink();
    const clock = { now: 0 };
    const standing = new StandingEvents(recorder(sink, clock), () => clock.now);
    const old = Array.from({ length: GLOBAL_BURST }, (_, i) => warning('full', `old-${i}`));
    await standing.sync(old);
    clock.now += REFRESH_MS;
    await standing.sync([...old, warning('new and critical', 'data-new')]);
    assert.ok([...sink.created.keys()].some((k) => k.includes('/events/data-new.')), 'the new finding got its Event before any refresh');
  });
});
