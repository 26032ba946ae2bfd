// Reads a live cluster: one paginated list per kind, never one request per object, so a cluster of
// tens of thousands of pods costs a few dozen requests. A kind the cluster does not serve (no
// snapshot CRDs) or that RBAC forbids becomes a notice naming it; the analysis goes on without it.
// An answer that is not a Kubernetes list (a login page, a proxy's error) is an error, and so is a
// cluster of which no kind at all could be read: nothing is not the same as healthy.

import { ClusterError, firstLine } from './errors.ts';
import { KINDS, listPath, type KindInfo, type KindName } from './kinds.ts';
import { SnapshotCollector, type Notice, type Snapshot } from './snapshot.ts';

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

export interface LiveOptions {
  /** Namespaced kinds are listed in this namespace only; cluster-scoped kinds are always listed whole. */
  namespace?: string;
  pageSize?: number;
  onProgress?: (kind: string, items: number) => void;
}

export interface LiveLoad {
  snapshot: Snapshot;
  /** The kinds that were listed (the others have a notice). */
  read: Set<KindName>;
  requests: number;
}

export const DEFAULT_PAGE_SIZE = 500;

/** Kinds listed at once: a few lists in flight hide the round trips of twenty kinds, and each keeps
 *  only one page (500 objects) in memory at a time. */
const LISTS_IN_FLIGHT = 4;

export async function loadLive(transport: Transport, options: LiveOptions = {}): Promise<LiveLoad> {
  const collector = new SnapshotCollector({ clockKnown: true });
  const results: ListResult[] = new Array(KINDS.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < KINDS.length; i = next++) {
      const result = await listKind(transport, KINDS[i]!, options, collector);
      results[i] = result;
      if (!result.notice) options.onProgress?.(KINDS[i]!.kind, result.items);
    }
  };
  await Promise.all(Array.from({ length: LISTS_IN_FLIGHT }, worker));
  const notices: Notice[] = [];
  const read = new Set<KindName>();
  let requests = 0;
  KINDS.forEach((info, i) => {
    const result = results[i]!;
    requests += result.requests;
    if (result.notice) return void notices.push(result.notice);
    read.add(info.kind);
  });
  if (read.size === 0) {
    throw new ClusterError(`no kind could be listed (${requests} requests): ${notices.map((n) => `${n.kind} ${n.reason}`).join(', ')}`);
  }
  const snapshot = collector.finish();
  snapshot.notices.push(...notices);
  return { snapshot, read, requests };
}

type ListResult = { items: number; requests: number; notice?: undefined } | { notice: Notice; requests: number };

async function listKind(transport: Transport, info: KindInfo, options: LiveOptions, collector: SnapshotCollector): Promise<ListResult> {
  const base = listPath(info, options.namespace);
  let requests = 0;
  let token: string | undefined;
  let restarted = false;
  let items = 0;
  for (;;) {
    const query = new URLSearchParams({ limit: String(options.pageSize ?? DEFAULT_PAGE_SIZE) });
    if (token) query.set('continue', token);
    const path = `${base}?${query}`;
    const response = await transport.get(path);
    requests++;
    if (response.status === 404 || response.status === 403) return { notice: noticeFor(info, response.status), requests };
    if (response.status === 410 && !restarted) {
      // The continue token expired (the list took longer than etcd keeps it): start over once.
      // Objects of the abandoned attempt are collected again; the collector counts each once.
      restarted = true;
      token = undefined;
      continue;
    }
    const body = listBody(response, path);
    // Each page is admitted (and pruned) as it arrives, so the raw objects of a large cluster are
    // never all held at once.
    for (const item of body.items) {
      // Items of a typed list carry no kind; give it back so every object stands alone.
      if (item && typeof item === 'object' && !Array.isArray(item)) (item as { kind?: string }).kind = info.kind;
      if (collector.add(item, { source: `GET ${base}` }) === 'added') items++;
    }
    token = body.continue;
    if (!token) return { items, requests };
  }
}

/** The items of one page of a list, its continue token and the list's resourceVersion (where a
 *  watch starts); an answer that is not a Kubernetes list is an error naming what it is instead. */
export function listBody(response: TransportResponse, path: string): { items: unknown[]; continue?: string; resourceVersion?: string } {
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

export function noticeFor(info: KindInfo, status: number): Notice {
  const resource = `${info.plural}.${info.group || 'core'}/${info.version}`;
  return status === 404
    ? { kind: info.kind, reason: 'not-served', message: `${resource} is not served by this cluster${info.optional ? ' (its CRDs are not installed)' : ''}` }
    : { kind: info.kind, reason: 'forbidden', message: `listing ${resource} is forbidden by RBAC` };
}
