// A snapshot is the set of objects one analysis sees, whichever source they came from.
// The collector admits each raw object (admission.ts), sorts it by kind, counts an object once
// however many files or lists repeat it, reads both Event APIs into one shape, and keeps the newest
// believable timestamps it saw (newest-times.ts), so offline analysis has a clock of its own.

import { admit } from './admission.ts';
import { kindInfo, type KindName } from './kinds.ts';
import { NamespacedMap } from './namespaced-map.ts';
import { NewestTimes, type TimeWitness } from './newest-times.ts';
import { parseTime, toRfc3339 } from './time.ts';
import type {
  ClusterEvent, CSIDriver, CSINode, Deployment, KubeObject, Node, ObjectRef, PersistentVolume, PersistentVolumeClaim,
  HorizontalPodAutoscaler, Pod, PodDisruptionBudget, RawEvent, ReplicaSet, ResourceQuota, ScaledObject, StatefulSet, StorageClass,
  PrometheusRule, VeleroBackup, VeleroSchedule, VolumeAttachment, VolumeSnapshot,
} from './types.ts';

/** Something the analysis could not see or use, said once in the report. A notice about a whole
 *  kind (not served, forbidden, absent) weakens the checks that read that kind. */
export interface Notice {
  kind: string;
  reason: 'not-served' | 'forbidden' | 'absent' | 'invalid' | 'duplicate' | 'check-failed' | 'empty-namespace';
  message: string;
  /** The object concerned, for notices about one object. */
  object?: ObjectRef;
  /** Where the object was read: file:line, or the list request. */
  source?: string;
  /** How many objects a notice about several stands for (1 when absent). */
  count?: number;
}

export const KIND_NOTICES: ReadonlySet<Notice['reason']> = new Set(['not-served', 'forbidden', 'absent']);

export interface Snapshot {
  namespaces: KubeObject[];
  nodes: Node[];
  pods: Pod[];
  claims: PersistentVolumeClaim[];
  volumes: PersistentVolume[];
  storageClasses: StorageClass[];
  csiDrivers: CSIDriver[];
  csiNodes: CSINode[];
  attachments: VolumeAttachment[];
  statefulSets: StatefulSet[];
  deployments: Deployment[];
  replicaSets: ReplicaSet[];
  events: ClusterEvent[];
  resourceQuotas: ResourceQuota[];
  disruptionBudgets: PodDisruptionBudget[];
  volumeSnapshots: VolumeSnapshot[];
  volumeSnapshotContents: KubeObject[];
  volumeSnapshotClasses: KubeObject[];
  autoscalers: HorizontalPodAutoscaler[];
  scaledObjects: ScaledObject[];
  prometheusRules: PrometheusRule[];
  veleroSchedules: VeleroSchedule[];
  veleroBackups: VeleroBackup[];
  notices: Notice[];
  /** The same objects by kind, namespace ('' for cluster-scoped kinds) and name, as the collector
   *  counted them once; the model uses these maps as its own instead of building them again. */
  byKey: Map<string, NamespacedMap<KubeObject>>;
  /** Set by `stsvol snapshot` in the file it writes: the moment the cluster was read. */
  capturedAt?: number;
  /** The objects with the newest believable timestamps, newest first, one time each: the witnesses
   *  clock.ts chooses the clock of a dump from when it does not say when it was taken. Timestamps
   *  after `notAfter` (a node whose clock is set to 2099) are left out. */
  newestTimes: readonly TimeWitness[];
  /** How many timestamps were left out as later than `notAfter`, and the latest of them. */
  futureTimestamps?: { count: number; latest: string; object: ObjectRef };
}

type ObjectField = Exclude<keyof Snapshot, 'notices' | 'byKey' | 'capturedAt' | 'newestTimes' | 'futureTimestamps' | 'events'>;

export const FIELD_OF_KIND: Record<Exclude<KindName, 'Event'>, ObjectField> = {
  Namespace: 'namespaces',
  Node: 'nodes',
  Pod: 'pods',
  PersistentVolumeClaim: 'claims',
  PersistentVolume: 'volumes',
  StorageClass: 'storageClasses',
  CSIDriver: 'csiDrivers',
  CSINode: 'csiNodes',
  VolumeAttachment: 'attachments',
  StatefulSet: 'statefulSets',
  Deployment: 'deployments',
  ReplicaSet: 'replicaSets',
  ResourceQuota: 'resourceQuotas',
  PodDisruptionBudget: 'disruptionBudgets',
  VolumeSnapshot: 'volumeSnapshots',
  VolumeSnapshotContent: 'volumeSnapshotContents',
  VolumeSnapshotClass: 'volumeSnapshotClasses',
  HorizontalPodAutoscaler: 'autoscalers',
  ScaledObject: 'scaledObjects',
  PrometheusRule: 'prometheusRules',
  Schedule: 'veleroSchedules',
  Backup: 'veleroBackups',
};

export function emptySnapshot(): Snapshot {
  return {
    namespaces: [], nodes: [], pods: [], claims: [], volumes: [], storageClasses: [], csiDrivers: [], csiNodes: [],
    attachments: [], statefulSets: [], deployments: [], replicaSets: [], events: [], resourceQuotas: [],
    disruptionBudgets: [], volumeSnapshots: [], volumeSnapshotContents: [], volumeSnapshotClasses: [], autoscalers: [], scaledObjects: [], prometheusRules: [], veleroSchedules: [], veleroBackups: [], notices: [],
    byKey: new Map(), newestTimes: [],
  };
}

/** "namespace/name", the key of a namespaced object. */
export function keyOf(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

export function refOf(obj: KubeObject): ObjectRef {
  return obj.metadata.namespace
    ? { kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name }
    : { kind: obj.kind, name: obj.metadata.name };
}

export function normalizeEvent(raw: RawEvent): ClusterEvent {
  const regarding = raw.regarding ?? raw.involvedObject ?? {};
  const firstTime = raw.firstTimestamp ?? raw.deprecatedFirstTimestamp ?? raw.eventTime ?? raw.metadata.creationTimestamp;
  const lastTime = raw.series?.lastObservedTime ?? raw.lastTimestamp ?? raw.deprecatedLastTimestamp ?? raw.eventTime ?? firstTime;
  return {
    uid: raw.metadata.uid,
    namespace: raw.metadata.namespace,
    name: raw.metadata.name,
    regarding: { kind: regarding.kind ?? '', namespace: regarding.namespace || undefined, name: regarding.name ?? '', uid: regarding.uid },
    reason: raw.reason ?? '',
    message: (raw.note ?? raw.message ?? '').trim(),
    type: raw.type ?? 'Normal',
    count: raw.series?.count ?? raw.count ?? raw.deprecatedCount ?? 1,
    firstTime,
    lastTime,
    reporter: raw.reportingController || raw.reportingComponent || raw.source?.component,
  };
}

/** Drops undefined fields, so YAML and JSON writers agree on what an object holds. */
function defined<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

/** An event back in core/v1 form, as `stsvol snapshot` writes it; normalizeEvent reads it back to
 *  the same ClusterEvent. */
export function eventToWire(e: ClusterEvent): RawEvent {
  return defined({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: defined({ name: e.name, namespace: e.namespace, uid: e.uid }),
    involvedObject: defined({ kind: e.regarding.kind, namespace: e.regarding.namespace, name: e.regarding.name, uid: e.regarding.uid }),
    reason: e.reason,
    message: e.message,
    type: e.type,
    count: e.count,
    firstTimestamp: e.firstTime,
    lastTimestamp: e.lastTime,
    source: e.reporter ? { component: e.reporter } : undefined,
  });
}

/** Where a raw object came from, for the notice that refuses it. */
export interface Origin {
  source: string;
}

export interface CollectorOptions {
  /** Timestamps later than this are not believed for the clock (see Snapshot.newestTimes). */
  notAfter?: number;
  /** The analysis has its clock already (live, or --now): no timestamp need be read for one. */
  clockKnown?: boolean;
}

type Added = 'added' | 'duplicate' | 'refused' | 'unread';

/** Collects raw objects into a Snapshot. `add` says what became of each. */
export class SnapshotCollector {
  readonly snapshot: Snapshot = emptySnapshot();
  private readonly events = new Map<string, ClusterEvent>();
  private readonly notAfter: number;
  private readonly newest = new NewestTimes();
  private future: { count: number; latestMs: number; object: ObjectRef } | undefined;
  private duplicates = 0;
  private clockKnown: boolean;

  constructor(options: CollectorOptions = {}) {
    this.notAfter = options.notAfter ?? Number.POSITIVE_INFINITY;
    this.clockKnown = options.clockKnown ?? false;
  }

  /** A snapshot's own capture time was read (before its objects): the newest timestamp is moot. */
  knowClock(): void {
    this.clockKnown = true;
  }

  /** Admits one raw object; `unread` for kinds stsvol does not read (Secrets, Services, ...). */
  add(raw: unknown, origin?: Origin): Added {
    const rawKind = (raw as { kind?: unknown } | null)?.kind;
    const info = typeof rawKind === 'string' ? kindInfo(rawKind, (raw as { apiVersion?: unknown }).apiVersion) : undefined;
    if (!info) return 'unread';
    const kind = info.kind as KindName;
    const admitted = admit(raw, kind);
    if (admitted.problem) {
      this.snapshot.notices.push({
        kind, reason: 'invalid', object: looseRef(raw, kind), source: origin?.source,
        message: `skipped: ${admitted.problem.field} ${admitted.problem.message}`,
      });
      return 'refused';
    }
    return kind === 'Event' ? this.addEvent(admitted.object as RawEvent) : this.addObject(kind, info.namespaced, admitted.object);
  }

  /** Fills the snapshot's lists from the maps objects were counted in (insertion order: a newer copy
   *  of an object takes the place of the first). */
  finish(): Snapshot {
    for (const [kind, byKey] of this.snapshot.byKey) this.snapshot[FIELD_OF_KIND[kind as Exclude<KindName, 'Event'>]] = [...byKey.values()] as never;
    this.snapshot.events = [...this.events.values()];
    this.snapshot.newestTimes = this.newest.newestFirst;
    if (this.future) this.snapshot.futureTimestamps = { count: this.future.count, latest: toRfc3339(this.future.latestMs), object: this.future.object };
    if (this.duplicates) {
      this.snapshot.notices.push({ kind: '', reason: 'duplicate', message: `${this.duplicates} object${this.duplicates === 1 ? "" : "s"} appeared more than once in the input; each is counted once (the newest copy)` });
    }
    return this.snapshot;
  }

  /** An object is identified by namespace and name; a cluster-scoped one by its name alone,
   *  whatever namespace a dump may have written on it. */
  private addObject(kind: Exclude<KindName, 'Event'>, namespaced: boolean, obj: KubeObject): Added {
    let byKey = this.snapshot.byKey.get(kind);
    if (!byKey) this.snapshot.byKey.set(kind, (byKey = new NamespacedMap()));
    const namespace = namespaced ? (obj.metadata.namespace ?? '') : '';
    const kept = byKey.get(namespace, obj.metadata.name);
    if (kept === undefined || isNewer(obj, kept)) {
      byKey.set(namespace, obj.metadata.name, obj);
      this.noteTimes(obj);
    }
    if (kept === undefined) return 'added';
    this.duplicates++;
    return 'duplicate';
  }

  // The two Event APIs serve the same stored objects: a dump holding both lists each event twice.
  private addEvent(raw: RawEvent): Added {
    const identity = raw.metadata.uid ?? keyOf(raw.metadata.namespace, raw.metadata.name);
    const event = normalizeEvent(raw);
    const kept = this.events.get(identity);
    if (kept === undefined || (parseTime(event.lastTime) ?? 0) > (parseTime(kept.lastTime) ?? 0)) {
      this.events.set(identity, event);
      if (!this.clockKnown) this.newest.note(this.believable(event.lastTime, event), event.regarding);
    }
    return kept === undefined ? 'added' : 'duplicate';
  }

  // deletionTimestamp is left out on purpose: it is the end of a grace period, often in the future.
  private noteTimes(obj: KubeObject & { status?: { conditions?: { lastTransitionTime?: string; lastHeartbeatTime?: string }[]; lastPhaseTransitionTime?: string } }): void {
    if (this.clockKnown) return;
    let newest = this.believable(obj.metadata.creationTimestamp, obj);
    const status = obj.status;
    if (status) {
      newest = Math.max(newest, this.believable(status.lastPhaseTransitionTime, obj));
      for (const c of status.conditions ?? []) {
        newest = Math.max(newest, this.believable(c.lastTransitionTime, obj), this.believable(c.lastHeartbeatTime, obj));
      }
    }
    if (this.newest.admits(newest)) this.newest.note(newest, refOf(obj)); // the ref only when kept
  }

  /** The instant of a timestamp, or -Infinity when there is none or it is later than `notAfter`
   *  (then counted, with where it was: the report says how many were not believed). */
  private believable(text: string | undefined, where: KubeObject | ClusterEvent): number {
    const ms = parseTime(text);
    if (ms === undefined) return Number.NEGATIVE_INFINITY;
    if (ms <= this.notAfter) return ms;
    const future = this.future;
    if (!future || ms > future.latestMs) this.future = { count: (future?.count ?? 0) + 1, latestMs: ms, object: placeOf(where) };
    else future.count++;
    return Number.NEGATIVE_INFINITY;
  }
}

function placeOf(where: KubeObject | ClusterEvent): ObjectRef {
  return 'regarding' in where ? { kind: 'Event', namespace: where.namespace, name: where.name } : refOf(where);
}

/** Of two copies of one object, the later: by resourceVersion when both are numbers (etcd's are),
 *  else by creation time, else the one read last. */
function isNewer(candidate: KubeObject, kept: KubeObject): boolean {
  const a = Number(candidate.metadata.resourceVersion);
  const b = Number(kept.metadata.resourceVersion);
  if (Number.isSafeInteger(a) && Number.isSafeInteger(b) && a !== b) return a > b;
  const ca = parseTime(candidate.metadata.creationTimestamp);
  const cb = parseTime(kept.metadata.creationTimestamp);
  if (ca !== undefined && cb !== undefined && ca !== cb) return ca > cb;
  return true;
}

/** The best name a refused object offers, for its notice. */
function looseRef(raw: unknown, kind: string): ObjectRef {
  const meta = (raw as { metadata?: { name?: unknown; namespace?: unknown } } | null)?.metadata;
  const name = typeof meta?.name === 'string' && meta.name ? meta.name : '(unnamed)';
  return typeof meta?.namespace === 'string' && meta.namespace ? { kind, namespace: meta.namespace, name } : { kind, name };
}
