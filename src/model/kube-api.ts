// The one request layer of every command that talks to a cluster: doctor and snapshot, the
// operations and the operator all read and write through this client, so each inherits the same
// contract. A request the server may answer differently a moment later (429, 5xx, a dropped
// connection, no answer in time) is retried with backoff, Retry-After honoured up to a cap; an
// answer that can never improve (a certificate the client does not trust, a connection refused by
// a server that never answered this client) fails at once. A list is read page by page and must be
// a Kubernetes list; a continue token that repeats, more pages than any cluster has, or a list that
// outlasts its deadline end it with one line instead of a loop. Retried writes are safe because every
// write carries a precondition (resourceVersion or uid) and every operation step checks its outcome,
// not its own history.

import { ClusterError, firstLine } from './errors.ts';
import { KINDS, type KindInfo, type KindName } from './kinds.ts';
import type { Notice } from './snapshot.ts';

export interface TransportResponse {
  status: number;
  body: string;
  contentType?: string;
  /** Retry-After of a 429 or 503, in milliseconds. */
  retryAfter?: number;
}

/** The one thing the loader needs from a cluster. Tests replay recorded responses through it. */
export interface Transport {
  get(path: string): Promise<TransportResponse>;
}

/** What operations need on top: any verb, with a JSON body (a patch names its content type).
 *  `signal` ends the request early (shutdown, a deadline of the caller's own). */
export interface WritableTransport extends Transport {
  request(method: string, path: string, body?: { json: unknown; contentType?: string }, options?: { signal?: AbortSignal }): Promise<TransportResponse>;
}

export type JsonObject = { [key: string]: unknown };

export type KubeObject = JsonObject & { metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; generation?: number; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown } };

/** The kinds stsvol reads, and the two it writes besides: its journals and its Lease. */
export type ApiKind = KindName | 'ConfigMap' | 'Lease';

const EXTRA_KINDS: KindInfo[] = [
  { kind: 'ConfigMap', group: '', version: 'v1', plural: 'configmaps', namespaced: true },
  { kind: 'Lease', group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespaced: true },
];
const INFO = new Map<string, KindInfo>([...KINDS, ...EXTRA_KINDS].map((k) => [k.kind, k]));

/** An object by kind, namespace and name. */
export interface ObjectName {
  kind: ApiKind;
  namespace?: string;
  name: string;
}

/** An answer the server meant: a status and its reason (Conflict, NotFound, Forbidden, Invalid…). */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly reason: string;

  constructor(status: number, reason: string, message: string) {
    super(message);
    this.status = status;
    this.reason = reason;
  }
}

export interface RetryPolicy {
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
  /** Ask again after no answer came within --request-timeout (else that is the end of it). */
  retryTimeouts?: boolean;
}

/** Operations: a write that failed for a moment is worth waiting for, a step half done worth ending. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, firstDelayMs: 500, maxDelayMs: 8000, retryTimeouts: true };
/** Reading for a report: a short wait for a server that said "not now", then say the cluster cannot
 *  be read; a server that did not answer within --request-timeout is not waited for again. */
export const READ_RETRY: RetryPolicy = { attempts: 3, firstDelayMs: 250, maxDelayMs: 2000 };
/** A server asking for more than this between attempts is not waited for: the command's budget
 *  is the caller's, not the server's (a Retry-After of a day would be a hang). */
export const MAX_RETRY_AFTER_MS = 10_000;

const RETRIED = new Set([429, 500, 502, 503, 504]);

/** Pages of one list: 100,000 pages of 500 is fifty million objects, far past any cluster; more is
 *  a server that never stops answering "continue". */
export const MAX_PAGES = 100_000;
export const DEFAULT_PAGE_SIZE = 500;

export interface ApiOptions {
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  /** Called before each retry, for progress output. */
  onRetry?: (what: string, attempt: number, delayMs: number) => void;
  /** Ends every request of this client, and its retries (shutdown, or a deadline like a leader's
   *  renew deadline). */
  signal?: AbortSignal;
  /** --request-timeout, in ms (0 = none): it bounds a whole list (all its pages), and the retries
   *  of any request (a wait the server asks for beyond what is left is not made). */
  timeoutMs?: number;
}

export class KubeApi {
  /** Requests sent, retries included. */
  requests = 0;
  readonly transport: Transport & Partial<WritableTransport>;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly onRetry?: ApiOptions['onRetry'];
  private readonly signal?: AbortSignal;
  private readonly timeoutMs: number;
  /** The server has answered once: from then on a refused connection is a restart, worth a retry. */
  private answered = false;

  constructor(transport: Transport & Partial<WritableTransport>, options: ApiOptions = {}) {
    this.transport = transport;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.onRetry = options.onRetry;
    this.signal = options.signal;
    this.timeoutMs = options.timeoutMs ?? 0;
  }

  static path(kind: ApiKind, namespace: string | undefined, name?: string, sub?: string): string {
    const p = INFO.get(kind)!;
    const base = p.group === '' ? `/api/${p.version}` : `/apis/${p.group}/${p.version}`;
    // A namespaced kind without a namespace is its list across all namespaces.
    const ns = p.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    return `${base}${ns}/${p.plural}${name ? `/${encodeURIComponent(name)}` : ''}${sub ? `/${sub}` : ''}`;
  }

  async get(kind: ApiKind, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    try {
      return await this.call('GET', KubeApi.path(kind, namespace, name));
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  async read(t: ObjectName): Promise<KubeObject | undefined> {
    return this.get(t.kind, t.namespace, t.name);
  }

  /** Every object of a kind (in a namespace, or all), every page. */
  async list(kind: ApiKind, namespace: string | undefined, query: Record<string, string> = {}): Promise<KubeObject[]> {
    const items: KubeObject[] = [];
    await this.listPages(KubeApi.path(kind, namespace), (page) => {
      for (const item of page) items.push(item as KubeObject);
    }, { query });
    return items;
  }

  /**
   * Reads a list page by page, handing each page's items to `onPage` as it arrives (so a large
   * cluster is never held as raw objects all at once), and returns the list's resourceVersion (where
   * a watch starts). A continue token that expired (410) starts the list over once. Throws ApiError
   * for a status the caller judges (403, 404), ClusterError for an answer that is not a Kubernetes
   * list, a token that repeats, too many pages, or a list that outlasts --request-timeout.
   */
  async listPages(path: string, onPage: (items: unknown[]) => void, o: { query?: Record<string, string>; pageSize?: number } = {}): Promise<{ resourceVersion?: string; requests: number }> {
    const began = Date.now();
    const seen = new Set<string>();
    let restarted = false;
    let token: string | undefined;
    let requests = 0;
    for (let page = 1; ; page++) {
      const query = new URLSearchParams({ ...o.query, limit: String(o.pageSize ?? DEFAULT_PAGE_SIZE) });
      if (token) query.set('continue', token);
      const pagePath = `${path}?${query}`;
      requests++;
      const response = await this.answer('GET', pagePath);
      if (response.status === 410 && token && !restarted) {
        // The continue token expired (the list took longer than etcd keeps it): start over once.
        // Objects of the abandoned attempt come again; the callers count each once.
        restarted = true;
        token = undefined;
        seen.clear();
        continue;
      }
      // 403 and 404 are the caller's to judge (a notice: forbidden, not served); any other status is
      // a cluster that cannot be read (listBody says so).
      if (response.status === 403 || response.status === 404) throw errorOf('GET', pagePath, response, '');
      const body = listBody(response, pagePath);
      onPage(body.items);
      if (!body.continue) return { resourceVersion: body.resourceVersion, requests };
      if (seen.has(body.continue)) throw new ClusterError(`GET ${path}: the server sent the same continue token twice (page ${page}): a list that would never end`);
      seen.add(body.continue);
      if (page >= MAX_PAGES) throw new ClusterError(`GET ${path}: still not done after ${MAX_PAGES} pages: a list that would never end`);
      if (this.timeoutMs > 0 && Date.now() - began > this.timeoutMs) {
        throw new ClusterError(`GET ${path}: the list did not finish within --request-timeout ${this.timeoutMs / 1000}s (${page} pages read); raise --request-timeout for a cluster this large`, { retryable: true });
      }
      token = body.continue;
    }
  }

  async mergePatch(kind: ApiKind, namespace: string | undefined, name: string, patch: JsonObject, dryRun = false): Promise<KubeObject> {
    return this.call('PATCH', KubeApi.path(kind, namespace, name) + (dryRun ? '?dryRun=All' : ''), { json: patch, contentType: 'application/merge-patch+json' });
  }

  async create(kind: ApiKind, namespace: string | undefined, manifest: JsonObject, dryRun = false): Promise<KubeObject> {
    return this.call('POST', KubeApi.path(kind, namespace) + (dryRun ? '?dryRun=All' : ''), { json: manifest });
  }

  async replace(kind: ApiKind, namespace: string | undefined, name: string, manifest: JsonObject): Promise<KubeObject> {
    return this.call('PUT', KubeApi.path(kind, namespace, name), { json: manifest });
  }

  async delete(kind: ApiKind, namespace: string | undefined, name: string, options: JsonObject): Promise<void> {
    await this.call('DELETE', KubeApi.path(kind, namespace, name), { json: { apiVersion: 'v1', kind: 'DeleteOptions', ...options } });
  }

  async evict(namespace: string | undefined, name: string, uid: string | undefined): Promise<void> {
    await this.call('POST', KubeApi.path('Pod', namespace, name, 'eviction'), {
      json: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace }, deleteOptions: uid ? { preconditions: { uid } } : {} },
    }, { retry429: false });
  }

  /** The OpenAPI v3 document of a group version, as text (feature detection only). */
  async openapi(groupVersion: string): Promise<string | undefined> {
    const response = await this.answer('GET', `/openapi/v3/apis/${groupVersion}`);
    return response.status === 200 ? response.body : undefined;
  }

  /** Any GET, answered as the server answered it (the kubelet's Summary API through the node proxy). */
  async fetch(path: string): Promise<TransportResponse> {
    return this.answer('GET', path);
  }

  private async send(method: string, path: string, body?: { json: unknown; contentType?: string }): Promise<TransportResponse> {
    if (method === 'GET' && body === undefined && !this.signal) return this.transport.get(path);
    if (!this.transport.request) throw new ClusterError(`${method} ${path}: this transport can only read`);
    return this.transport.request(method, path, body, this.signal ? { signal: this.signal } : undefined);
  }

  private async call<T = KubeObject>(method: string, path: string, body?: { json: unknown; contentType?: string }, o: { retry429?: boolean } = {}): Promise<T> {
    return parse<T>(method, path, await this.answer(method, path, body, o));
  }

  /** The server's answer, whatever its status, once it is not one worth asking again for. */
  private async answer(method: string, path: string, body?: { json: unknown; contentType?: string }, o: { retry429?: boolean } = {}): Promise<TransportResponse> {
    for (let attempt = 1; ; attempt++) {
      let response: TransportResponse | undefined;
      let failure: ClusterError | undefined;
      try {
        this.requests++;
        response = await this.send(method, path, body);
        this.answered = true;
      } catch (err) {
        if (!(err instanceof ClusterError) || !err.retryable || (!this.answered && err.unreachable) || (err.timedOut && !this.retry.retryTimeouts)) throw err;
        failure = err;
      }
      const transient = failure !== undefined || (RETRIED.has(response!.status) && (response!.status !== 429 || o.retry429 !== false));
      if (!transient) return response!;
      if (attempt >= this.retry.attempts || this.signal?.aborted) {
        if (failure) throw new ClusterError(`${method} ${path}: ${firstLine(failure)} (${attempt} attempts)`, { retryable: true });
        return response!; // the last answer, for the caller to judge as it is
      }
      const backoff = Math.min(this.retry.maxDelayMs, this.retry.firstDelayMs * 2 ** (attempt - 1));
      const delay = Math.min(MAX_RETRY_AFTER_MS, response?.retryAfter ?? backoff);
      // --request-timeout bounds each request, as kubectl's does, and each wait between two: a
      // server asking to wait longer than one request may take is not waited for.
      if (this.timeoutMs > 0 && delay > this.timeoutMs) {
        if (failure) throw new ClusterError(`${method} ${path}: ${firstLine(failure)} (${attempt} attempts; the next would wait longer than --request-timeout)`, { retryable: true });
        return response!;
      }
      this.onRetry?.(`${method} ${path}: ${failure ? firstLine(failure) : `HTTP ${response!.status}`}`, attempt, delay);
      await this.sleep(delay);
    }
  }
}

function parse<T>(method: string, path: string, response: TransportResponse): T {
  if (response.status < 200 || response.status >= 300) throw errorOf(method, path, response, '');
  try {
    return JSON.parse(response.body) as T;
  } catch {
    throw new ClusterError(`${method} ${path}: HTTP ${response.status}, and the answer is not JSON, so not the Kubernetes API`);
  }
}

function errorOf(method: string, path: string, response: TransportResponse, suffix: string): ApiError {
  let status: { reason?: unknown; message?: unknown } = {};
  try {
    status = JSON.parse(response.body) as typeof status;
  } catch {
    // not a Status object: the status code says enough
  }
  const reason = typeof status?.reason === 'string' ? status.reason : '';
  const message = typeof status?.message === 'string' ? `: ${firstLine(status.message)}` : '';
  return new ApiError(response.status, reason, `${method} ${path}: HTTP ${response.status}${message}${suffix}`);
}

interface ListBody {
  items: unknown[];
  continue?: string;
  resourceVersion?: string;
}

/** The items of one page of a list, its continue token and the list's resourceVersion; an answer
 *  that is not a Kubernetes list is an error naming what it is instead. */
export function listBody(response: TransportResponse, path: string): ListBody {
  const what = `GET ${path}: HTTP ${response.status}`;
  if (/html/i.test(response.contentType ?? '') || /^\s*</.test(response.body)) {
    throw new ClusterError(`${what}: the answer is an HTML page, not the Kubernetes API (a login page or a proxy in the way?)`);
  }
  let body: { items?: unknown; metadata?: { continue?: unknown; resourceVersion?: unknown }; message?: unknown; kind?: unknown };
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {
    throw new ClusterError(`${what}: the answer is not JSON, so not the Kubernetes API`);
  }
  if (response.status !== 200) throw new ClusterError(`${what}${typeof body?.message === 'string' ? `: ${firstLine(body.message)}` : ''}`);
  if (!body || typeof body !== 'object' || !Array.isArray(body.items)) {
    throw new ClusterError(`${what}: the answer is not a Kubernetes list${typeof body?.kind === 'string' ? ` (kind ${body.kind})` : ''}`);
  }
  const token = body.metadata?.continue;
  const version = body.metadata?.resourceVersion;
  return { items: body.items, continue: typeof token === 'string' && token ? token : undefined, resourceVersion: typeof version === 'string' ? version : undefined };
}

/** A kind the cluster does not serve (404) or that RBAC forbids (403): a notice, not an error. */
export function noticeFor(info: KindInfo, status: number): Notice {
  const resource = `${info.plural}.${info.group || 'core'}/${info.version}`;
  return status === 404
    ? { kind: info.kind, reason: 'not-served', message: `${resource} is not served by this cluster${info.optional ? ' (its CRDs are not installed)' : ''}` }
    : { kind: info.kind, reason: 'forbidden', message: `listing ${resource} is forbidden by RBAC` };
}
