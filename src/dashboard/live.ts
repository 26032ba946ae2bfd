// The live dashboard's model, kept current the operator's way: one reflector (list, then watch) per
// kind, so the API's cost is one long request per kind whatever the cluster's size; inside the
// operator, the operator's own store (no second set of watches). Journals are listed every second
// (operations move step by step and the page should follow them), volume usage read from the
// kubelets at an interval (or taken from the operator's expander). A new view is decided when
// anything moved and someone is looking (a page open on the event stream, or a request in the last
// minute), never more often than twice the time the last one took: a large cluster cannot keep the
// process busy, and an operator nobody looks at pays nothing for it.

import { KubeApi } from '../model/kube-api.ts';
import { KINDS } from '../model/kinds.ts';
import { ClusterModel } from '../model/cluster-model.ts';
import type { Transport } from '../model/live.ts';
import type { PriceTable } from '../model/pricing.ts';
import { ObjectStore } from '../model/store.ts';
import type { PersistentVolumeClaim } from '../model/types.ts';
import { remember, type UsageSample } from '../plans/autoexpand/forecast.ts';
import { listJournals, type DamagedJournal, type JournalRecord } from '../executor/journal.ts';
import type { OperatorDeps, SharedModel } from '../operator/operator.ts';
import { Reflector } from '../operator/reflector.ts';
import { sleep } from '../operator/sleep.ts';
import { kubeletSource, whyNoStats, type UsageReading, type UsageSource } from '../operator/usage.ts';
import type { ViewSource } from './server.ts';
import type { UsageHistory } from './usage.ts';
import { DashboardView } from './view.ts';

export interface LiveOptions {
  contextName: string;
  namespace?: string;
  /** 0: volume usage is not read. */
  usageIntervalMs: number;
  resyncMs: number;
  prices?: PriceTable;
}

/** As the operator's, read-only: the dashboard never writes. */
export type LiveDeps = Omit<OperatorDeps, 'transport'> & { transport: Transport };

const JOURNAL_POLL_MS = 1000;
const MIN_REBUILD_MS = 500;
/** A view is kept current this long after the last request, without a page on the event stream. */
const INTEREST_MS = 60_000;

const claimKey = (c: PersistentVolumeClaim) => `${c.metadata.namespace}/${c.metadata.name}`;

/** Usage as the live dashboard reads it: its own samples of the kubelets, an hour's worth. */
class KubeletHistory implements UsageHistory {
  readonly source: string;
  private readonly histories = new Map<string, UsageSample[]>();
  private lastReading?: UsageReading;
  private readonly off: boolean;
  constructor(intervalMs: number) {
    this.off = intervalMs === 0;
    this.source = this.off ? 'not read (--usage-interval 0)' : `the kubelets, every ${Math.round(intervalMs / 1000)} s since the dashboard started`;
  }

  record(reading: UsageReading): void {
    for (const [key, sample] of reading.samples) this.histories.set(key, remember(this.histories.get(key) ?? [], sample));
    this.lastReading = reading;
  }

  samplesOf(claim: PersistentVolumeClaim): readonly UsageSample[] {
    return this.histories.get(claimKey(claim)) ?? [];
  }

  whyNone(claim: PersistentVolumeClaim, model: ClusterModel): string {
    if (this.off) return this.source;
    return this.lastReading ? whyNoStats(model, claim, this.lastReading, 'kubelet').reason : 'no reading yet: the kubelets are read every interval';
  }
}

/** Usage inside the operator: what its expander sampled for auto-expansion. */
function expanderHistory(expander: NonNullable<SharedModel['usage']>): UsageHistory {
  return {
    source: "the operator's samples (auto-expansion)",
    samplesOf: (claim) => expander.historyOf(claimKey(claim)),
    whyNone: (claim, model) => expander.whyNoSample(model, claim),
  };
}

export class LiveDashboard implements ViewSource {
  private view?: DashboardView;
  private readonly listeners = new Set<(version: number) => void>();
  private readonly store: ObjectStore;
  private readonly api: KubeApi;
  private readonly reflectors: Reflector[] = [];
  private readonly synced: () => boolean;
  private readonly usage: UsageHistory;
  private readonly sampler?: KubeletHistory;
  private journals: (JournalRecord | DamagedJournal)[] = [];
  private dirty = true;
  private version = 0;
  private builtAt = -1;
  private wantedAt = 0;
  private readonly o: LiveOptions;
  private readonly d: Pick<LiveDeps, 'log' | 'signal'> & Partial<LiveDeps>;

  /** With `shared`, the operator's store and samples; otherwise its own reflectors and kubelet reads. */
  constructor(o: LiveOptions, d: LiveDeps | (Pick<LiveDeps, 'log' | 'signal'> & { shared: SharedModel })) {
    this.o = o;
    this.d = d;
    if ('shared' in d) {
      this.store = d.shared.store;
      this.api = d.shared.api;
      this.synced = d.shared.synced;
      this.usage = d.shared.usage ? expanderHistory(d.shared.usage) : new KubeletHistory(0);
      return;
    }
    this.store = new ObjectStore();
    this.api = new KubeApi(d.transport, { signal: d.signal, timeoutMs: d.requestTimeoutMs });
    this.sampler = new KubeletHistory(o.usageIntervalMs);
    this.usage = this.sampler;
    this.reflectors = KINDS.map((info) => new Reflector(info, { api: this.api, watch: d.watch, store: this.store, log: d.log, resyncMs: o.resyncMs, onRestart: () => {} }));
    this.synced = () => this.reflectors.every((r) => r.synced);
  }

  current(): DashboardView {
    this.wantedAt = Date.now();
    // Nobody was looking, so nothing kept it current: decide it now, once.
    if (!this.view || (this.stale() && !this.listeners.size)) this.build();
    return this.view!;
  }

  ready(): boolean {
    return this.synced();
  }

  private looked(): boolean {
    return this.listeners.size > 0 || Date.now() - this.wantedAt < INTEREST_MS;
  }

  private stale(): boolean {
    return this.dirty || this.store.version !== this.builtAt;
  }

  subscribe(listener: (version: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs until the signal; `ready` is called once every kind was listed and the first view built. */
  run(ready: () => void): Promise<unknown> {
    const loops = [...this.reflectors.map((r) => r.run(this.d.signal)), this.pollJournals(), this.rebuildWhenMoved(ready)];
    if (this.sampler && this.o.usageIntervalMs && this.d.transport) loops.push(this.sampleUsage(this.sampler, kubeletSource(this.d.transport)));
    return Promise.all(loops);
  }

  private model(): ClusterModel {
    return new ClusterModel(this.store.snapshot(), Date.now());
  }

  private async pollJournals(): Promise<void> {
    let seen = '';
    while (!this.d.signal.aborted) {
      // Once there is a view, journals are read only while someone looks at it.
      if (this.view && !this.looked()) {
        await sleep(JOURNAL_POLL_MS, this.d.signal);
        continue;
      }
      try {
        const { records, damaged } = await listJournals(this.api, this.o.namespace);
        const now = [...records.map((r) => `${r.namespace}/${r.name}@${r.resourceVersion}`), ...damaged.map((j) => `${j.namespace}/${j.name}!`)].sort().join(',');
        if (now !== seen) {
          seen = now;
          this.journals = [...records, ...damaged];
          this.dirty = true;
        }
      } catch (err) {
        if (!this.d.signal.aborted) this.d.log('warn', 'journals not read', { error: (err as Error).message });
      }
      await sleep(JOURNAL_POLL_MS, this.d.signal);
    }
  }

  private async sampleUsage(history: KubeletHistory, source: UsageSource): Promise<void> {
    while (!this.d.signal.aborted) {
      if (this.synced()) {
        try {
          history.record(await source.read(this.model(), Date.now()));
          this.dirty = true;
        } catch (err) {
          if (!this.d.signal.aborted) this.d.log('warn', 'usage not read', { error: (err as Error).message });
        }
      }
      await sleep(this.synced() ? this.o.usageIntervalMs : 500, this.d.signal);
    }
  }

  private async rebuildWhenMoved(ready: () => void): Promise<void> {
    let pause = MIN_REBUILD_MS;
    while (!this.d.signal.aborted) {
      if (this.synced() && this.stale() && (this.looked() || !this.view)) {
        const started = Date.now();
        this.build();
        pause = Math.max(MIN_REBUILD_MS, 2 * (Date.now() - started));
        if (this.version === 1) ready();
      }
      await sleep(pause, this.d.signal);
    }
  }

  private build(): void {
    this.builtAt = this.store.version;
    this.dirty = false;
    const model = this.model();
    this.view = new DashboardView({
      model, source: 'live', sourceName: this.o.contextName, ...(this.o.namespace ? { namespace: this.o.namespace } : {}),
      notices: model.snapshot.notices.map((n) => n.message), version: ++this.version, usage: this.usage, journals: this.journals, ...(this.o.prices ? { prices: this.o.prices } : {}),
    });
    for (const listener of this.listeners) listener(this.version);
  }
}
