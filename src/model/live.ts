// Reads a live cluster: one paginated list per kind, never one request per object, so a cluster of
// tens of thousands of pods costs a few dozen requests. A kind the cluster does not serve (no
// snapshot CRDs) or that RBAC forbids becomes a notice naming it; the analysis goes on without it.
// Every request goes through the one request layer (kube-api.ts): an answer that is not a
// Kubernetes list (a login page, a proxy's error), a list that would never end, or a cluster of
// which no kind at all could be read is an error: nothing is not the same as healthy.

import { ClusterError } from './errors.ts';
import { ApiError, KubeApi, noticeFor, READ_RETRY, type Transport } from './kube-api.ts';
import { KINDS, listPath, type KindInfo, type KindName } from './kinds.ts';
import { SnapshotCollector, type Notice, type Snapshot } from './snapshot.ts';

export type { Transport, TransportResponse, WritableTransport } from './kube-api.ts';

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

/** Kinds listed at once: a few lists in flight hide the round trips of twenty kinds, and each keeps
 *  only one page (500 objects) in memory at a time. */
const LISTS_IN_FLIGHT = 4;

/** A bare transport is read with the read policy (a short retry of transient answers). */
export function readingApi(source: Transport | KubeApi): KubeApi {
  return source instanceof KubeApi ? source : new KubeApi(source, { retry: READ_RETRY });
}

export async function loadLive(source: Transport | KubeApi, options: LiveOptions = {}): Promise<LiveLoad> {
  const api = readingApi(source);
  const collector = new SnapshotCollector({ clockKnown: true });
  const results: ListResult[] = new Array(KINDS.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < KINDS.length; i = next++) {
      const result = await listKind(api, KINDS[i]!, options, collector);
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

async function listKind(api: KubeApi, info: KindInfo, options: LiveOptions, collector: SnapshotCollector): Promise<ListResult> {
  const base = listPath(info, options.namespace);
  let items = 0;
  try {
    // Each page is admitted (and pruned) as it arrives, so the raw objects of a large cluster are
    // never all held at once.
    const { requests } = await api.listPages(base, (page) => {
      for (const item of page) {
        // Items of a typed list carry no kind; give it back so every object stands alone.
        if (item && typeof item === 'object' && !Array.isArray(item)) (item as { kind?: string }).kind = info.kind;
        if (collector.add(item, { source: `GET ${base}` }) === 'added') items++;
      }
    }, { pageSize: options.pageSize });
    return { items, requests };
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 403)) return { notice: noticeFor(info, err.status), requests: 1 };
    throw err;
  }
}
