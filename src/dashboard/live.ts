// The live dashboard's model, kept current the operator's way: one reflector (list, then watch) per
// kind, so the API's cost is one long request per kind whatever the cluster's size. Journals are
// listed every second (operations move step by step and the page should follow them), volume usage
// read from the kubelets at an interval. A new view is built when anything moved, never more often
// than twice the time the last one took, so a large cluster cannot keep the process busy.

import { KubeApi } from '../model/kube-api.ts';
import { KINDS } from '../model/kinds.ts';
import { ClusterModel } from '../model/cluster-model.ts';
import type { Transport } from '../model/live.ts';
import type { PriceTable } from '../model/pricing.ts';
import { ObjectStore } from '../model/store.ts';
import type { PersistentVolumeClaim } from '../model/types.ts';
import { remember, type UsageSample } from '../plans/autoexpand/forecast.ts';
import { listJournals, type DamagedJournal, type JournalRecord } from '../executor/journal.ts';
import type { Logger } from '../operator/log.ts';
import type { OperatorDeps } from '../operator/operator.ts';
import { Reflector } from '../operator/reflector.ts';
import { sleep } from '../operator/sleep.ts';
import { kubeletSource, type UsageSource } from '../operator/usage.ts';
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

const claimKey = (c: PersistentVolumeClaim) => `${c.metadata.namespace}/${c.metadata.name}`;

/** Usage as the live dashboard reads it: its own samples of the kubelets, an hour's worth. */
class KubeletHistory implements UsageHistory {
  readonly source: string;
  private readonly histories = new Map<string, UsageSample[]>();
  private readonly problems = new Map<string, string>();
  constructor(intervalMs: number) {
    this.source = intervalMs ? `the kubelets, every ${Math.round(intervalMs / 1000)} s since the dashboard started` : 'not read (--usage-interval 0)';
  }

  record(reading: Awaited<ReturnType<UsageSource['read']>>, model: ClusterModel): void {
    for (const [key, sample] of reading.samples) this.histories.set(key, remember(this.histories.get(key) ?? [], sample));
    this.problems.clear();
    for (const claim of model.claims.values()) {
      const node = [...model.podsUsing(claim)].map((p) => p.spec?.nodeName).find((n) => n && reading.failedNodes.has(n));
      if (node) this.problems.set(claimKey(claim), `the kubelet of ${node} did not answer: ${reading.failedNodes.get(node)}`);
    }
  }

  samplesOf(claim: PersistentVolumeClaim): readonly UsageSample[] {
    return this.histories.get(claimKey(claim)) ?? [];
  }

  whyNone(claim: PersistentVolumeClaim): string | undefined {
    return this.problems.get(claimKey(claim)) ?? (this.source.startsWith('not read') ? this.source : 'no reading yet: only a mounted volume has usage, and it is read every interval');
  }
}

export class LiveDashboard implements ViewSource {
  private view?: DashboardView;
  private readonly listeners = new Set<(version: number) => void>();
  private readonly store = new ObjectStore();
  private readonly api: KubeApi;
  private readonly reflectors: Reflector[];
  private readonly usage: KubeletHistory;
  private journals: (JournalRecord | DamagedJournal)[] = [];
  private dirty = true;
  private version = 0;
  private readonly o: LiveOptions;
  private readonly d: LiveDeps;

  constructor(o: LiveOptions, d: LiveDeps) {
    this.o = o;
    this.d = d;
    this.api = new KubeApi(d.transport, { signal: d.signal, timeoutMs: d.requestTimeoutMs });
    this.usage = new KubeletHistory(o.usageIntervalMs);
    this.reflectors = KINDS.map((info) => new Reflector(info, { api: this.api, watch: d.watch, store: this.store, log: d.log, resyncMs: o.resyncMs, onRestart: () => {} }));
  }

  current(): DashboardView {
    if (!this.view) throw new Error('the live dashboard has not synced yet');
    return this.view;
  }

  subscribe(listener: (version: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs until the signal; `ready` resolves once every kind was listed and the first view built. */
  run(ready: () => void): Promise<unknown> {
    const loops = [...this.reflectors.map((r) => r.run(this.d.signal)), this.pollJournals(), this.rebuildWhenMoved(ready)];
    if (this.o.usageIntervalMs) loops.push(this.sampleUsage(kubeletSource(this.d.transport)));
    return Promise.all(loops);
  }

  private synced(): boolean {
    return this.reflectors.every((r) => r.synced);
  }

  private model(): ClusterModel {
    return new ClusterModel(this.store.snapshot(), Date.now());
  }

  private async pollJournals(): Promise<void> {
    let seen = '';
    while (!this.d.signal.aborted) {
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

  private async sampleUsage(source: UsageSource): Promise<void> {
    while (!this.d.signal.aborted) {
      if (this.synced()) {
        const model = this.model();
        try {
          this.usage.record(await source.read(model, Date.now()), model);
          this.dirty = true;
        } catch (err) {
          if (!this.d.signal.aborted) this.d.log('warn', 'usage not read', { error: (err as Error).message });
        }
      }
      await sleep(this.synced() ? this.o.usageIntervalMs : 500, this.d.signal);
    }
  }

  private async rebuildWhenMoved(ready: () => void): Promise<void> {
    let builtAt = -1;
    let pause = MIN_REBUILD_MS;
    while (!this.d.signal.aborted) {
      if (this.synced() && (this.dirty || this.store.version !== builtAt)) {
        const started = Date.now();
        builtAt = this.store.version;
        this.dirty = false;
        this.build();
        pause = Math.max(MIN_REBUILD_MS, 2 * (Date.now() - started));
        if (this.version === 1) ready();
      }
      await sleep(pause, this.d.signal);
    }
  }

  private build(): void {
    const model = this.model();
    this.view = new DashboardView({
      model, source: 'live', sourceName: this.o.contextName, ...(this.o.namespace ? { namespace: this.o.namespace } : {}),
      notices: model.snapshot.notices.map((n) => n.message), version: ++this.version, usage: this.usage, journals: this.journals, ...(this.o.prices ? { prices: this.o.prices } : {}),
    });
    for (const listener of this.listeners) listener(this.version);
  }
}
