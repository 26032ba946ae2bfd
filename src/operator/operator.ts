// `stsvol operator`: the cluster model kept current by one watch per kind, the checks run again
// whenever it changed (and every half minute, since some findings are about time passing), usage
// sampled on an interval, and the leader alone acting on what comes out: Events, expansions,
// template syncs, attachment cleanup. Every replica serves metrics and health.

import { KubeApi } from '../model/kube-api.ts';
import { runChecks } from '../checks/index.ts';
import type { Finding } from '../checks/finding.ts';
import { ClusterModel } from '../model/cluster-model.ts';
import { KINDS } from '../model/kinds.ts';
import type { TransportResponse, WritableTransport } from '../model/live.ts';
import { ObjectStore } from '../model/store.ts';
import { AutoExpander, type ClaimVerdict } from './expander.ts';
import { AttachmentJanitor } from './janitor.ts';
import { LeaderElector } from './leader.ts';
import type { Logger } from './log.ts';
import { OperatorMetrics } from './metrics.ts';
import { EventRecorder, StandingEvents, type EventSpec } from './recorder.ts';
import { Reflector, type WatchFn } from './reflector.ts';
import { startServer } from './server.ts';
import { sleep } from './sleep.ts';
import { TemplateSyncer } from './template-sync.ts';
import { kubeletSource, prometheusSource, type UsageSource } from './usage.ts';

export interface OperatorOptions {
  identity: string;
  /** Where the Lease lives. */
  namespace: string;
  leaseName: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  host: string;
  port: number;
  events: boolean;
  autoExpand: boolean;
  templateSync: boolean;
  janitor: boolean;
  janitorDryRun: boolean;
  usageSource: 'kubelet' | 'prometheus' | 'none';
  prometheusUrl?: string;
  usageIntervalMs: number;
  resyncMs: number;
}

/** What the operator shares with a view served beside it (the dashboard): its store, kept current
 *  by its watches, and the usage its expander sampled. Read-only. */
export interface SharedModel {
  store: ObjectStore;
  synced(): boolean;
  usage?: AutoExpander;
  api: KubeApi;
}

export interface OperatorDeps {
  transport: WritableTransport;
  /** Serves a view of the shared model until the signal (stsvol operator --dashboard-listen). */
  serve?: (shared: SharedModel, signal: AbortSignal) => Promise<unknown>;
  /** --request-timeout, which also bounds each whole list (0: none). */
  requestTimeoutMs: number;
  watch: WatchFn;
  log: Logger;
  signal: AbortSignal;
}

/** Findings are re-evaluated at least this often, changed model or not (grace periods pass). */
const EVALUATE_AT_LEAST_EVERY_MS = 30_000;
/** And at most this often, however fast the cluster changes. */
const EVALUATE_AT_MOST_EVERY_MS = 2_000;

export async function runOperator(o: OperatorOptions, d: OperatorDeps): Promise<void> {
  const metrics = new OperatorMetrics();
  const transport = countingTransport(d.transport, metrics);
  // Every request ends at shutdown: a request or a watch that gets no answer must not hold SIGTERM.
  const api = new KubeApi(transport, { signal: d.signal, timeoutMs: d.requestTimeoutMs });
  const store = new ObjectStore();
  // Through the counting transport, so the kubelet reads show in stsvol_api_requests_total.
  const usage: UsageSource | undefined = o.usageSource === 'kubelet' ? kubeletSource(transport) : o.usageSource === 'prometheus' ? prometheusSource(o.prometheusUrl!) : undefined;
  const watch: WatchFn = (path, query, onEvent, onDone, signal) => {
    metrics.apiRequests.inc({ verb: 'watch', resource: resourceOf(path), code: '' });
    d.watch(path, query, onEvent, onDone, signal);
  };
  const reflectors = KINDS.map((info) => new Reflector(info, {
    api, watch, store, log: d.log, resyncMs: o.resyncMs,
    onRestart: (kind, reason) => metrics.watchRestarts.inc({ kind, reason }),
  }));
  const synced = () => reflectors.every((r) => r.synced);
  let lastTurn = Date.now();
  const server = await startServer(o.host, o.port, metrics.registry, {
    live: () => Date.now() - lastTurn < 5 * EVALUATE_AT_LEAST_EVERY_MS,
    ready: synced,
  });
  d.log('info', 'operator started', { identity: o.identity, port: (server.address() as { port: number }).port, features: { events: o.events, autoExpand: o.autoExpand, templateSync: o.templateSync, janitor: o.janitor, janitorDryRun: o.janitorDryRun, usage: o.usageSource } });

  // Its own client without retries, whose requests end at the renew deadline: a renewal retried for
  // half a minute is worth nothing once the deadline passed; the next round tries again.
  const elector = new LeaderElector((signal) => new KubeApi(transport, { retry: { attempts: 1, firstDelayMs: 0, maxDelayMs: 0 }, signal: AbortSignal.any([signal, d.signal]) }), { namespace: o.namespace, name: o.leaseName, identity: o.identity, leaseDurationMs: o.leaseDurationMs, renewDeadlineMs: o.renewDeadlineMs, retryPeriodMs: o.retryPeriodMs }, d.log, (leading) => {
    metrics.leader.set(leading ? 1 : 0);
    if (!leading) syncer.leadershipLost();
  });
  const isLeader = () => elector.isLeader();
  const recorder = new EventRecorder(api, o.identity, metrics, d.log);
  const record = (e: EventSpec) => (o.events && isLeader() ? recorder.record(e) : Promise.resolve());
  const standing = new StandingEvents(recorder);
  const expander = usage ? new AutoExpander({ api, metrics, log: d.log, source: usage, isLeader, record }) : undefined;
  const syncer = new TemplateSyncer({ api, log: d.log, metrics, record, isLeader, signal: d.signal });
  const janitor = new AttachmentJanitor({ api, log: d.log, metrics, record, isLeader, dryRun: o.janitorDryRun });

  let evaluatedAt = 0;
  let evaluatedVersion = -1;
  let sampled = false;
  const model = () => new ClusterModel(store.snapshot(), Date.now());

  async function evaluate(): Promise<void> {
    const m = model();
    const { findings } = runChecks(m);
    const verdicts = o.autoExpand && expander ? await expander.reconcile(m) : [];
    const all = [...findings, ...refusalFindings(verdicts, findings)];
    metrics.findings.reset();
    for (const f of all) metrics.findings.inc({ check: f.check, severity: f.severity, namespace: f.object.namespace ?? '', workload: f.workload.name });
    metrics.lastEvaluation.set(Date.now() / 1000);
    if (o.events && isLeader()) await standing.sync(all.map((f) => eventOfFinding(m, f)));
    if (o.templateSync) syncer.reconcile(m);
    if (o.janitor) await janitor.reconcile(m);
  }

  // Usage is read in a loop of its own: slow kubelets delay the next sample, never the checks or
  // the liveness of the process.
  async function sampleUsage(source: AutoExpander): Promise<void> {
    while (!d.signal.aborted) {
      if (synced()) {
        await source.sample(model(), Date.now()).catch((err: unknown) => d.log('warn', 'usage not read', { error: (err as Error).message }));
        sampled = true;
      }
      await sleep(synced() ? o.usageIntervalMs : 500, d.signal);
    }
  }

  async function evaluateWhenDue(): Promise<void> {
    while (!d.signal.aborted) {
      lastTurn = Date.now();
      const due = store.version !== evaluatedVersion || sampled || Date.now() - evaluatedAt >= EVALUATE_AT_LEAST_EVERY_MS;
      if (synced() && due && Date.now() - evaluatedAt >= EVALUATE_AT_MOST_EVERY_MS) {
        evaluatedVersion = store.version;
        evaluatedAt = Date.now();
        sampled = false;
        await evaluate().catch((err: unknown) => d.log('error', 'evaluation failed', { error: (err as Error).stack ?? String(err) }));
      }
      await sleep(500, d.signal);
    }
  }

  const loops = [...reflectors.map((r) => r.run(d.signal)), elector.run(d.signal), evaluateWhenDue(), ...(expander ? [sampleUsage(expander)] : [])];
  if (d.serve) loops.push(d.serve({ store, synced, api, ...(expander ? { usage: expander } : {}) }, d.signal).then(() => undefined));
  await Promise.all(loops);
  await new Promise((resolve) => server.close(resolve));
  d.log('info', 'operator stopped', { identity: o.identity });
}

/** With the object's uid: a claim deleted and made again under the same name is another object,
 *  whose Events start anew instead of counting on the old one's. */
function eventOfFinding(m: ClusterModel, f: Finding): EventSpec {
  const uid = m.uidOf(f.object);
  return { object: { ...f.object, ...(uid ? { uid } : {}) }, type: f.severity === 'info' ? 'Normal' : 'Warning', reason: f.check, message: f.message };
}

/** What the operator meets when it acts and doctor cannot see from the objects alone (a quota that
 *  refuses, a claim without usage numbers) joins doctor's findings under the same check. */
function refusalFindings(verdicts: ClaimVerdict[], findings: Finding[]): Finding[] {
  const already = new Set(findings.filter((f) => f.check === 'auto-expand-blocked').map((f) => `${f.object.namespace}/${f.object.name}`));
  const extra: Finding[] = [];
  for (const v of verdicts) {
    const why = v.decision?.action === 'refuse' ? v.decision.reason : v.problem;
    const ref = { kind: 'PersistentVolumeClaim', namespace: v.claim.metadata.namespace, name: v.claim.metadata.name };
    if (!why || already.has(`${ref.namespace}/${ref.name}`)) continue;
    extra.push({
      check: 'auto-expand-blocked', severity: 'warning', object: ref, workload: ref, related: [], evidence: [],
      message: `${ref.name} opted in to auto-expansion, but ${why}`,
      remediation: [{ text: 'Fix the cause named above; the operator tries again on its next evaluation.' }],
    });
  }
  return extra;
}

/** "pods", "nodes/proxy", "persistentvolumeclaims": the resource of an API path, for the metric. */
export function resourceOf(path: string): string {
  const parts = path.split('?')[0]!.split('/').filter(Boolean);
  const rest = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
  const named = rest[0] === 'namespaces' && rest.length > 2 ? rest.slice(2) : rest;
  return named.length >= 3 ? `${named[0]}/${named[2]}` : (named[0] ?? '');
}

function countingTransport(t: WritableTransport, metrics: OperatorMetrics): WritableTransport {
  const count = (method: string, path: string, r: TransportResponse) => {
    metrics.apiRequests.inc({ verb: method.toLowerCase(), resource: resourceOf(path), code: String(r.status) });
    return r;
  };
  return {
    get: async (path) => count('GET', path, await t.get(path)),
    request: async (method, path, body, options) => count(method, path, await t.request(method, path, body, options)),
  };
}
