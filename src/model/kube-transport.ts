// The live Transport: kubeconfig (or in-cluster config) as @kubernetes/client-node reads it, so
// contexts, client certificates, tokens and exec credential plugins work as they do for kubectl.
// Every request, credentials included, ends within --request-timeout: a server that accepts and
// never answers, or a credential plugin that hangs, is an error naming the limit, not a hang.

import { existsSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { ClusterError, firstLine, InputError } from './errors.ts';
import type { TransportResponse, WritableTransport } from './live.ts';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './request-timeout.ts';

export interface KubeTransportOptions {
  kubeconfig?: string;
  context?: string;
  /** Per request; 0 waits forever (kubectl's meaning). */
  timeoutMs?: number;
}

export interface KubeTransport extends WritableTransport {
  readonly server: string;
  readonly context: string;
  /** The namespace of the kubeconfig context (kubectl's default for -n), if it names one. */
  readonly namespace?: string;
}


/** kubeconfig as kubectl finds it; a kubeconfig that is missing or broken means no cluster (exit 3). */
export function loadKubeConfig(options: KubeTransportOptions): KubeConfig {
  const kc = new KubeConfig();
  const inCluster = Boolean(process.env.KUBERNETES_SERVICE_HOST);
  if (!options.kubeconfig && !process.env.KUBECONFIG && !inCluster && !existsSync(join(homedir(), '.kube', 'config'))) {
    throw new ClusterError('no kubeconfig: none at ~/.kube/config, KUBECONFIG is not set, and this is not a pod; pass --kubeconfig or --from');
  }
  try {
    if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
    else kc.loadFromDefault();
  } catch (err) {
    throw new ClusterError(`cannot load kubeconfig${options.kubeconfig ? ` ${options.kubeconfig}` : ''}: ${firstLine(err)}`);
  }
  if (options.context) {
    // A context the kubeconfig does not have is a wrong flag value, like an unknown check.
    if (!kc.getContextObject(options.context)) throw new InputError(`--context ${options.context}: no such context in the kubeconfig`);
    kc.setCurrentContext(options.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) throw new ClusterError(`kubeconfig context "${kc.getCurrentContext()}" names no cluster server`);
  return kc;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export function createKubeTransport(options: KubeTransportOptions = {}): KubeTransport {
  const kc = loadKubeConfig(options);
  const server = kc.getCurrentCluster()!.server.replace(/\/$/, '');
  const timeout = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const context = kc.getCurrentContext();
  const timedOut = (what: string) => new ClusterError(`${server}: ${what} within --request-timeout ${seconds(timeout)}`, { retryable: true });

  async function credentials(signal: AbortSignal | undefined, limit: (what: string) => ClusterError): Promise<https.RequestOptions> {
    const requestOptions: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
    const applied = kc.applyToHTTPSOptions(requestOptions).catch((err: unknown) => {
      throw new ClusterError(`cannot use context "${context}": ${firstLine(err) || "its credential plugin exited with an error"}`);
    });
    await (signal ? Promise.race([applied, new Promise((_, reject) => signal.addEventListener('abort', () => reject(limit('no credentials')), { once: true }))]) : applied);
    return requestOptions;
  }

  async function request(method: string, path: string, body?: { json: unknown; contentType?: string }, options: { signal?: AbortSignal } = {}): Promise<TransportResponse> {
    if (options.signal?.aborted) throw new ClusterError(`${server}: ${method} ${path}: ${abortReason(options.signal)}`);
    const timer = timeout > 0 ? AbortSignal.timeout(timeout) : undefined;
    const signals = [timer, options.signal].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    // The caller's own end (shutdown, its deadline) is not a slow server: not retried.
    const limit = (what: string) => (options.signal?.aborted ? new ClusterError(`${server}: ${method} ${path}: ${abortReason(options.signal)}`) : timedOut(what));
    const requestOptions = await credentials(signal, limit);
    const url = new URL(server + path);
    const client = url.protocol === 'http:' ? http : https;
    const payload = body === undefined ? undefined : JSON.stringify(body.json);
    const headers = { ...requestOptions.headers, ...(payload === undefined ? {} : { 'Content-Type': body!.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(payload) }) };
    const response = await new Promise<TransportResponse>((resolve, reject) => {
      const req = client.request(url, { ...requestOptions, method, headers, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), contentType: res.headers['content-type'], retryAfter: retryAfterMs(res.headers['retry-after']) }));
        res.on('error', (err) => reject(err));
      });
      req.on('error', (err) => reject(signal?.aborted ? limit('no answer') : new ClusterError(`cannot reach ${server}: ${err.message}`, { retryable: true })));
      req.end(payload);
    }).catch((err: unknown) => {
      throw err instanceof ClusterError ? err : signal?.aborted ? limit('no complete answer') : new ClusterError(`${server}: ${(err as Error).message}`, { retryable: true });
    });
    if (response.status === 401) throw new ClusterError(`${server}: unauthorized (HTTP 401): check the credentials of context "${context}"`);
    return response;
  }

  return {
    server,
    context,
    namespace: kc.getContextObject(context)?.namespace,
    get: (path) => request('GET', path),
    request,
  };
}

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error && reason.name !== 'AbortError' ? reason.message : 'stopped';
}

function retryAfterMs(header: string | undefined): number | undefined {
  const seconds = header === undefined ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** Long requests of the watch API, through @kubernetes/client-node's Watch (same kubeconfig). A
 *  watch quiet for `idleTimeoutMs` is ended by the client; the server's own timeout comes first. */
export function createKubeWatch(options: KubeTransportOptions, idleTimeoutMs: number) {
  const watch = new Watch(loadKubeConfig(options));
  // Private in client-node, whose 30 s default would end every quiet watch (a kind nobody changes)
  // and turn it into a relist: load that grows with the object count.
  (watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = idleTimeoutMs;
  return (path: string, query: Record<string, string | number | boolean>, onEvent: (type: string, object: unknown) => void, onDone: (err: unknown) => void) =>
    watch.watch(path, query, onEvent, onDone);
}
