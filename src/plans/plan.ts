// A plan is data: typed steps that say what to change, what must hold right before (checked against
// the live cluster, not the model the plan was made from), what "done" looks like, and how to undo
// it. Planners only build plans; the executor is the one place that acts on them. Because "done" is
// a fact about the cluster, not a record of having acted, a plan run again after a crash skips what
// already happened and converges.

/** The kinds a plan touches. */
export type TargetKind = 'Namespace' | 'Pod' | 'PersistentVolumeClaim' | 'PersistentVolume' | 'StatefulSet' | 'Node' | 'VolumeAttachment' | 'VolumeSnapshot';

export interface Target {
  kind: TargetKind;
  namespace?: string;
  name: string;
  /** The object the plan was made for; a write to an object of another uid is refused. */
  uid?: string;
}

import type { JsonObject } from '../model/kube-api.ts';
import type { CostEstimate, CostLine } from '../model/pricing.ts';

export type { CostEstimate, CostLine, JsonObject };

export interface TemplateSize {
  template: string;
  storage: string;
}

/** The one change a step makes. 'none' steps only wait. */
export type Action =
  | { verb: 'none' }
  /** Copy the object as the server has it into the journal (the StatefulSet before its re-creation). */
  | { verb: 'save'; target: Target }
  /** A JSON merge patch, sent with the resourceVersion read right before it. */
  | { verb: 'patch'; target: Target; patch: JsonObject }
  /** `orphan` deletes a StatefulSet with --cascade=orphan, recording first in the journal the pods it
   *  leaves running (name and uid, read right then): the re-created StatefulSet must adopt exactly those. */
  | { verb: 'delete'; target: Target; orphan?: boolean; force?: boolean }
  /** Delete through the Eviction API, so PodDisruptionBudgets are honoured. */
  | { verb: 'evict'; target: Target }
  | { verb: 'create'; manifest: JsonObject & { kind: TargetKind; metadata: { name: string; namespace?: string; labels?: Record<string, string> } } }
  /** Create the StatefulSet saved in the journal again, its claim templates at these sizes; the
   *  journal records the new object's uid and generation, so later guards know it as ours. */
  | { verb: 'recreate'; target: Target; sizes: TemplateSize[] }
  | { verb: 'taint-out-of-service'; target: Target };

/** A fact about the live cluster. */
export type Expectation =
  | { type: 'claim-requests'; claim: Target; atLeast: string }
  /** capacity ≥ atLeast, or (`orFileSystemPendingFor`) the file system has waited for a remount that
   *  long, or (`orInUse`) the resizer refuses because a pod uses the volume (a driver that expands
   *  only offline) */
  | { type: 'claim-expanded'; claim: Target; atLeast: string; orFileSystemPendingFor?: number; orInUse?: boolean }
  /** the controller's part is done: capacity ≥ atLeast, or only the node's part (the file system) is left */
  | { type: 'claim-controller-expanded'; claim: Target; atLeast: string }
  /** external-resizer refused the expansion because a pod uses the volume: the driver expands only offline */
  | { type: 'claim-expansion-in-use'; claim: Target }
  | { type: 'claim-file-system-pending'; claim: Target }
  | { type: 'claim-unused'; claim: Target }
  | { type: 'pod-ready'; pod: Target; notUid?: string; notOnNode?: string }
  /** every replica but `except` is Ready: taking one down leaves at most one down */
  | { type: 'others-ready'; sts: Target; except: string }
  | { type: 'gone'; target: Target }
  | { type: 'statefulset-unchanged'; sts: Target; generation?: number; replicas: number }
  | { type: 'statefulset-replicas'; sts: Target; replicas: number }
  /** the live StatefulSet does not run this ordinal: it is outside [ordinals.start, start + replicas) */
  | { type: 'statefulset-excludes-ordinal'; sts: Target; ordinal: number }
  | { type: 'statefulset-template'; sts: Target; sizes: TemplateSize[] }
  | { type: 'statefulset-settled'; sts: Target; replicas: number }
  /** owns, unrestarted and Ready, the pods recorded when the old StatefulSet was orphan-deleted */
  | { type: 'statefulset-adopted'; sts: Target }
  /** no rollout is unfinished: status.currentRevision equals updateRevision (re-creating resets revision tracking) */
  | { type: 'statefulset-rollout-complete'; sts: Target }
  /** the API server admits the journal's saved StatefulSet as it will be created again (server dry run) */
  | { type: 'statefulset-recreatable'; sts: Target; sizes: TemplateSize[] }
  | { type: 'node-fenced'; node: string }
  | { type: 'node-not-ready'; node: string }
  | { type: 'node-gone'; node: string }
  | { type: 'detached'; volume: string; node: string }
  | { type: 'volume-released'; volume: Target }
  /** Available and reserved for no claim: any claim of its class could still bind it */
  | { type: 'volume-open'; volume: Target }
  | { type: 'volume-reserved'; volume: Target; claim: { namespace: string; name: string } }
  /** ReadyToUse, and a snapshot of exactly this claim (its source, and the uid it was labelled with) */
  | { type: 'snapshot-ready'; snapshot: Target; claim: Target }
  /** an earlier step of this operation acted (its journal says so): the steps that only make sense
   *  after it (the offline path after its orphan delete) apply on that, not on what the cluster shows */
  | { type: 'step-acted'; step: string }
  /** no open volume fits a new claim like `wish` but those open when the plan was made and judged
   *  safe there (static volumes of a class without a provisioner, volumes no Ready node can reach):
   *  one released since (a Retain claim deleted, a volume put back) would be bound by a new replica */
  | { type: 'no-new-open-volumes'; wish: { className: string; bytes: number; accessModes: string[]; volumeMode?: string }; known: string[] }
  /** the StatefulSet runs replicas and no autoscaler (HorizontalPodAutoscaler, KEDA ScaledObject)
   *  targets it: the claims above its replicas are unused, not parked until it scales back */
  | { type: 'statefulset-not-parked'; sts: Target }
  /** the PodDisruptionBudgets that select the pod allow one more disruption now */
  | { type: 'disruption-allowed'; pod: Target };

export interface Step {
  /** Stable within a plan: the journal records state by it. */
  id: string;
  title: string;
  action: Action;
  /** Checked live right before acting; one that fails stops the operation with the journal kept.
   *  A condition about the very object the action writes (volume-open, volume-released) pins the
   *  resourceVersion it was judged on: the write carries it, so the API refuses the write if the
   *  object changed between the judgement and the write (a binder that bound it meanwhile). */
  requires: Expectation[];
  /** Done when it holds: skipped if it already does, awaited after acting. */
  until?: Expectation;
  /** The step applies only if this holds when its turn comes. */
  when?: Expectation;
  /** How long to wait for `until` before stopping, in seconds (the executor's default otherwise). */
  waitSeconds?: number;
  /** How to undo the step by hand, or why it needs no undo. */
  undo: string;
}

export type Operation = 'resize' | 'scale' | 'recover' | 'reclaim';

export interface Plan {
  operation: Operation;
  /** What the operation is about; one operation per subject at a time (the journal's key). */
  subject: Target;
  /** Where the journal lives. */
  namespace: string;
  /** The request as given, normalised: running the same request again resumes this plan. */
  request: JsonObject;
  /** What will happen, in a few lines. */
  summary: string[];
  /** Things to know before applying (a GitOps owner that will fight the change). */
  warnings: string[];
  /** What to do after the plan completes (a Helm values change, removing a fence). */
  afterwards: string[];
  steps: Step[];
  cost?: CostEstimate;
  /** What the plan keeps on purpose though it looks unused (reclaim: parked claims), priced. */
  parked?: CostEstimate;
}

/** Why a plan must not be applied (exit 4). */
export interface Refusal {
  code: string;
  message: string;
}

export interface PlanResult {
  plan: Plan;
  refusals: Refusal[];
}

export function targetText(t: Target): string {
  return `${t.kind.toLowerCase()}/${t.name}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A plan as far as a reader relies on its shape (a journal read back, a saved plan file). */
export function isPlanShaped(value: unknown): value is Plan {
  return isObject(value) && typeof value.operation === 'string' && isObject(value.subject) && typeof value.subject.kind === 'string' && typeof value.subject.name === 'string'
    && typeof value.namespace === 'string' && isObject(value.request) && Array.isArray(value.steps) && value.steps.every((s) => isObject(s) && typeof s.id === 'string' && isObject(s.action))
    && ['summary', 'warnings', 'afterwards'].every((k) => value[k] === undefined || Array.isArray(value[k]));
}
