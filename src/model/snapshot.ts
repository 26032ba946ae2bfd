// A snapshot is the set of objects one analysis sees, whichever source they came from.
// The collector sorts raw objects by kind, reads both Event APIs into one shape, and remembers the
// newest timestamp it saw so offline analysis has a clock of its own.

import { kindInfo, type KindName } from './kinds.ts';
import { parseTime } from './time.ts';
import type {
  ClusterEvent, CSIDriver, CSINode, Deployment, KubeObject, Node, PersistentVolume, PersistentVolumeClaim,
  Pod, PodDisruptionBudget, ReplicaSet, ResourceQuota, StatefulSet, StorageClass, VolumeAttachment, VolumeSnapshot,
} from './types.ts';

/** A kind the analysis could not see, and the checks that see less because of it. */
export interface Notice {
  kind: string;
  reason: 'not-served' | 'forbidden' | 'absent';
  message: string;
}

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
  notices: Notice[];
  /** Set by `stsvol snapshot` in the file it writes: the moment the cluster was read. */
  capturedAt?: number;
  /** The newest timestamp found in any object: the clock of a dump that does not say when it was taken. */
  newestTimestamp?: number;
}

type SnapshotField = Exclude<keyof Snapshot, 'notices' | 'capturedAt' | 'newestTimestamp' | 'events'>;

const FIELD_OF_KIND: Record<Exclude<KindName, 'Event'>, SnapshotField> = {
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
};

export function emptySnapshot(): Snapshot {
  return {
    namespaces: [], nodes: [], pods: [], claims: [], volumes: [], storageClasses: [], csiDrivers: [], csiNodes: [],
    attachments: [], statefulSets: [], deployments: [], replicaSets: [], events: [], resourceQuotas: [],
    disruptionBudgets: [], volumeSnapshots: [], volumeSnapshotContents: [], volumeSnapshotClasses: [], notices: [],
  };
}

/** Raw event fields of both APIs; see ClusterEvent for why they are merged. */
interface RawEvent extends KubeObject {
  involvedObject?: { kind?: string; namespace?: string; name?: string; uid?: string };
  regarding?: { kind?: string; namespace?: string; name?: string; uid?: string };
  reason?: string;
  message?: string;
  note?: string;
  type?: string;
  count?: number;
  deprecatedCount?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  deprecatedFirstTimestamp?: string;
  deprecatedLastTimestamp?: string;
  eventTime?: string;
  series?: { count?: number; lastObservedTime?: string };
  source?: { component?: string };
  reportingComponent?: string;
  reportingController?: string;
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

/** Collects objects into a Snapshot; `add` returns false for kinds stsvol does not read. */
export class SnapshotCollector {
  readonly snapshot: Snapshot = emptySnapshot();
  private readonly seenEvents = new Set<string>();
  private newest = Number.NEGATIVE_INFINITY;

  add(obj: KubeObject): boolean {
    if (obj.kind === 'Event') {
      this.addEvent(obj as RawEvent);
      return true;
    }
    const info = kindInfo(obj.kind);
    if (!info) return false;
    const field = FIELD_OF_KIND[info.kind as Exclude<KindName, 'Event'>];
    (this.snapshot[field] as KubeObject[]).push(obj);
    this.noteTimes(obj);
    return true;
  }

  finish(): Snapshot {
    if (Number.isFinite(this.newest)) this.snapshot.newestTimestamp = this.newest;
    return this.snapshot;
  }

  private addEvent(raw: RawEvent): void {
    // The two Event APIs serve the same stored objects: a dump holding both lists each event twice.
    const key = raw.metadata.uid ?? `${raw.metadata.namespace}/${raw.metadata.name}`;
    if (this.seenEvents.has(key)) return;
    this.seenEvents.add(key);
    const event = normalizeEvent(raw);
    this.snapshot.events.push(event);
    this.noteTime(event.lastTime);
  }

  // deletionTimestamp is left out on purpose: it is the end of a grace period, often in the future.
  private noteTimes(obj: KubeObject & { status?: { conditions?: { lastTransitionTime?: string; lastHeartbeatTime?: string }[]; lastPhaseTransitionTime?: string } }): void {
    this.noteTime(obj.metadata?.creationTimestamp);
    const status = obj.status;
    if (!status) return;
    this.noteTime(status.lastPhaseTransitionTime);
    if (Array.isArray(status.conditions)) {
      for (const c of status.conditions) {
        this.noteTime(c.lastTransitionTime);
        this.noteTime(c.lastHeartbeatTime);
      }
    }
  }

  private noteTime(text: string | undefined): void {
    const ms = parseTime(text);
    if (ms !== undefined && ms > this.newest) this.newest = ms;
  }
}
