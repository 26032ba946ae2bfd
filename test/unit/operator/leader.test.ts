// Leadership that cannot overlap: timing on a monotonic clock, each round's requests ended at the
// renew deadline. The Lease is replayed by a store that answers as the API does (409 on a stale
// resourceVersion); it decides nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeApi } from '../../../src/model/kube-api.ts';
import type { TransportResponse, WritableTransport } from '../../../src/model/live.ts';
import { LeaderElector } from '../../../src/operator/leader.ts';

class LeaseStore implements WritableTransport {
  lease: { metadata: Record<string, unknown>; spec: Record<string, unknown> } | undefined;
  version = 0;
  /** While set, every request waits until its signal ends it (an API server that does not answer). */
  silent = false;
  /** Requests the client ended while they waited. */
  aborted = 0;
  /** Runs while a request is in flight (a slow answer: the test moves the clock meanwhile). */
  inFlight: () => void = () => undefined;
  async get(path: string): Promise<TransportResponse> {
    return this.request('GET', path);
  }
  async request(method: string, _path: string, body?: { json: unknown }, options?: { signal?: AbortSignal }): Promise<TransportResponse> {
    if (this.silent) {
      await new Promise((_, reject) => options?.signal?.addEventListener('abort', () => {
        this.aborted++;
        reject(new Error('aborted'));
      }, { once: true }));
    }
    this.inFlight();
    if (method === 'GET') return this.lease ? { status: 200, body: JSON.stringify(this.lease) } : { status: 404, body: '{"reason":"NotFound"}' };
    const json = body!.json as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
    if (method === 'PUT' && json.metadata.resourceVersion !== String(this.version)) return { status: 409, body: '{"reason":"Conflict"}' };
    this.version++;
    this.lease = { ...json, metadata: { ...json.metadata, resourceVersion: String(this.version) } };
    return { status: 200, body: JSON.stringify(this.lease) };
  }
}

const OPTIONS = { namespace: 'stsvol', name: 'stsvol-operator', identity: 'a', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

function elector(store: LeaseStore, clocks: { mono: number; wall: number }) {
  return new LeaderElector((signal) => new KubeApi(store, { retry: { attempts: 1, firstDelayMs: 0, maxDelayMs: 0 }, signal }), OPTIONS, () => undefined, () => undefined, { now: () => clocks.mono, wall: () => clocks.wall });
}

/** Runs one round of the elector (its loop stops at the abort, during the retry-period sleep, and
 *  hands a held Lease back); says whether it led. */
async function round(e: LeaderElector): Promise<boolean> {
  const stop = new AbortController();
  const running = e.run(stop.signal);
  await new Promise((r) => setTimeout(r, 20));
  const led = e.isLeader();
  stop.abort();
  await running;
  return led;
}

describe('leader election', () => {
  it('leads by the monotonic clock: a wall clock set back does not stretch the renew deadline', async () => {
    const store = new LeaseStore();
    const clocks = { mono: 0, wall: Date.parse('2026-12-04T10:00:00Z') };
    const e = elector(store, clocks);
    const stop = new AbortController();
    const running = e.run(stop.signal);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(e.isLeader(), true);
    clocks.wall -= 60 * 60_000; // NTP steps the wall clock an hour back
    clocks.mono += OPTIONS.renewDeadlineMs;
    assert.equal(e.isLeader(), false, 'the renew deadline passed on the monotonic clock');
    stop.abort();
    await running;
  });

  it('ends a renewal the API server does not answer at the renew deadline, and stops leading', async () => {
    const store = new LeaseStore();
    const clocks = { mono: 0, wall: Date.now() };
    const e = new LeaderElector((signal) => new KubeApi(store, { retry: { attempts: 1, firstDelayMs: 0, maxDelayMs: 0 }, signal }), { ...OPTIONS, renewDeadlineMs: 50, retryPeriodMs: 10 }, () => undefined, () => undefined, { now: () => clocks.mono, wall: () => clocks.wall });
    const stop = new AbortController();
    const running = e.run(stop.signal);
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(e.isLeader(), true);
    store.silent = true;
    const began = Date.now();
    while (e.isLeader() && Date.now() - began < 2000) {
      clocks.mono = Date.now() - began; // the monotonic clock moves with real time here
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.equal(e.isLeader(), false);
    while (store.aborted === 0 && Date.now() - began < 2000) await new Promise((r) => setTimeout(r, 5));
    assert.ok(store.aborted >= 1, 'the hanging renewal was ended by the client, not left open');
    assert.ok(Date.now() - began < 1000, 'ended at its deadline, not held past it');
    stop.abort();
    await running;
  });

  it('a candidate waits a lease duration on its own clock before taking a held Lease', async () => {
    const store = new LeaseStore();
    const clocks = { mono: 0, wall: Date.now() };
    store.lease = { metadata: { name: 'stsvol-operator', resourceVersion: '0' }, spec: { holderIdentity: 'b', leaseDurationSeconds: 15, renewTime: '2020-01-01T00:00:00.000000Z' } };
    const e = elector(store, clocks);
    assert.equal(await round(e), false, 'an old renewTime on the wall clock does not count: it waits');
    assert.equal(store.lease.spec.holderIdentity, 'b');
    clocks.mono += OPTIONS.leaseDurationMs;
    assert.equal(await round(e), true, 'the same record unchanged for a lease duration on its own clock');
    assert.equal(store.lease.spec.leaseTransitions, 1);
  });

  it('a candidate times its wait from when the answer arrived: a slow answer does not shorten it', async () => {
    const store = new LeaseStore();
    const clocks = { mono: 0, wall: Date.now() };
    store.lease = { metadata: { name: 'stsvol-operator', resourceVersion: '0' }, spec: { holderIdentity: 'b', leaseDurationSeconds: 15, renewTime: '2026-12-04T10:00:00.000000Z' } };
    store.inFlight = () => {
      clocks.mono += 10_000; // each answer takes 10 s to arrive
    };
    const e = elector(store, clocks);
    assert.equal(await round(e), false, 'first seen when the answer came, at 10 s');
    store.inFlight = () => undefined;
    clocks.mono = 10_000 + OPTIONS.leaseDurationMs - 1_000;
    assert.equal(await round(e), false, 'a lease duration since the request, but not since the answer');
    clocks.mono = 10_000 + OPTIONS.leaseDurationMs;
    assert.equal(await round(e), true);
  });
});
