// stsvol dashboard: the read-only web view (src/dashboard, web/). Live, the model follows the
// cluster through watches and the page through server-sent events; --from serves a dump as it was;
// --export writes one self-contained page and serves nothing.

import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { exportHtml, loadWebAssets } from '../dashboard/assets.ts';
import { LiveDashboard } from '../dashboard/live.ts';
import { isLoopback, serverUrl, startDashboardServer, type ViewSource } from '../dashboard/server.ts';
import { DashboardView } from '../dashboard/view.ts';
import { listJournals } from '../executor/journal.ts';
import { ClusterError, InputError } from '../model/errors.ts';
import { KubeApi, READ_RETRY } from '../model/kube-api.ts';
import { DEFAULT_REQUEST_TIMEOUT_MS, MAX_TIMER_MS } from '../model/request-timeout.ts';
import { parseDuration } from '../model/time.ts';
import { jsonLogger, type Logger } from '../operator/log.ts';
import type { SharedModel } from '../operator/operator.ts';
import { EXIT } from './exit-codes.ts';
import type { IO } from './io.ts';
import { checkClusterFlags, loadModel, requestTimeoutOf, type LoadFlags, type TransportFactory } from './load.ts';
import { checkTarget, writeFileAtomically } from './output-file.ts';
import { priceTable } from './prices.ts';

export interface DashboardFlags extends LoadFlags {
  address: string;
  port: string;
  token?: string;
  export?: string;
  usageInterval: string;
  prices?: string;
}

function portOf(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new InputError(`--port ${text}: expected a port from 0 to 65535 (0: any free port)`);
  return Number(text);
}

function intervalOf(text: string): number {
  const ms = text === '0' ? 0 : parseDuration(text);
  if (ms === undefined || ms < 0 || ms > MAX_TIMER_MS || (ms > 0 && ms < 5000)) throw new InputError(`--usage-interval ${text}: expected 0 (off) or a duration from 5s to 24 days`);
  return ms;
}

/** Checked before anything is read or served. */
function checkFlags(flags: DashboardFlags): { port: number; usageIntervalMs: number; token?: string } {
  checkClusterFlags(flags);
  const port = portOf(flags.port);
  const usageIntervalMs = intervalOf(flags.usageInterval);
  if (flags.token !== undefined && !/^[A-Za-z0-9._~+/=-]{16,256}$/.test(flags.token)) throw new InputError('--token: expected 16 to 256 characters of a bearer token (letters, digits, ._~+/=-)');
  if (flags.export) checkTarget(flags.export, '--export');
  const token = flags.token ?? (isLoopback(flags.address) ? undefined : randomBytes(24).toString('base64url'));
  return { port, usageIntervalMs, ...(token ? { token } : {}) };
}

export async function dashboard(flags: DashboardFlags, io: IO, transports: TransportFactory, signal: AbortSignal): Promise<number> {
  const checked = checkFlags(flags);
  const prices = priceTable(flags.prices);
  const assets = loadWebAssets();
  if (flags.export || flags.from?.length) {
    const view = await staticView(flags, io, transports, prices);
    if (flags.export) {
      await writeFileAtomically(flags.export, [exportHtml(assets, view.exported())], '--export');
      io.stderr.write(`wrote ${flags.export}: one page, no server and no network needed (open it in a browser)\n`);
      return EXIT.OK;
    }
    const fixed: ViewSource = { current: () => view, subscribe: () => () => {} };
    return serve(fixed, assets, flags, checked, io, signal);
  }
  const transport = await transports(flags);
  const kube = transport as { context?: string; watch?: unknown };
  if (typeof kube.watch !== 'function') throw new InputError('a live dashboard needs a kubeconfig (watches); use --from for a dump');
  const live = new LiveDashboard(
    { contextName: kube.context ?? 'the current context', ...(flags.namespace ? { namespace: flags.namespace } : {}), usageIntervalMs: checked.usageIntervalMs, resyncMs: 30 * 60_000, prices },
    {
      transport, requestTimeoutMs: requestTimeoutOf(flags) ?? DEFAULT_REQUEST_TIMEOUT_MS, signal,
      log: (level, msg, fields) => { if (level !== 'info') jsonLogger((line) => io.stderr.write(line))(level, msg, fields); },
      watch: (path, query, onEvent, onDone, sig) => (kube.watch as (...a: unknown[]) => void)(path, query, onEvent, onDone, sig, 15 * 60_000),
    },
  );
  // One request first, so an unreachable server or refused credentials end the command in one line
  // instead of reflectors retrying for ever (/version is readable by any authenticated identity).
  const probe = await new KubeApi(transport, { retry: READ_RETRY, timeoutMs: requestTimeoutOf(flags) ?? DEFAULT_REQUEST_TIMEOUT_MS }).fetch('/version');
  if (probe.status === 401) throw new ClusterError(`the API server refused the credentials of ${kube.context ?? 'the current context'} (401)`);
  io.stderr.write('reading the cluster…\n');
  let running: Promise<unknown> = Promise.resolve();
  const ready = new Promise<void>((resolve) => { running = live.run(resolve); });
  await Promise.race([ready, new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))]);
  if (signal.aborted) return EXIT.OK;
  const code = await serve(live, assets, flags, checked, io, signal);
  await running;
  return code;
}

/** A dump, or (for --export) the live cluster read once with its journals. */
async function staticView(flags: DashboardFlags, io: IO, transports: TransportFactory, prices: ReturnType<typeof priceTable>): Promise<DashboardView> {
  const { model, source } = await loadModel(flags, io, transports);
  const journals = source === 'live' ? await listJournals(new KubeApi(await transports(flags), { retry: READ_RETRY, timeoutMs: requestTimeoutOf(flags) ?? DEFAULT_REQUEST_TIMEOUT_MS }), flags.namespace) : undefined;
  return new DashboardView({
    model, source, sourceName: source === 'live' ? (flags.context ?? 'the current context') : (flags.from ?? []).map((f) => (f === '-' ? 'standard input' : basename(f))).join(', '),
    ...(flags.namespace ? { namespace: flags.namespace } : {}), notices: model.snapshot.notices.filter((n) => n.reason !== 'invalid').map((n) => n.message), version: 1, prices,
    ...(journals ? { journals: [...journals.records, ...journals.damaged] } : {}),
  });
}

/** The operator's --dashboard-listen: the same view, from the operator's store, until the signal. */
export async function serveBeside(shared: SharedModel, at: { host: string; port: number }, context: string, log: Logger, signal: AbortSignal): Promise<void> {
  const live = new LiveDashboard({ contextName: `${context} (operator)`, usageIntervalMs: 0, resyncMs: 0 }, { log, signal, shared });
  const server = await startDashboardServer(live, loadWebAssets(), at);
  log('info', 'dashboard serving', { address: serverUrl(server, at.host) });
  await live.run(() => {});
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

async function serve(source: ViewSource, assets: ReturnType<typeof loadWebAssets>, flags: DashboardFlags, checked: ReturnType<typeof checkFlags>, io: IO, signal: AbortSignal): Promise<number> {
  const server = await startDashboardServer(source, assets, { host: flags.address, port: checked.port, ...(checked.token ? { token: checked.token } : {}) });
  const url = serverUrl(server, flags.address);
  io.stdout.write(`${checked.token ? `${url}?token=${checked.token}` : url}\n`);
  io.stderr.write(`serving the dashboard (read-only) on ${url}${checked.token && !flags.token ? '; the token above was generated for this run' : ''}; Ctrl-C stops it\n`);
  await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  return EXIT.OK;
}
