// `stsvol operator`: runs the in-cluster operator (src/operator) until SIGTERM or SIGINT, which
// hand the Lease over at once. In a pod it uses the pod's ServiceAccount; from a laptop, kubeconfig.

import { hostname } from 'node:os';
import { Command, Option } from 'commander';
import { InputError } from '../model/errors.ts';
import { namespaceName } from '../model/names.ts';
import { parseDuration } from '../model/time.ts';
import { jsonLogger } from '../operator/log.ts';
import type { OperatorOptions } from '../operator/operator.ts';
import { EXIT } from './exit-codes.ts';
import type { IO } from './io.ts';
import { requestTimeoutOf } from './load.ts';
import { DEFAULT_REQUEST_TIMEOUT_MS, MAX_TIMER_MS } from '../model/request-timeout.ts';
import { serveBeside } from './dashboard.ts';
import { isLoopback } from '../dashboard/server.ts';
import type { SharedModel } from '../operator/operator.ts';

interface OperatorFlags {
  kubeconfig?: string;
  context?: string;
  requestTimeout: string;
  namespace?: string;
  listen: string;
  leaseName: string;
  leaseDuration: string;
  renewDeadline: string;
  retryPeriod: string;
  events: boolean;
  autoExpand?: boolean;
  templateSync?: boolean;
  janitor?: boolean;
  janitorDryRun?: boolean;
  usageSource?: 'kubelet' | 'prometheus' | 'none';
  prometheusUrl?: string;
  usageInterval: string;
  resync: string;
  dashboardListen?: string;
}

function duration(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) throw new InputError(`${flag} ${text}: not a positive duration (e.g. 15s, 1m)`);
  // A longer timer fires at once, and the Lease loop would spin.
  if (ms > MAX_TIMER_MS) throw new InputError(`${flag} ${text}: longer than the operator can wait (at most 24 days)`);
  return ms;
}

function listenAddress(text: string): { host: string; port: number } {
  const m = /^(.*):(\d+)$/.exec(text);
  if (!m || Number(m[2]) > 65535) throw new InputError(`--listen ${text}: not an address (e.g. :8080, 127.0.0.1:9090)`);
  return { host: m[1] || '0.0.0.0', port: Number(m[2]) };
}

export function operatorOptions(flags: OperatorFlags, env: NodeJS.ProcessEnv, kubeNamespace?: string): OperatorOptions {
  const { host, port } = listenAddress(flags.listen);
  const leaseDurationMs = duration('--lease-duration', flags.leaseDuration);
  const renewDeadlineMs = duration('--renew-deadline', flags.renewDeadline);
  const retryPeriodMs = duration('--retry-period', flags.retryPeriod);
  // client-go's own rule: the leader must give up before anyone else may take over.
  if (!(leaseDurationMs > renewDeadlineMs && renewDeadlineMs > retryPeriodMs)) throw new InputError('--lease-duration must be longer than --renew-deadline, and that longer than --retry-period');
  const source = flags.usageSource ?? (flags.prometheusUrl ? 'prometheus' : flags.autoExpand ? 'kubelet' : 'none');
  if (source === 'prometheus' && !flags.prometheusUrl) throw new InputError('--usage-source prometheus needs --prometheus-url');
  if (flags.autoExpand && source === 'none') throw new InputError('--auto-expand needs a usage source (kubelet or prometheus)');
  return {
    identity: env.POD_NAME || `${hostname()}_${process.pid}`,
    namespace: namespaceName(flags.namespace ?? env.POD_NAMESPACE ?? kubeNamespace ?? 'default', flags.namespace ? '-n' : 'the Lease namespace'),
    leaseName: flags.leaseName, leaseDurationMs, renewDeadlineMs, retryPeriodMs, host, port,
    events: flags.events, autoExpand: Boolean(flags.autoExpand), templateSync: Boolean(flags.templateSync),
    janitor: Boolean(flags.janitor || flags.janitorDryRun), janitorDryRun: Boolean(flags.janitorDryRun),
    usageSource: source, prometheusUrl: flags.prometheusUrl,
    usageIntervalMs: duration('--usage-interval', flags.usageInterval), resyncMs: duration('--resync', flags.resync),
  };
}

export function addOperatorCommand(root: Command, io: IO, setCode: (code: Promise<number>) => void): void {
  root.command('operator')
    .description('run the operator: findings as metrics and Events, auto-expansion, template sync, the attachment janitor (leader-elected)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: in-cluster, $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use')
    .option('--request-timeout <duration>', 'give up on a single request after this long', '30s')
    .option('-n, --namespace <ns>', "the namespace of the leader Lease (default: $POD_NAMESPACE, the context's, or default)")
    .option('--listen <address>', 'serve /metrics, /healthz and /readyz here', ':8080')
    .option('--lease-name <name>', 'the leader election Lease', 'stsvol-operator')
    .option('--lease-duration <duration>', 'how long a leader holds the Lease without renewing it', '15s')
    .option('--renew-deadline <duration>', 'a leader that cannot renew for this long stops acting', '10s')
    .option('--retry-period <duration>', 'how often the Lease is renewed or tried', '2s')
    .option('--no-events', 'do not write findings and actions as Kubernetes Events')
    .option('--auto-expand', 'grow claims that opted in (stsvol.io/auto-expand) before they fill')
    .option('--template-sync', 'after claims grew, re-create opted-in StatefulSets (stsvol.io/template-sync) so their templates follow')
    .option('--janitor', 'delete VolumeAttachments of nodes that are gone or tainted out-of-service')
    .option('--janitor-dry-run', 'report what the janitor would delete, as Events and metrics, and delete nothing')
    .addOption(new Option('--usage-source <source>', 'where volume usage comes from (default: kubelet with --auto-expand)').choices(['kubelet', 'prometheus', 'none']))
    .option('--prometheus-url <url>', 'Prometheus to query for kubelet_volume_stats_* (implies --usage-source prometheus)')
    .option('--usage-interval <duration>', 'how often volume usage is read', '1m')
    .option('--resync <duration>', 'list every kind again this often, to heal anything a watch missed', '30m')
    .option('--dashboard-listen <address>', 'also serve the read-only dashboard here, on a loopback address only (reach it with kubectl port-forward), e.g. 127.0.0.1:8484')
    .action((flags: OperatorFlags) => setCode(runCommand(flags, io)));
}

/** The dashboard inside the operator: loopback only, so only kubectl port-forward (RBAC
 *  pods/portforward) reaches it and no token is needed. */
function dashboardAddress(text: string | undefined): { host: string; port: number } | undefined {
  if (text === undefined) return undefined;
  const m = /^(.*):(\d+)$/.exec(text);
  const host = m?.[1]?.replace(/^\[(.*)\]$/, '$1');
  if (!m || !host || Number(m[2]) > 65535 || !isLoopback(host)) throw new InputError(`--dashboard-listen ${text}: expected a loopback address and port (127.0.0.1:8484); reach it with kubectl port-forward`);
  return { host, port: Number(m[2]) };
}

async function runCommand(flags: OperatorFlags, io: IO): Promise<number> {
  // Bad flags are an input error before any cluster is contacted.
  operatorOptions(flags, io.env);
  const dashboard = dashboardAddress(flags.dashboardListen);
  const { createKubeTransport } = await import('../model/kube-transport.ts');
  const { runOperator } = await import('../operator/operator.ts');
  const kube = { kubeconfig: flags.kubeconfig, context: flags.context, timeoutMs: requestTimeoutOf(flags) };
  const transport = createKubeTransport(kube);
  const options = operatorOptions(flags, io.env, transport.namespace);
  const log = jsonLogger((line) => io.stdout.write(line));
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    await runOperator(options, {
      transport, requestTimeoutMs: kube.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, log, signal: abort.signal,
      // A kind nobody changes is quiet for long: a watch ends after 15 minutes without an event
      // (the server ends it sooner, after its timeoutSeconds), and is resumed, not relisted.
      watch: (path, query, onEvent, onDone, signal) => transport.watch(path, query, onEvent, onDone, signal, 15 * 60_000),
      ...(dashboard ? { serve: (shared: SharedModel, signal: AbortSignal) => serveBeside(shared, dashboard, transport.context, log, signal) } : {}),
    });
  } finally {
    process.removeListener('SIGTERM', stop);
    process.removeListener('SIGINT', stop);
  }
  return EXIT.OK;
}
