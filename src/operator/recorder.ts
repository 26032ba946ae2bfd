// Kubernetes Events for findings and actions, written like client-go's event recorder writes them
// (tools/record): the same event again patches the count and last time of the one already written
// instead of adding another, and a token bucket per object (burst 25, one more every 5 minutes)
// drops what would flood an object's events. Findings are states, not happenings: a finding is
// recorded when it appears and refreshed at most every 30 minutes while it stands (the heartbeat
// of events.k8s.io series), so `kubectl describe` shows it without a stream of repeats.
//
// An Event is one per object and reason (the check id): its message carries elapsed times ("stuck
// for 12m") that change every evaluation, so it is patched with the count, never part of the key.
// Keyed on the message, one stuck pod made an Event a minute, a new leader could not find them by
// name, and standing findings drained the budget meant for new ones.

import { createHash } from 'node:crypto';
import { ApiError, type KubeApi } from '../model/kube-api.ts';
import type { ObjectRef } from '../model/types.ts';
import type { Logger } from './log.ts';
import type { OperatorMetrics } from './metrics.ts';

export const BURST = 25;
export const REFILL_MS = 5 * 60 * 1000;
/** And for all objects together: a cluster with ten thousand findings gets its Events over
 *  minutes, at most one a second after a burst, instead of ten thousand writes at once. */
export const GLOBAL_BURST = 100;
export const GLOBAL_REFILL_MS = 1000;
export const REFRESH_MS = 30 * 60 * 1000;
/** The API server refuses longer messages. */
const MESSAGE_LIMIT = 1024;
/** Events of cluster-scoped objects go where kubectl looks for them. */
const CLUSTER_EVENTS_NAMESPACE = 'default';
const COMPONENT = 'stsvol-operator';

export interface EventSpec {
  object: ObjectRef & { uid?: string; apiVersion?: string };
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

interface Written {
  name: string;
  namespace: string;
  count: number;
  lastAt: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class EventRecorder {
  private readonly written = new Map<string, Written>();
  private readonly buckets = new Map<string, Bucket>();
  private readonly api: KubeApi;
  private readonly identity: string;
  private readonly metrics: OperatorMetrics;
  private readonly log: Logger;
  private readonly now: () => number;

  constructor(api: KubeApi, identity: string, metrics: OperatorMetrics, log: Logger, now: () => number = Date.now) {
    this.api = api;
    this.identity = identity;
    this.metrics = metrics;
    this.log = log;
    this.now = now;
  }

  /** Records an event now (subject to the object's rate limit). With `adopt`, an identical Event
   *  already in the cluster (written by the previous leader) is taken as recorded, not repeated. */
  async record(e: EventSpec, o: { adopt?: boolean } = {}): Promise<void> {
    const objectKey = `${e.object.kind}/${e.object.namespace ?? ''}/${e.object.name}`;
    if (!this.take(objectKey, BURST, REFILL_MS) || !this.take('', GLOBAL_BURST, GLOBAL_REFILL_MS)) {
      this.metrics.events.inc({ result: 'throttled' });
      return;
    }
    // The uid in the key: an object of the same name made again gets Events of its own.
    const key = `${objectKey}/${e.object.uid ?? ''}/${e.type}/${e.reason}`;
    const known = this.written.get(key);
    const now = this.timestamp();
    const message = e.message.slice(0, MESSAGE_LIMIT);
    try {
      if (known) {
        known.count++;
        known.lastAt = this.now();
        await this.api.mergePatch('Event', known.namespace, known.name, { count: known.count, lastTimestamp: now, message });
        this.metrics.events.inc({ result: 'updated' });
        return;
      }
      const namespace = e.object.namespace ?? CLUSTER_EVENTS_NAMESPACE;
      // Named by what it says, so every replica names the same event alike and a new leader finds
      // its predecessor's instead of writing a second one.
      const name = `${e.object.name.slice(0, 200)}.${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
      if (await this.adopted(key, namespace, name, message, o.adopt ?? false)) return;
      await this.api.create('Event', namespace, {
        apiVersion: 'v1', kind: 'Event', metadata: { name, namespace },
        involvedObject: { kind: e.object.kind, name: e.object.name, ...(e.object.namespace ? { namespace: e.object.namespace } : {}), ...(e.object.uid ? { uid: e.object.uid } : {}), ...(e.object.apiVersion ? { apiVersion: e.object.apiVersion } : {}) },
        type: e.type, reason: e.reason, message,
        count: 1, firstTimestamp: now, lastTimestamp: now,
        source: { component: COMPONENT }, reportingComponent: `stsvol.io/operator`, reportingInstance: this.identity,
      });
      this.written.set(key, { name, namespace, count: 1, lastAt: this.now() });
      forgetOldest(this.written);
      this.metrics.events.inc({ result: 'created' });
    } catch (err) {
      // An event is worth less than the work it reports on: log and go on.
      if (known) this.written.delete(key);
      this.metrics.events.inc({ result: 'failed' });
      this.log('warn', 'event not written', { reason: e.reason, object: objectKey, error: (err as Error).message });
    }
  }

  /** An Event of this name exists (another replica wrote it): remember it, and with `adopt` stop
   *  there; otherwise it is counted as seen once more, with the message of now. */
  private async adopted(key: string, namespace: string, name: string, message: string, adopt: boolean): Promise<boolean> {
    const existing = await this.api.get('Event', namespace, name).catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 403) return undefined;
      throw err;
    });
    if (!existing) return false;
    const count = typeof existing.count === 'number' ? existing.count : 1;
    this.written.set(key, { name, namespace, count, lastAt: this.now() });
    if (adopt) {
      this.metrics.events.inc({ result: 'adopted' });
      return true;
    }
    this.written.get(key)!.count++;
    await this.api.mergePatch('Event', namespace, name, { count: count + 1, lastTimestamp: this.timestamp(), message });
    this.metrics.events.inc({ result: 'updated' });
    return true;
  }

  /** Now, to the second, as core/v1 Events carry their times. */
  private timestamp(): string {
    return new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** A token from the bucket of `key` ('' is the one of all objects). */
  private take(key: string, burst: number, refillMs: number): boolean {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) / refillMs);
    bucket.at = now;
    // Re-inserted, so the least recently used bucket is the one forgotten first.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    forgetOldest(this.buckets);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

/** Memory stays bounded however long the operator runs: the oldest entries go first. */
const REMEMBERED = 10_000;

function forgetOldest(map: Map<string, unknown>): void {
  if (map.size > REMEMBERED) map.delete(map.keys().next().value!);
}

/** Turns the current set of findings (or any standing condition) into events: on appearance, and
 *  again every REFRESH_MS while it stands; forgotten when it goes, so a return is news again. */
export class StandingEvents {
  private readonly lastRecorded = new Map<string, number>();
  private readonly recorder: EventRecorder;
  private readonly now: () => number;

  constructor(recorder: EventRecorder, now: () => number = Date.now) {
    this.recorder = recorder;
    this.now = now;
  }

  /** `current` worst first; findings not yet recorded go before refreshes of standing ones, so the
   *  global budget goes to news. */
  async sync(current: EventSpec[]): Promise<void> {
    const keyed = current.map((e) => ({ e, key: `${e.object.kind}/${e.object.namespace ?? ''}/${e.object.name}/${e.object.uid ?? ''}/${e.reason}` }));
    const keys = new Set(keyed.map((k) => k.key));
    const fresh = keyed.filter((k) => !this.lastRecorded.has(k.key));
    const due = keyed.filter((k) => this.lastRecorded.has(k.key) && this.now() - this.lastRecorded.get(k.key)! >= REFRESH_MS);
    for (const { e, key } of [...fresh, ...due]) {
      if (this.lastRecorded.has(key) && this.now() - this.lastRecorded.get(key)! < REFRESH_MS) continue; // the same finding twice in one sync
      this.lastRecorded.set(key, this.now());
      await this.recorder.record(e, { adopt: true });
    }
    for (const key of [...this.lastRecorded.keys()]) if (!keys.has(key)) this.lastRecorded.delete(key);
  }
}
