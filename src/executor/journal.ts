// The journal of an operation: a ConfigMap in the cluster, so it survives the machine that ran the
// command. Written before the first change, it holds the request, the plan, what was saved (the
// StatefulSet before its re-creation) and each step's state. Every write carries the resourceVersion
// last read: two stsvol processes on one journal cannot both write; the later one to take it over
// wins and the other stops at its next step.

import { randomUUID } from 'node:crypto';
import { ClusterError } from '../model/errors.ts';
import { isPlanShaped, type JsonObject, type Plan } from '../plans/plan.ts';
import { ApiError, type KubeApi, type KubeObject } from '../model/kube-api.ts';

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
  /** The step wrote (was journaled 'acting'), as opposed to being skipped or found done already. */
  acted(step: string): boolean;
  /** The journal ConfigMap's uid: what stsvol stamps on an object it creates, to know it again. */
  readonly uid: string;
}

export interface JournalState {
  startedAt: string;
  updatedAt: string;
  steps: Record<string, StepState>;
  /** The steps that acted, in order: a step found done already is 'done' too, but never here. */
  acted?: string[];
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

/** A journal ConfigMap that cannot be read back (edited by hand, truncated, written by something
 *  else with stsvol's label): reported and left alone, never acted on, never fatal to another
 *  operation. */
export interface DamagedJournal {
  namespace: string;
  name: string;
  problem: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parsed(data: Record<string, unknown>, key: string): unknown {
  const text = data[key];
  if (typeof text !== 'string') throw new Error(`${key} is missing`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${key} is not JSON`);
  }
}

/** The journal a ConfigMap holds, checked as far as stsvol relies on it. */
function decode(cm: KubeObject): JournalRecord {
  const data = isObject(cm.data) ? cm.data : {};
  const plan = parsed(data, 'plan');
  if (!isPlanShaped(plan)) throw new Error('plan is not a plan of stsvol');
  const state = parsed(data, 'state');
  if (!isObject(state) || !isObject(state.steps)) throw new Error('state holds no step states');
  const saved: Record<string, JsonObject> = {};
  for (const key of Object.keys(data)) {
    if (!key.startsWith('saved.')) continue;
    const object = parsed(data, key);
    if (!isObject(object)) throw new Error(`${key} is not an object`);
    saved[key.slice(6)] = object;
  }
  return {
    name: cm.metadata.name, namespace: cm.metadata.namespace ?? '', plan, state: state as unknown as JournalState,
    saved, holder: typeof data.holder === 'string' ? data.holder : '', resourceVersion: cm.metadata.resourceVersion ?? '', uid: cm.metadata.uid ?? '',
  };
}

function decodeOrDamaged(cm: KubeObject): JournalRecord | DamagedJournal {
  try {
    return decode(cm);
  } catch (err) {
    return { namespace: cm.metadata.namespace ?? '', name: cm.metadata.name, problem: (err as Error).message };
  }
}

export function isDamaged(j: JournalRecord | DamagedJournal | undefined): j is DamagedJournal {
  return j !== undefined && 'problem' in j;
}

/** The one line that reports a damaged journal. */
export function damagedText(j: DamagedJournal): string {
  return `journal ${j.namespace}/${j.name} is damaged (${j.problem}): left alone; read it with kubectl get configmap ${j.name} -n ${j.namespace} -o yaml, and delete it once nothing it holds is needed`;
}

function encode(r: Omit<JournalRecord, 'resourceVersion' | 'uid'>): KubeObject {
  const data: Record<string, string> = { operation: r.plan.operation, request: JSON.stringify(r.plan.request), plan: JSON.stringify(r.plan), state: JSON.stringify(r.state), holder: r.holder };
  for (const [key, obj] of Object.entries(r.saved)) data[`saved.${key}`] = JSON.stringify(obj);
  const labels: Record<string, string> = { ...MANAGED_BY, [OPERATION_LABEL]: r.plan.operation };
  if (r.plan.subject.kind === 'StatefulSet') labels[STATEFULSET_LABEL] = r.plan.subject.name;
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: r.name, namespace: r.namespace, labels }, data };
}

export interface Journals {
  records: JournalRecord[];
  damaged: DamagedJournal[];
}

/** Every journal in a namespace (or all namespaces); those that cannot be read apart. */
export async function listJournals(api: KubeApi, namespace: string | undefined): Promise<Journals> {
  const items = await api.list('ConfigMap', namespace, { labelSelector: 'app.kubernetes.io/managed-by=stsvol' });
  const journals: Journals = { records: [], damaged: [] };
  for (const cm of items) {
    const j = decodeOrDamaged(cm);
    if (isDamaged(j)) journals.damaged.push(j);
    else journals.records.push(j);
  }
  return journals;
}

export async function readJournal(api: KubeApi, namespace: string, name: string): Promise<JournalRecord | DamagedJournal | undefined> {
  const cm = await api.get('ConfigMap', namespace, name);
  return cm ? decodeOrDamaged(cm) : undefined;
}

export class Journal implements JournalView {
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

  get uid(): string {
    return this.record.uid;
  }

  acted(step: string): boolean {
    return this.record.state.acted?.includes(step) ?? false;
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
    const acted = [...(r.state.acted ?? []).filter((s) => s !== step), step];
    await this.write({ ...r, state: { ...r.state, steps: { ...r.state.steps, [step]: state }, acted, updatedAt: now.toISOString() } });
  }

  async save(key: string, obj: JsonObject, now: Date): Promise<void> {
    await this.saveAll({ [key]: obj }, now);
  }

  /** Several keys in one write: what must be kept together (a StatefulSet and the pods it left). */
  async saveAll(objects: Record<string, JsonObject>, now: Date): Promise<void> {
    const r = this.record;
    await this.write({ ...r, saved: { ...r.saved, ...objects }, state: { ...r.state, updatedAt: now.toISOString() } });
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
      if (!current || isDamaged(current) || current.holder !== this.record.holder) throw new ClusterError(`journal ${next.namespace}/${next.name} was taken over by another stsvol run; this one stops`);
      this.record = current;
      await this.write(next);
    }
  }
}
