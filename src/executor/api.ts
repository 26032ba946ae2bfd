// The API as operations use it: read, patch, delete, evict, create, through the same transport as
// doctor (client-node's kubeconfig handling). A request the server may answer differently a moment
// later (429, 5xx, a dropped connection, no answer in time) is retried with backoff; whatever the
// first attempt did, the retry is safe because every write carries a precondition (resourceVersion
// or uid) and every step checks its outcome, not its own history.

import { ClusterError, firstLine } from '../model/errors.ts';
import type { TransportResponse, WritableTransport } from '../model/live.ts';
import type { JsonObject, Target, TargetKind } from '../plans/plan.ts';

export type KubeObject = JsonObject & { metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; generation?: number; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown } };

const PATHS: Record<TargetKind | 'ConfigMap' | 'Lease' | 'Event', { base: string; plural: string; namespaced: boolean }> = {
  Namespace: { base: '/api/v1', plural: 'namespaces', namespaced: false },
  Pod: { base: '/api/v1', plural: 'pods', namespaced: true },
  PersistentVolumeClaim: { base: '/api/v1', plural: 'persistentvolumeclaims', namespaced: true },
  PersistentVolume: { base: '/api/v1', plural: 'persistentvolumes', namespaced: false },
  Node: { base: '/api/v1', plural: 'nodes', namespaced: false },
  ConfigMap: { base: '/api/v1', plural: 'configmaps', namespaced: true },
  Event: { base: '/api/v1', plural: 'events', namespaced: true },
  Lease: { base: '/apis/coordination.k8s.io/v1', plural: 'leases', namespaced: true },
  StatefulSet: { base: '/apis/apps/v1', plural: 'statefulsets', namespaced: true },
  VolumeAttachment: { base: '/apis/storage.k8s.io/v1', plural: 'volumeattachments', namespaced: false },
  VolumeSnapshot: { base: '/apis/snapshot.storage.k8s.io/v1', plural: 'volumesnapshots', namespaced: true },
};

export type ApiKind = keyof typeof PATHS;

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
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, firstDelayMs: 500, maxDelayMs: 8000 };

const RETRIED = new Set([429, 500, 502, 503, 504]);

export interface ApiOptions {
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  /** Called before each retry, for progress output. */
  onRetry?: (what: string, attempt: number, delayMs: number) => void;
  /** Ends every request of this client, and its retries (shutdown, or a deadline like a leader's
   *  renew deadline). */
  signal?: AbortSignal;
}

export class KubeApi {
  /** Requests sent, retries included. */
  requests = 0;
  readonly transport: WritableTransport;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly onRetry?: ApiOptions['onRetry'];
  private readonly signal?: AbortSignal;

  constructor(transport: WritableTransport, options: ApiOptions = {}) {
    this.transport = transport;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.onRetry = options.onRetry;
    this.signal = options.signal;
  }

  static path(kind: ApiKind, namespace: string | undefined, name?: string, sub?: string): string {
    const p = PATHS[kind];
    // A namespaced kind without a namespace is its list across all namespaces.
    const ns = p.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    return `${p.base}${ns}/${p.plural}${name ? `/${encodeURIComponent(name)}` : ''}${sub ? `/${sub}` : ''}`;
  }

  async get(kind: ApiKind, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    try {
      return await this.call('GET', KubeApi.path(kind, namespace, name));
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  async read(t: Target): Promise<KubeObject | undefined> {
    return this.get(t.kind, t.namespace, t.name);
  }

  async list(kind: ApiKind, namespace: string | undefined, query: Record<string, string> = {}): Promise<KubeObject[]> {
    const q = new URLSearchParams(query).toString();
    const list = await this.call<{ items: KubeObject[] }>('GET', `${KubeApi.path(kind, namespace)}${q ? `?${q}` : ''}`);
    return list.items;
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
    this.requests++;
    const response = await this.transport.get(`/openapi/v3/apis/${groupVersion}`);
    return response.status === 200 ? response.body : undefined;
  }

  private async call<T = KubeObject>(method: string, path: string, body?: { json: unknown; contentType?: string }, o: { retry429?: boolean } = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let response: TransportResponse | undefined;
      let failure: unknown;
      try {
        this.requests++;
        response = await this.transport.request(method, path, body, this.signal ? { signal: this.signal } : undefined);
      } catch (err) {
        if (!(err instanceof ClusterError && err.retryable)) throw err;
        failure = err;
      }
      const transient = failure !== undefined || (RETRIED.has(response!.status) && (response!.status !== 429 || o.retry429 !== false));
      if (!transient) return parse<T>(method, path, response!);
      if (attempt >= this.retry.attempts) {
        if (failure) throw new ClusterError(`${method} ${path}: ${firstLine(failure)} (${attempt} attempts)`, { retryable: true });
        throw errorOf(method, path, response!, ` (${attempt} attempts)`);
      }
      if (this.signal?.aborted) throw new ClusterError(`${method} ${path}: stopped before an answer came`);
      const delay = response?.retryAfter ?? Math.min(this.retry.maxDelayMs, this.retry.firstDelayMs * 2 ** (attempt - 1));
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
    throw new ClusterError(`${method} ${path}: HTTP ${response.status}, and the answer is not JSON`);
  }
}

function errorOf(method: string, path: string, response: TransportResponse, suffix: string): ApiError {
  let status: { reason?: string; message?: string } = {};
  try {
    status = JSON.parse(response.body) as typeof status;
  } catch {
    // not a Status object: the status code says enough
  }
  return new ApiError(response.status, status.reason ?? '', `${method} ${path}: HTTP ${response.status}${status.message ? `: ${firstLine(status.message)}` : ''}${suffix}`);
}
