// The journal of an operation: a ConfigMap in the cluster, so it survives the machine that ran the
// command. Written before the first change, it holds the request, the plan, what was saved (the
// StatefulSet before its re-creation) and each step's state. Every write carries the resourceVersion
// last read: two stsvol processes on one journal cannot both write; the later one to take it over
// wins and the other stops at its next step.

import { randomUUID } from 'node:crypto';
import { ClusterError } from '../model/errors.ts';
import type { JsonObject, Plan } from '../plans/plan.ts';
import { ApiError, type KubeApi, type KubeObject } from './api.ts';

export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'stsvol' };
export const OPERATION_LABEL = 'stsvol.io/operation';
export const STATEFULSET_LABEL = 'stsvol.io/statefulset';

export type StepState = 'acting' | 'done' | 'skipped';

/** What the journal keeps that the cluster cannot give back, by key. */
export const SAVED_STATEFULSET = 'StatefulSet';
/** The pods an orphan delete left running, read right before it: the new StatefulSet adopts these. */
export const MEMBERS = 'members';
/** The StatefulSet this operation created again: later guards know it as the planned one. */
export const RECREATED = 'recreated';
export interface Members { pods: { name: string; uid: string }[] }
export interface Recreated { uid: string; generation: number }

/** What conditions read of a journal. */
export interface JournalView {
  saved<T extends JsonObject = KubeObject>(key: string): T | undefined;
}

export interface JournalState {
  startedAt: string;
  updatedAt: string;
  steps: Record<string, StepState>;
  /** Why the last run stopped, if it did. */
  stopped?: string;
}

export interface JournalRecord {
  name: string;
  namespace: string;
  plan: Plan;
  state: JournalState;
  /** What the cluster cannot give back: the StatefulSet before its orphan delete ("StatefulSet"),
   *  the pods it left running ("members"), the object stsvol created again ("recreated"). */
  saved: Record<string, JsonObject>;
  holder: string;
  resourceVersion: string;
  uid: string;
}

/** One journal per subject: statefulset/web → stsvol-statefulset-web. */
export function journalName(plan: Pick<Plan, 'subject'>): string {
  return `stsvol-${plan.subject.kind.toLowerCase()}-${plan.subject.name}`.slice(0, 253);
}

function decode(cm: KubeObject): JournalRecord {
  const data = (cm.data ?? {}) as Record<string, string>;
  const saved: Record<string, JsonObject> = {};
  for (const [key, value] of Object.entries(data)) if (key.startsWith('saved.')) saved[key.slice(6)] = JSON.parse(value) as JsonObject;
  return {
    name: cm.metadata.name, namespace: cm.metadata.namespace ?? '', plan: JSON.parse(data.plan ?? '{}') as Plan, state: JSON.parse(data.state ?? '{}') as JournalState,
    saved, holder: data.holder ?? '', resourceVersion: cm.metadata.resourceVersion ?? '', uid: cm.metadata.uid ?? '',
  };
}

function encode(r: Omit<JournalRecord, 'resourceVersion' | 'uid'>): KubeObject {
  const data: Record<string, string> = { operation: r.plan.operation, request: JSON.stringify(r.plan.request), plan: JSON.stringify(r.plan), state: JSON.stringify(r.state), holder: r.holder };
  for (const [key, obj] of Object.entries(r.saved)) data[`saved.${key}`] = JSON.stringify(obj);
  const labels: Record<string, string> = { ...MANAGED_BY, [OPERATION_LABEL]: r.plan.operation };
  if (r.plan.subject.kind === 'StatefulSet') labels[STATEFULSET_LABEL] = r.plan.subject.name;
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: r.name, namespace: r.namespace, labels }, data };
}

/** Every journal in a namespace (or all namespaces). */
export async function listJournals(api: KubeApi, namespace: string | undefined): Promise<JournalRecord[]> {
  const items = await api.list('ConfigMap', namespace, { labelSelector: 'app.kubernetes.io/managed-by=stsvol' });
  return items.filter((cm) => (cm.data as Record<string, string> | undefined)?.plan).map(decode);
}

export async function readJournal(api: KubeApi, namespace: string, name: string): Promise<JournalRecord | undefined> {
  const cm = await api.get('ConfigMap', namespace, name);
  return cm ? decode(cm) : undefined;
}

export class Journal {
  private record: JournalRecord;
  private readonly api: KubeApi;
  /** Steps found done or skipped since the last write: written with the next one. A resumed run
   *  needs them only once a later step acted (then they were written before it), so one write per
   *  acting step suffices instead of one per step. */
  private deferred: Record<string, StepState> = {};

  private constructor(api: KubeApi, record: JournalRecord) {
    this.api = api;
    this.record = record;
  }

  get plan(): Plan {
    return this.record.plan;
  }

  get name(): string {
    return this.record.name;
  }

  stateOf(step: string): StepState | undefined {
    return this.deferred[step] ?? this.record.state.steps[step];
  }

  saved<T extends JsonObject = KubeObject>(key: string): T | undefined {
    return this.record.saved[key] as T | undefined;
  }

  /** Writes a new journal; fails if one exists (the caller resumes that one instead). */
  static async create(api: KubeApi, plan: Plan, now: Date): Promise<Journal> {
    const base = { name: journalName(plan), namespace: plan.namespace, plan, saved: {}, holder: randomUUID(), state: { startedAt: now.toISOString(), updatedAt: now.toISOString(), steps: {} } };
    const cm = await api.create('ConfigMap', plan.namespace, encode(base));
    return new Journal(api, decode(cm));
  }

  /** Takes over an existing journal: from now on, a process still writing to it is refused. */
  static async resume(api: KubeApi, record: JournalRecord, now: Date): Promise<Journal> {
    const journal = new Journal(api, record);
    await journal.write({ ...record, holder: randomUUID(), state: { ...record.state, stopped: undefined, updatedAt: now.toISOString() } });
    return journal;
  }

  /** 'acting' is written at once, before the action; 'done' and 'skipped' go with the next write. */
  async mark(step: string, state: StepState, now: Date): Promise<void> {
    if (state !== 'acting') {
      this.deferred[step] = state;
      return;
    }
    const r = this.record;
    await this.write({ ...r, state: { ...r.state, steps: { ...r.state.steps, [step]: state }, updatedAt: now.toISOString() } });
  }

  async save(key: string, obj: JsonObject, now: Date): Promise<void> {
    const r = this.record;
    await this.write({ ...r, saved: { ...r.saved, [key]: obj }, state: { ...r.state, updatedAt: now.toISOString() } });
  }

  async stopped(reason: string, now: Date): Promise<void> {
    const r = this.record;
    await this.write({ ...r, state: { ...r.state, stopped: reason, updatedAt: now.toISOString() } });
  }

  /** The operation completed: the journal goes (only this one, by uid). */
  async remove(): Promise<void> {
    try {
      await this.api.delete('ConfigMap', this.record.namespace, this.record.name, { preconditions: { uid: this.record.uid } });
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) throw err;
    }
  }

  private async write(record: JournalRecord): Promise<void> {
    const next = { ...record, state: { ...record.state, steps: { ...record.state.steps, ...this.deferred } } };
    const encoded = encode(next);
    const body = { ...encoded, metadata: { ...encoded.metadata, resourceVersion: this.record.resourceVersion } };
    try {
      this.record = decode(await this.api.replace('ConfigMap', next.namespace, next.name, body));
      this.deferred = {};
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 409)) throw err;
      // A retried write that had landed, or another process: only the holder may go on.
      const current = await readJournal(this.api, next.namespace, next.name);
      if (!current || current.holder !== this.record.holder) throw new ClusterError(`journal ${next.namespace}/${next.name} was taken over by another stsvol run; this one stops`);
      this.record = current;
      await this.write(next);
    }
  }
}
