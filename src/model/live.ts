// Reads a live cluster: one paginated list per kind, never one request per object, so a cluster of
// tens of thousands of pods costs a few dozen requests. A kind the cluster does not serve (no
// snapshot CRDs) or that RBAC forbids becomes a notice naming it; the analysis goes on without it.

import { ClusterError } from './errors.ts';
import { KINDS, apiVersionOf, listPath, type KindInfo, type KindName } from './kinds.ts';
import { SnapshotCollector, type Notice, type Snapshot } from './snapshot.ts';
import type { KubeObject } from './types.ts';

/** The one thing the loader needs from a cluster. Tests replay recorded responses through it. */
export interface Transport {
  get(path: string): Promise<{ status: number; body: string }>;
}

export interface LiveOptions {
  /** Namespaced kinds are listed in this namespace only; cluster-scoped kinds are always listed whole. */
  namespace?: string;
  pageSize?: number;
  onProgress?: (kind: string, items: number) => void;
}

export interface LiveLoad {
  snapshot: Snapshot;
  /** Raw objects by kind, as the API returned them (what `stsvol snapshot` writes). */
  objects: Map<KindName, KubeObject[]>;
  requests: number;
}

export const DEFAULT_PAGE_SIZE = 500;

export async function loadLive(transport: Transport, options: LiveOptions = {}): Promise<LiveLoad> {
  const collector = new SnapshotCollector();
  const objects = new Map<KindName, KubeObject[]>();
  const notices: Notice[] = [];
  let requests = 0;
  for (const info of KINDS) {
    const result = await listKind(transport, info, options);
    requests += result.requests;
    if ('notice' in result) {
      notices.push(result.notice);
      continue;
    }
    for (const item of result.items) collector.add(item);
    objects.set(info.kind, result.items);
    options.onProgress?.(info.kind, result.items.length);
  }
  const snapshot = collector.finish();
  snapshot.notices.push(...notices);
  return { snapshot, objects, requests };
}

type ListResult = { items: KubeObject[]; requests: number } | { notice: Notice; requests: number };

interface ListBody {
  items?: KubeObject[];
  metadata?: { continue?: string };
  message?: string;
}

async function listKind(transport: Transport, info: KindInfo, options: LiveOptions): Promise<ListResult> {
  const base = listPath(info, options.namespace);
  const items: KubeObject[] = [];
  let requests = 0;
  let token: string | undefined;
  let restarted = false;
  for (;;) {
    const query = new URLSearchParams({ limit: String(options.pageSize ?? DEFAULT_PAGE_SIZE) });
    if (token) query.set('continue', token);
    const path = `${base}?${query}`;
    const response = await transport.get(path);
    requests++;
    if (response.status === 404 || response.status === 403) {
      return { notice: noticeFor(info, response.status), requests };
    }
    if (response.status === 410 && !restarted) {
      // The continue token expired (the list took longer than etcd keeps it): start over once.
      restarted = true;
      items.length = 0;
      token = undefined;
      continue;
    }
    const body = parseBody(response, path);
    // Items of a typed list carry no kind or apiVersion; give them back so every object stands alone.
    for (const item of body.items ?? []) {
      item.kind = info.kind;
      item.apiVersion = apiVersionOf(info);
      items.push(item);
    }
    token = body.metadata?.continue || undefined;
    if (!token) return { items, requests };
  }
}

function parseBody(response: { status: number; body: string }, path: string): ListBody {
  let body: ListBody;
  try {
    body = JSON.parse(response.body) as ListBody;
  } catch {
    throw new ClusterError(`GET ${path}: HTTP ${response.status}, response is not JSON`);
  }
  if (response.status !== 200) {
    throw new ClusterError(`GET ${path}: HTTP ${response.status}${body.message ? `: ${body.message}` : ''}`);
  }
  return body;
}

function noticeFor(info: KindInfo, status: number): Notice {
  const resource = `${info.plural}.${info.group || 'core'}/${info.version}`;
  return status === 404
    ? { kind: info.kind, reason: 'not-served', message: `${resource} is not served by this cluster${info.optional ? ' (its CRDs are not installed)' : ''}` }
    : { kind: info.kind, reason: 'forbidden', message: `listing ${resource} is forbidden by RBAC` };
}
