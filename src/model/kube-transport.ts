// The live Transport: kubeconfig (or in-cluster config) as @kubernetes/client-node reads it, so
// contexts, client certificates, tokens and exec credential plugins work as they do for kubectl.
// Every request, credentials included, ends within --request-timeout, or at the caller's signal
// (shutdown): a server that accepts and never answers, or a credential plugin that hangs, is an
// error naming the limit, not a hang, and a plugin left running is killed.
//
// The kubeconfig is read as kubectl reads it: files named in KUBECONFIG that do not exist are
// skipped, only regular files are read (never a device that would never end), and a server URL
// that does not parse is a broken kubeconfig (exit 3). A password in a server URL is never echoed.

import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { ClusterError, firstLine, InputError } from './errors.ts';
import type { TransportResponse, WritableTransport } from './kube-api.ts';
import { fileKind } from './input-files.ts';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './request-timeout.ts';

export interface KubeTransportOptions {
  kubeconfig?: string;
  context?: string;
  /** Per request; 0 waits forever (kubectl's meaning). */
  timeoutMs?: number;
}

export interface KubeTransport extends WritableTransport {
  /** The server, as safe to print (no password). */
  readonly server: string;
  readonly context: string;
  /** The namespace of the kubeconfig context (kubectl's default for -n), if it names one. */
  readonly namespace?: string;
  /** A watch of `path`: `onEvent` per event, `onDone` once when it ends (the server closed it, an
   *  error, no data for `idleTimeoutMs`, or `signal`). */
  watch(path: string, query: Record<string, string | number | boolean>, onEvent: (type: string, object: unknown) => void, onDone: (err: unknown) => void, signal: AbortSignal, idleTimeoutMs: number): void;
}

/** The kubeconfig files kubectl would read: KUBECONFIG's that exist (missing ones skipped, as
 *  kubectl does), else ~/.kube/config. Only regular files. */
function kubeconfigFiles(explicit: string | undefined): string[] {
  if (explicit) {
    const kind = fileKind(explicit);
    if (kind === 'missing') throw new ClusterError(`cannot load kubeconfig ${explicit}: no such file`);
    if (kind !== 'file') throw new InputError(`--kubeconfig ${explicit}: not a regular file (a ${kind}); give a kubeconfig file`);
    return [explicit];
  }
  const listed = (process.env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (listed.length) {
    const present = listed.filter((f) => fileKind(f) === 'file');
    if (!present.length) throw new ClusterError(`KUBECONFIG names no readable kubeconfig file (${listed.join(delimiter)})`);
    return present;
  }
  const home = join(homedir(), '.kube', 'config');
  return fileKind(home) === 'file' ? [home] : [];
}

/** A file the client library would read as an empty kubeconfig (a package.json, a README) is said
 *  to be what it is, not reported as a context without a server. */
function loadKubeconfigFile(kc: KubeConfig, file: string): void {
  let document: unknown;
  try {
    document = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ClusterError(`${file} is not a kubeconfig: not YAML (${firstLine(err).replace(/:$/, '')})`);
  }
  const fields = typeof document === 'object' && document !== null ? Object.keys(document) : [];
  if (!['clusters', 'contexts', 'users'].some((f) => fields.includes(f))) throw new ClusterError(`${file} is not a kubeconfig: it has no clusters, contexts or users`);
  kc.loadFromFile(file);
}

/** kubeconfig as kubectl finds it; a kubeconfig that is missing or broken means no cluster (exit 3). */
export function loadKubeConfig(options: KubeTransportOptions): KubeConfig {
  const kc = new KubeConfig();
  const files = kubeconfigFiles(options.kubeconfig);
  try {
    if (files.length) {
      loadKubeconfigFile(kc, files[0]!);
      for (const file of files.slice(1)) {
        const more = new KubeConfig();
        loadKubeconfigFile(more, file);
        kc.mergeConfig(more);
      }
    } else if (process.env.KUBERNETES_SERVICE_HOST) {
      kc.loadFromCluster();
    } else {
      throw new ClusterError('no kubeconfig: none at ~/.kube/config, KUBECONFIG is not set, and this is not a pod; pass --kubeconfig or --from');
    }
  } catch (err) {
    if (err instanceof ClusterError) throw err;
    throw new ClusterError(`cannot load kubeconfig${options.kubeconfig ? ` ${options.kubeconfig}` : ''}: ${redact(firstLine(err))}`);
  }
  if (options.context) {
    // A context the kubeconfig does not have is a wrong flag value, like an unknown check.
    if (!kc.getContextObject(options.context)) throw new InputError(`--context ${options.context}: no such context in the kubeconfig`);
    kc.setCurrentContext(options.context);
  }
  if (!kc.getCurrentContext()) throw new ClusterError('the kubeconfig sets no current-context: pass --context (kubectl config get-contexts lists them)');
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) throw new ClusterError(`kubeconfig context "${kc.getCurrentContext()}" names no cluster server`);
  serverUrl(cluster.server, kc.getCurrentContext());
  return kc;
}

/** The server URL, or an error naming the context: "127.0.0.1:6443" (no scheme), port 99999, an
 *  unclosed IPv6 bracket are broken kubeconfigs, not bugs. */
function serverUrl(server: string, context: string): URL {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new ClusterError(`kubeconfig context "${context}": server ${redact(server)} is not a URL (expected https://HOST:PORT)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ClusterError(`kubeconfig context "${context}": server ${redact(server)} is not an http(s) URL`);
  return url;
}

/** A URL as safe to print: user and password removed. */
export function redact(text: string): string {
  return text.replace(/(\w+:\/\/)[^/@\s]*@/g, '$1');
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Errors that never heal by asking again: a certificate this client does not trust. */
const TLS_ERROR = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_/;
/** Nothing answers at that address. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Credential plugins this process started and that have not exited: killed when a request gives
 *  up on them and when the process exits, so no plugin outlives stsvol. */
const plugins = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of plugins) child.kill('SIGKILL');
});

/** client-node's exec authenticator spawns plugins through `execFn`; the spawned processes are
 *  kept so that a request that gives up can end them. */
function trackPlugins(kc: KubeConfig): void {
  const authenticators = (kc as unknown as { authenticators?: { execFn?: (...args: unknown[]) => ChildProcess }[] }).authenticators ?? [];
  for (const auth of authenticators) {
    const spawn = auth.execFn;
    if (!spawn) continue;
    auth.execFn = (...args: unknown[]) => {
      const child = spawn(...args);
      plugins.add(child);
      child.on('exit', () => plugins.delete(child));
      return child;
    };
  }
}

export function createKubeTransport(options: KubeTransportOptions = {}): KubeTransport {
  const kc = loadKubeConfig(options);
  trackPlugins(kc);
  const url = serverUrl(kc.getCurrentCluster()!.server, kc.getCurrentContext());
  const base = url.href.replace(/\/$/, '');
  const server = redact(base);
  const timeout = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const context = kc.getCurrentContext();
  const timedOut = (what: string) => new ClusterError(`${server}: ${what} within --request-timeout ${seconds(timeout)}`, { retryable: true, timedOut: true });
  const client = url.protocol === 'http:' ? http : https;

  async function credentials(signal: AbortSignal | undefined, limit: (what: string) => ClusterError): Promise<https.RequestOptions> {
    const requestOptions: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
    const applied = kc.applyToHTTPSOptions(requestOptions).catch((err: unknown) => {
      throw new ClusterError(`cannot use context "${context}": ${firstLine(err) || 'its credential plugin exited with an error'}`);
    });
    if (!signal) {
      await applied;
      return requestOptions;
    }
    await Promise.race([applied, new Promise((_, reject) => signal.addEventListener('abort', () => {
      for (const child of plugins) child.kill('SIGKILL');
      reject(limit('no credentials'));
    }, { once: true }))]);
    return requestOptions;
  }

  /** One deadline for the request: --request-timeout, and the caller's signal. */
  function deadline(method: string, path: string, own: AbortSignal | undefined) {
    const timer = timeout > 0 ? AbortSignal.timeout(timeout) : undefined;
    const signals = [timer, own].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    // The caller's own end (shutdown, its deadline) is not a slow server: not retried.
    const limit = (what: string) => (own?.aborted ? new ClusterError(`${server}: ${method} ${path}: ${abortReason(own)}`) : timedOut(what));
    return { signal, limit };
  }

  function failed(err: NodeJS.ErrnoException): ClusterError {
    if (err.code && TLS_ERROR.test(err.code)) return new ClusterError(`cannot reach ${server}: ${err.message} (a certificate problem does not heal by trying again)`);
    return new ClusterError(`cannot reach ${server}: ${err.message}`, { retryable: true, unreachable: UNREACHABLE.has(err.code ?? '') });
  }

  async function request(method: string, path: string, body?: { json: unknown; contentType?: string }, o: { signal?: AbortSignal } = {}): Promise<TransportResponse> {
    if (o.signal?.aborted) throw new ClusterError(`${server}: ${method} ${path}: ${abortReason(o.signal)}`);
    const { signal, limit } = deadline(method, path, o.signal);
    const requestOptions = await credentials(signal, limit);
    const payload = body === undefined ? undefined : JSON.stringify(body.json);
    const headers = { ...requestOptions.headers, ...(payload === undefined ? {} : { 'Content-Type': body!.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(payload) }) };
    const response = await new Promise<TransportResponse>((resolve, reject) => {
      const req = client.request(new URL(base + path), { ...requestOptions, method, headers, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), contentType: res.headers['content-type'], retryAfter: retryAfterMs(res.headers['retry-after']) }));
        res.on('error', (err) => reject(err));
      });
      req.on('error', (err) => reject(signal?.aborted ? limit('no answer') : failed(err)));
      req.end(payload);
    }).catch((err: unknown) => {
      throw err instanceof ClusterError ? err : signal?.aborted ? limit('no complete answer') : new ClusterError(`${server}: ${(err as Error).message}`, { retryable: true });
    });
    if (response.status === 401) throw new ClusterError(`${server}: unauthorized (HTTP 401): check the credentials of context "${context}"`);
    return response;
  }

  /** A watch: the connection must answer within --request-timeout, then may stay quiet for up to
   *  `idleTimeoutMs` (a kind nobody changes) before it is ended and resumed. */
  function watch(path: string, query: Record<string, string | number | boolean>, onEvent: (type: string, object: unknown) => void, onDone: (err: unknown) => void, signal: AbortSignal, idleTimeoutMs: number): void {
    const own = new AbortController();
    const ended = AbortSignal.any([signal, own.signal]);
    let finished = false;
    let timer: NodeJS.Timeout | undefined;
    const done = (err: unknown) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      own.abort();
      onDone(signal.aborted ? null : err);
    };
    const quietFor = (ms: number, what: string) => {
      clearTimeout(timer);
      if (ms > 0) timer = setTimeout(() => done(new ClusterError(`${server}: watch ${path}: ${what}`, { retryable: true })), ms);
    };
    quietFor(timeout, `no answer within --request-timeout ${seconds(timeout)}`);
    signal.addEventListener('abort', () => done(null), { once: true });
    const params = new URLSearchParams({ ...Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])), watch: 'true' });
    credentials(ended, () => new ClusterError(`${server}: watch ${path}: no credentials`)).then((requestOptions) => {
      const req = client.request(new URL(`${base}${path}?${params}`), { ...requestOptions, method: 'GET', signal: ended }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return done(Object.assign(new Error(`watch ${path}: HTTP ${res.statusCode}`), { statusCode: res.statusCode }));
        }
        quietFor(idleTimeoutMs, `no event for ${seconds(idleTimeoutMs)}`);
        let rest = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          quietFor(idleTimeoutMs, `no event for ${seconds(idleTimeoutMs)}`);
          const lines = (rest + chunk).split('\n');
          rest = lines.pop()!;
          for (const line of lines) {
            let event: { type?: unknown; object?: unknown };
            try {
              event = JSON.parse(line) as typeof event;
            } catch {
              continue; // a line cut by a proxy: the resourceVersion resumes what it held
            }
            if (typeof event?.type === 'string') onEvent(event.type, event.object);
          }
        });
        res.on('end', () => done(null));
        res.on('error', (err) => done(err));
      });
      req.on('error', (err) => done(ended.aborted ? null : failed(err)));
      req.end();
    }, done);
  }

  return {
    server,
    context,
    namespace: kc.getContextObject(context)?.namespace,
    get: (path) => request('GET', path),
    request,
    watch,
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
