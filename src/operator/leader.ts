// Leader election on a coordination.k8s.io Lease, with client-go's rules: a holder renews every
// retry period; a candidate takes the Lease only after it has seen the same record unchanged for a
// whole lease duration, timed by its own clock (so skewed clocks between replicas do not matter);
// every write carries the resourceVersion read, so two candidates cannot both win. A leader that
// cannot renew within the renew deadline stops acting before anyone else may start.

import { ApiError, type KubeApi, type KubeObject } from '../model/kube-api.ts';
import type { Logger } from './log.ts';
import { sleep } from './sleep.ts';

export interface LeaseOptions {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

type Lease = KubeObject & { spec?: LeaseSpec };

function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** A monotonic clock: a wall clock stepped back by NTP (or forward) must not stretch a leader's
 *  belief that it still leads, nor shorten a candidate's wait. */
const monotonic = () => performance.now();

export class LeaderElector {
  private leading = false;
  private observed = '';
  private observedAt = 0;
  private lastRenew = 0;
  private readonly o: LeaseOptions;
  private readonly api: (signal: AbortSignal) => KubeApi;
  private readonly log: Logger;
  private readonly onChange: (leading: boolean) => void;
  private readonly now: () => number;
  private readonly wall: () => number;

  /** `api` makes the client of one round, ending at `signal`: each round's requests end before the
   *  renew deadline, so a renewal that comes back late is never taken for one that came in time. */
  constructor(api: (signal: AbortSignal) => KubeApi, o: LeaseOptions, log: Logger, onChange: (leading: boolean) => void, clocks: { now?: () => number; wall?: () => number } = {}) {
    this.api = api;
    this.o = o;
    this.log = log;
    this.onChange = onChange;
    this.now = clocks.now ?? monotonic;
    this.wall = clocks.wall ?? Date.now;
  }

  /** True only while the Lease is ours and was renewed within the renew deadline. */
  isLeader(): boolean {
    return this.leading && this.now() - this.lastRenew < this.o.renewDeadlineMs;
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      // The renewal counts from when it was sent: an answer that comes late must not stretch the
      // time this replica believes it leads past what the others see.
      const sent = this.now();
      // A leader's round ends at its renew deadline; a candidate's within one renew deadline too.
      const budget = this.leading ? Math.max(1, this.lastRenew + this.o.renewDeadlineMs - sent) : this.o.renewDeadlineMs;
      try {
        const ours = await this.tryAcquireOrRenew(this.api(AbortSignal.any([signal, AbortSignal.timeout(budget)])));
        if (ours) this.lastRenew = sent;
        // Another holder seen: step down at once, not at the renew deadline.
        this.set(ours);
      } catch (err) {
        this.log('warn', 'lease update failed', { lease: `${this.o.namespace}/${this.o.name}`, error: (err as Error).message });
        this.set(this.isLeader());
      }
      await sleep(this.o.retryPeriodMs, signal);
    }
    await this.release();
  }

  private set(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    this.log('info', leading ? 'became leader' : 'lost leadership', { lease: `${this.o.namespace}/${this.o.name}`, identity: this.o.identity });
    this.onChange(leading);
  }

  private async tryAcquireOrRenew(api: KubeApi): Promise<boolean> {
    const lease = (await api.get('Lease', this.o.namespace, this.o.name)) as Lease | undefined;
    // A record is observed when its answer arrives, not when it was asked for: timing the wait from
    // the request would shorten it by a slow answer (client-go's observedTime is set after the get).
    const seenAt = this.now();
    const wall = this.wall();
    if (!lease) {
      await api.create('Lease', this.o.namespace, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.o.name, namespace: this.o.namespace }, spec: this.spec(wall, wall, 0) });
      return true;
    }
    const spec = lease.spec ?? {};
    const record = JSON.stringify([spec.holderIdentity, spec.renewTime, spec.leaseDurationSeconds]);
    if (record !== this.observed) {
      this.observed = record;
      this.observedAt = seenAt;
    }
    const held = Boolean(spec.holderIdentity) && spec.holderIdentity !== this.o.identity;
    const durationMs = (spec.leaseDurationSeconds ?? this.o.leaseDurationMs / 1000) * 1000;
    if (held && this.observedAt + durationMs > seenAt) return false;
    const mine = spec.holderIdentity === this.o.identity;
    const next = this.spec(wall, mine && spec.acquireTime ? Date.parse(spec.acquireTime) : wall, (spec.leaseTransitions ?? 0) + (mine ? 0 : 1));
    try {
      await api.replace('Lease', this.o.namespace, this.o.name, { ...lease, spec: next });
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) return false; // another candidate wrote first
      throw err;
    }
  }

  private spec(now: number, acquired: number, transitions: number): LeaseSpec {
    return {
      holderIdentity: this.o.identity, leaseDurationSeconds: Math.ceil(this.o.leaseDurationMs / 1000),
      acquireTime: microTime(acquired), renewTime: microTime(now), leaseTransitions: transitions,
    };
  }

  /** On a clean stop, hand the Lease over at once instead of after its duration. */
  private async release(): Promise<void> {
    if (!this.leading) return;
    this.set(false);
    try {
      const api = this.api(AbortSignal.timeout(this.o.renewDeadlineMs));
      const lease = (await api.get('Lease', this.o.namespace, this.o.name)) as Lease | undefined;
      if (lease?.spec?.holderIdentity !== this.o.identity) return;
      await api.replace('Lease', this.o.namespace, this.o.name, { ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(this.wall()) } });
    } catch (err) {
      this.log('warn', 'could not release the lease', { error: (err as Error).message });
    }
  }
}
