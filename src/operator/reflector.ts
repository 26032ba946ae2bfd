// Keeps one kind of the store current: list once, then watch from the list's resourceVersion, so
// the API's cost is one long request per kind whatever the number of objects. A watch that the
// server closes (its timeout) is resumed from the last resourceVersion seen; an expired one (410
// Gone: etcd compacted past it) and the periodic resync list again; errors back off exponentially.

import { ApiError, noticeFor, type KubeApi } from '../model/kube-api.ts';
import { listPath, type KindInfo, type KindName } from '../model/kinds.ts';
import type { ObjectStore } from '../model/store.ts';
import type { Logger } from './log.ts';
import { sleep } from './sleep.ts';

/** Streams one watch: calls `onEvent` per event, `onDone` once when it ends (error, close, or
 *  `signal`, which ends it at any moment, the connection still opening included). */
export type WatchFn = (
  path: string,
  query: Record<string, string | number | boolean>,
  onEvent: (type: string, object: unknown) => void,
  onDone: (err: unknown) => void,
  signal: AbortSignal,
) => void;

export type RestartReason = 'expired' | 'resync' | 'error' | 'closed';

export interface ReflectorDeps {
  /** The shared request layer: pages validated, paging bounded, aborted on shutdown. */
  api: KubeApi;
  watch: WatchFn;
  store: ObjectStore;
  log: Logger;
  onRestart: (kind: KindName, reason: RestartReason) => void;
  /** Relist this often even without trouble, to heal anything a watch could have missed. */
  resyncMs: number;
  pageSize?: number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
}

const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;
/** The server ends a watch after this long (jittered, like client-go's 5-10 minutes). */
const WATCH_TIMEOUT_S = 300;

class Expired extends Error {}

export class Reflector {
  /** Listed at least once (or known unreadable): the store is complete for this kind. */
  synced = false;
  private readonly info: KindInfo;
  private readonly d: ReflectorDeps;
  private backoffMs = FIRST_BACKOFF_MS;

  constructor(info: KindInfo, deps: ReflectorDeps) {
    this.info = info;
    this.d = deps;
  }

  get kind(): KindName {
    return this.info.kind as KindName;
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const listed = await this.list();
        if (!listed) {
          // Not served or forbidden: look again at the resync, the CRD may be installed by then.
          await this.sleep(this.d.resyncMs, signal);
          continue;
        }
        this.backoffMs = FIRST_BACKOFF_MS;
        await this.watchUntilResync(listed.version, signal);
      } catch (err) {
        if (signal.aborted) return;
        this.d.onRestart(this.kind, err instanceof Expired ? 'expired' : 'error');
        if (!(err instanceof Expired)) {
          this.d.log('warn', 'watch failed; retrying', { kind: this.kind, error: String((err as Error).message ?? err), retryInMs: this.backoffMs });
          await this.sleep(this.backoffMs, signal);
          this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
        }
      }
    }
  }

  /** Lists every page into the store; the list's resourceVersion ('' if it gave none: the watch
   *  then starts from the present), or undefined when the kind cannot be read. */
  private async list(): Promise<{ version: string } | undefined> {
    const seen = new Set<string>();
    let version: string | undefined;
    try {
      ({ resourceVersion: version } = await this.d.api.listPages(listPath(this.info), (items) => {
        for (const item of items) {
          if (this.d.store.upsert(this.kind, item) !== 'refused') seen.add((item as { metadata: { uid: string } }).metadata.uid);
        }
      }, { pageSize: this.d.pageSize }));
    } catch (err) {
      if (!(err instanceof ApiError && (err.status === 404 || err.status === 403))) throw err;
      // What was seen before is no longer known to be true: drop it, the notice says why.
      this.d.store.retain(this.kind, new Set());
      this.d.store.setNotice(this.kind, noticeFor(this.info, err.status));
      this.synced = true;
      return undefined;
    }
    this.d.store.retain(this.kind, seen);
    this.d.store.setNotice(this.kind, undefined);
    this.synced = true;
    return { version: version ?? '' };
  }

  /** Watches from `version`, resuming after server-side closes, until the resync is due. */
  private async watchUntilResync(version: string, signal: AbortSignal): Promise<void> {
    const resyncAt = Date.now() + this.d.resyncMs * (1 + 0.2 * this.random());
    let current = version;
    while (!signal.aborted) {
      const left = resyncAt - Date.now();
      if (left <= 0) {
        this.d.onRestart(this.kind, 'resync');
        return;
      }
      const opened = Date.now();
      current = await this.watchOnce(current, Math.max(1, Math.min(Math.ceil(left / 1000), Math.round(WATCH_TIMEOUT_S * (1 + this.random())))), signal);
      if (signal.aborted || Date.now() >= resyncAt) continue;
      this.d.onRestart(this.kind, 'closed');
      // A watch the server ends at once (a proxy cutting long requests) must not become a busy loop.
      if (Date.now() - opened < FIRST_BACKOFF_MS) {
        await this.sleep(this.backoffMs, signal);
        this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
      } else {
        this.backoffMs = FIRST_BACKOFF_MS;
      }
    }
  }

  /** One watch request; resolves with the last resourceVersion seen when the server closes it. */
  private watchOnce(version: string, timeoutSeconds: number, signal: AbortSignal): Promise<string> {
    const path = listPath(this.info);
    return new Promise<string>((resolve, reject) => {
      let latest = version;
      let failure: unknown;
      const own = new AbortController();
      const onEvent = (type: string, object: unknown) => {
        const metadata = (object as { metadata?: { uid?: string; resourceVersion?: string } } | undefined)?.metadata;
        if (type === 'ERROR') {
          const code = (object as { code?: number } | undefined)?.code;
          failure = code === 410 ? new Expired('watch expired') : new Error(`watch error: ${(object as { message?: string } | undefined)?.message ?? code}`);
          own.abort();
          return;
        }
        if (metadata?.resourceVersion) latest = metadata.resourceVersion;
        if (type === 'ADDED' || type === 'MODIFIED') this.d.store.upsert(this.kind, object);
        else if (type === 'DELETED' && metadata?.uid) this.d.store.delete(this.kind, metadata.uid);
      };
      const onDone = (err: unknown) => {
        const status = (err as { statusCode?: number } | null)?.statusCode;
        const error = failure ?? (status === 410 ? new Expired('watch expired') : signal.aborted ? undefined : err);
        if (error) reject(error);
        else resolve(latest);
      };
      this.d.watch(path, { ...(version ? { resourceVersion: version } : {}), allowWatchBookmarks: true, timeoutSeconds }, onEvent, onDone, AbortSignal.any([signal, own.signal]));
    });
  }

  private random(): number {
    return (this.d.random ?? Math.random)();
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return (this.d.sleep ?? sleep)(ms, signal);
  }
}
