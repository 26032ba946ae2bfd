// A plan's conditions, judged against the live cluster at the moment they matter. `failed` means
// waiting longer cannot help (the controller reported an error, the object was replaced): the
// operation stops instead of timing out.

import { isInUseResizeError } from '../checks/resize.ts';
import { fitsOpen } from '../checks/recipes/prebind.ts';
import { AUTOSCALER_KINDS } from '../checks/workload.ts';
import { RECREATED_BY_ANNOTATION, SNAPSHOT_CLAIM_UID_LABEL } from '../model/annotations.ts';
import { isFenced, isOutOfService } from '../model/cluster-model.ts';
import { selects } from '../model/label-selector.ts';
import { parseQuantity } from '../model/quantity.ts';
import type { PersistentVolume } from '../model/types.ts';
import type { Expectation, JsonObject, Target } from '../plans/plan.ts';
import { isPodReady } from '../plans/targets.ts';
import { memberPods, recreateRefusal } from './actions.ts';
import { ApiError, type KubeApi, type KubeObject } from '../model/kube-api.ts';
import { MEMBERS, RECREATED, SAVED_STATEFULSET, type JournalView, type Members, type Recreated } from './journal.ts';

export interface Verdict {
  holds: boolean;
  /** What is seen instead, for progress output and stop messages. */
  detail?: string;
  /** Set when the condition can no longer come true by waiting. */
  failed?: boolean;
  /** The version of the object the condition was judged on (for conditions about the object a step
   *  writes): the write carries it, so it lands only on exactly what was judged. */
  resourceVersion?: string;
}

type Any = Record<string, any>;
type Condition = { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string };

const yes: Verdict = { holds: true };
const seen = (obj: Any): Verdict => ({ holds: true, resourceVersion: obj.metadata?.resourceVersion });
/** The object exists and is the one planned for (same uid, when the plan knew it). */
const sameObject = (obj: Any | undefined, t: Target): obj is Any => Boolean(obj) && (!t.uid || obj!.metadata?.uid === t.uid);
const no = (detail: string, failed = false): Verdict => ({ holds: false, detail, ...(failed ? { failed } : {}) });

const conditionOf = (obj: Any | undefined, type: string): Condition | undefined => (obj?.status?.conditions as Condition[] | undefined)?.find((c) => c.type === type && c.status === 'True');
const bytes = (q: unknown) => parseQuantity(typeof q === 'string' ? q : undefined) ?? 0;


/** The resizer waits for the volume to be free: a driver that expands only offline. */
function inUseError(claim: Any | undefined): Condition | undefined {
  const error = conditionOf(claim, 'ControllerResizeError');
  return isInUseResizeError(error) ? error : undefined;
}

/** The node's part of an expansion is what is left: FileSystemResizePending, or NodeResize* status. */
function nodePartPending(claim: Any): boolean {
  return Boolean(conditionOf(claim, 'FileSystemResizePending')) || /^NodeResize(Pending|InProgress)$/.test(claim.status?.allocatedResourceStatuses?.storage ?? '');
}

export async function judge(e: Expectation, api: KubeApi, now: number, journal?: JournalView): Promise<Verdict> {
  switch (e.type) {
    case 'claim-requests': {
      const claim = await api.read(e.claim) as Any | undefined;
      if (!claim) return no(`claim ${e.claim.name} does not exist`, true);
      const want = claim.spec?.resources?.requests?.storage;
      return bytes(want) >= bytes(e.atLeast) ? yes : no(`requests ${want}`);
    }
    case 'claim-expanded':
      return claimExpanded(api, e, now);
    case 'claim-controller-expanded': {
      const claim = await api.read(e.claim) as Any | undefined;
      if (!claim) return no(`claim ${e.claim.name} does not exist`, true);
      if (bytes(claim.status?.capacity?.storage) >= bytes(e.atLeast) || nodePartPending(claim)) return yes;
      if (inUseError(claim)) return no('the resizer waits for the volume to be free (no pod using it)');
      return resizeFailure(claim) ?? no(`capacity ${claim.status?.capacity?.storage ?? '?'}${conditionOf(claim, 'Resizing') ? ', resizing' : ''}`);
    }
    case 'claim-expansion-in-use': {
      const claim = await api.read(e.claim) as Any | undefined;
      const error = inUseError(claim);
      return error ? yes : no('the resizer has not refused it as in use');
    }
    case 'claim-file-system-pending': {
      const claim = await api.read(e.claim) as Any | undefined;
      return conditionOf(claim, 'FileSystemResizePending') && bytes(claim?.status?.capacity?.storage) < bytes(claim?.spec?.resources?.requests?.storage) ? yes : no('no remount pending');
    }
    case 'claim-unused': {
      const users = (await api.list('Pod', e.claim.namespace)).filter((p: Any) => !['Succeeded', 'Failed'].includes(p.status?.phase) && (p.spec?.volumes ?? []).some((v: Any) => v.persistentVolumeClaim?.claimName === e.claim.name));
      return users.length ? no(`used by pod ${users.map((p) => p.metadata.name).join(', ')}`, true) : yes;
    }
    case 'pod-ready': {
      const pod = await api.read(e.pod) as Any | undefined;
      if (!pod) return no(`pod ${e.pod.name} does not exist yet`);
      if (e.notUid && pod.metadata.uid === e.notUid) return no(`pod ${e.pod.name} is still the old one${pod.metadata.deletionTimestamp ? ' (terminating)' : ''}`);
      if (e.notOnNode && pod.spec?.nodeName === e.notOnNode) return no(`pod ${e.pod.name} is on ${e.notOnNode} again`);
      return isPodReady(pod) ? yes : no(`pod ${e.pod.name} is ${pod.status?.phase ?? 'not Ready'}${pod.spec?.nodeName ? ` on ${pod.spec.nodeName}` : ', not scheduled'}`);
    }
    case 'others-ready':
      return othersReady(api, e.sts, e.except, journal);
    case 'gone': {
      const obj = await api.read(e.target);
      return !obj || (e.target.uid !== undefined && obj.metadata.uid !== e.target.uid) ? yes : no(`${e.target.kind} ${e.target.name} still exists${obj.metadata.deletionTimestamp ? ' (being deleted)' : ''}`);
    }
    case 'statefulset-unchanged': {
      const sts = await api.read(byName(e.sts)) as Any | undefined;
      // The one planned for, or the one this operation created again (its generation then starts anew):
      // known by the journal's record of it, or, after a crash before that record, by its stamp.
      const recreated = journal?.saved<Recreated & JsonObject>(RECREATED);
      const ours = sts && (recreated?.uid === sts.metadata.uid || (journal?.uid && sts.metadata.annotations?.[RECREATED_BY_ANNOTATION] === journal.uid));
      if (!sts || (!ours && e.sts.uid && sts.metadata.uid !== e.sts.uid)) return no(`statefulset ${e.sts.name} was ${sts ? 'replaced' : 'deleted'} by someone else`, true);
      if ((sts.spec?.replicas ?? 1) !== e.replicas) return no(`statefulset ${e.sts.name} was scaled to ${sts.spec?.replicas} replicas since the plan (${e.replicas})`, true);
      const generation = ours ? (recreated?.uid === sts.metadata.uid ? recreated!.generation : 1) : e.generation;
      if (generation !== undefined && sts.metadata.generation !== generation) return no(`statefulset ${e.sts.name} was changed since the plan (generation ${generation} → ${sts.metadata.generation})`, true);
      return seen(sts);
    }
    case 'statefulset-rollout-complete': {
      const sts = await api.read(e.sts) as Any | undefined;
      if (!sts) return no(`statefulset ${e.sts.name} does not exist`, true);
      const { currentRevision, updateRevision, observedGeneration } = sts.status ?? {};
      if (currentRevision && updateRevision && currentRevision !== updateRevision) return no(`a rollout is unfinished (currentRevision ${currentRevision}, updateRevision ${updateRevision})`, true);
      return (observedGeneration ?? 0) >= (sts.metadata.generation ?? 0) ? yes : no('the controller has not seen its last change yet');
    }
    case 'statefulset-recreatable': {
      const saved = journal?.saved(SAVED_STATEFULSET);
      if (!saved) return no('the journal holds no saved StatefulSet', true);
      const refusal = await recreateRefusal(api, saved, e.sizes, journal?.uid);
      return refusal ? no(refusal, true) : yes;
    }
    case 'statefulset-replicas': {
      const sts = await api.read(e.sts) as Any | undefined;
      return sts && (sts.spec?.replicas ?? 1) === e.replicas ? yes : no(sts ? `asks for ${sts.spec?.replicas ?? 1} replicas` : 'does not exist');
    }
    case 'statefulset-excludes-ordinal': {
      const sts = await api.read(e.sts) as Any | undefined;
      if (!sts) return no(`statefulset ${e.sts.name} does not exist, so nothing proves its ordinals are unused (is it being re-created?)`, true);
      const start = sts.spec?.ordinals?.start ?? 0;
      const end = start + (sts.spec?.replicas ?? 1);
      return e.ordinal < start || e.ordinal >= end ? yes : no(`statefulset ${e.sts.name} runs ordinals ${start} to ${end - 1}, ${e.ordinal} among them`, true);
    }
    case 'statefulset-template': {
      const sts = await api.read(e.sts) as Any | undefined;
      if (!sts) return no(`statefulset ${e.sts.name} does not exist`);
      const wrong = e.sizes.filter((s) => bytes((sts.spec?.volumeClaimTemplates ?? []).find((t: Any) => t.metadata?.name === s.template)?.spec?.resources?.requests?.storage) !== bytes(s.storage));
      return wrong.length ? no(`statefulset ${e.sts.name} exists with other claim template sizes`, true) : yes;
    }
    case 'statefulset-settled':
      return settled(api, e.sts, e.replicas);
    case 'statefulset-adopted':
      return adopted(api, e.sts, journal?.saved<Members & JsonObject>(MEMBERS)?.pods);
    case 'node-fenced': {
      const node = await api.get('Node', undefined, e.node) as Any | undefined;
      if (isFenced(node)) return yes;
      return no(isOutOfService(node!) ? `node ${e.node} is tainted out-of-service but reports Ready: it came back, so it is not fenced` : `node ${e.node} is not fenced`, true);
    }
    case 'node-not-ready': {
      const node = await api.get('Node', undefined, e.node) as Any | undefined;
      return node && conditionOf(node, 'Ready') ? no(`node ${e.node} reports Ready: it is not down`, true) : yes;
    }
    case 'node-gone':
      return (await api.get('Node', undefined, e.node)) ? no(`node ${e.node} exists`, true) : yes;
    case 'detached': {
      const left = (await api.list('VolumeAttachment', undefined)).filter((va: Any) => va.spec?.source?.persistentVolumeName === e.volume && va.spec?.nodeName === e.node);
      return left.length ? no(`attachment ${left[0]!.metadata.name} still holds ${e.volume} on ${e.node}`) : yes;
    }
    case 'volume-released': {
      const pv = await api.read(e.volume) as Any | undefined;
      if (!sameObject(pv, e.volume)) return no(`volume ${e.volume.name} is ${pv ? 'another object now' : 'gone'}`, true);
      return pv.status?.phase === 'Released' ? seen(pv) : no(`volume ${e.volume.name} is ${pv.status?.phase ?? 'without a phase'}`, true);
    }
    case 'volume-open': {
      const pv = await api.read(e.volume) as Any | undefined;
      if (!sameObject(pv, e.volume)) return no(`volume ${e.volume.name} is ${pv ? 'another object now' : 'gone'}`, true);
      const ref = pv.spec?.claimRef;
      if (pv.status?.phase !== 'Available' || ref) return no(`volume ${e.volume.name} is ${pv.status?.phase ?? 'without a phase'}${ref ? `, reserved for ${ref.namespace}/${ref.name}` : ''}: it is not open any more, so it is left as it is`, true);
      return seen(pv);
    }
    case 'volume-reserved': {
      const pv = await api.read(e.volume) as Any | undefined;
      const ref = pv?.spec?.claimRef;
      return ref?.namespace === e.claim.namespace && ref?.name === e.claim.name ? yes : no(`volume ${e.volume.name} is reserved for ${ref ? `${ref.namespace}/${ref.name}` : 'no claim'}`);
    }
    case 'snapshot-ready': {
      const snap = await api.read(e.snapshot) as Any | undefined;
      if (!snap) return no(`snapshot ${e.snapshot.name} is missing`);
      const uid = snap.metadata.labels?.[SNAPSHOT_CLAIM_UID_LABEL];
      if (snap.spec?.source?.persistentVolumeClaimName !== e.claim.name || (e.claim.uid && uid !== e.claim.uid)) {
        return no(`snapshot ${e.snapshot.name} is not a snapshot of this claim ${e.claim.name}${uid ? ` (it was taken of the claim with uid ${uid})` : ''}: delete or rename it, the claim is not deleted until its own is ready`, true);
      }
      if (snap.status?.error?.message) return no(`snapshot ${e.snapshot.name} failed: ${snap.status.error.message}`, true);
      return snap.status?.readyToUse ? yes : no(`snapshot ${e.snapshot.name} is not ready yet`);
    }
    case 'statefulset-not-parked':
      return notParked(api, e.sts);
    case 'no-new-open-volumes': {
      const open = (await api.list('PersistentVolume', undefined) as unknown as PersistentVolume[]).filter((pv) => fitsOpen(pv, e.wish) && !e.known.includes(pv.metadata.name));
      return open.length ? no(`volume ${open.map((pv) => pv.metadata.name).join(', ')} is open in class ${e.wish.className} since the plan: a new replica could be given it (run the plan again: it refuses or quarantines it)`, true) : yes;
    }
    case 'step-acted':
      return journal?.acted(e.step) ? yes : no(`step ${e.step} did not act in this operation`);
    case 'disruption-allowed':
      return disruptionAllowed(api, e.pod);
  }
}

async function claimExpanded(api: KubeApi, e: Extract<Expectation, { type: 'claim-expanded' }>, now: number): Promise<Verdict> {
  const claim = await api.read(e.claim) as Any | undefined;
  if (!claim) return no(`claim ${e.claim.name} does not exist`, true);
  const capacity = claim.status?.capacity?.storage;
  if (bytes(capacity) >= bytes(e.atLeast)) return yes;
  if (inUseError(claim)) return e.orInUse ? yes : no('the resizer waits for the volume to be free (its driver expands only offline)');
  const failure = resizeFailure(claim);
  if (failure) return failure;
  const pending = conditionOf(claim, 'FileSystemResizePending');
  if (pending && e.orFileSystemPendingFor !== undefined) {
    const since = Date.parse(pending.lastTransitionTime ?? '');
    const waited = Number.isFinite(since) ? (now - since) / 1000 : 0;
    if (waited >= e.orFileSystemPendingFor) return yes;
    return no(`the file system waits for the node (${Math.floor(waited)}s of ${e.orFileSystemPendingFor}s before a restart)`);
  }
  return no(`capacity ${capacity ?? '?'}${conditionOf(claim, 'Resizing') ? ', resizing' : ''}`);
}

/** A resize that waiting cannot finish: a controller or node error, or an infeasible size. */
function resizeFailure(claim: Any): Verdict | undefined {
  const error = conditionOf(claim, 'ControllerResizeError') ?? conditionOf(claim, 'NodeResizeError');
  if (error) return no(`${error.type}: ${error.message ?? error.reason ?? ''}`, true);
  const infeasible = Object.values(claim.status?.allocatedResourceStatuses ?? {}).find((s) => String(s).endsWith('Infeasible'));
  return infeasible ? no(`the resize is ${infeasible}`, true) : undefined;
}

const byName = (t: Target): Target => ({ kind: t.kind, namespace: t.namespace, name: t.name });

/** The others of a StatefulSet that is orphan-deleted for a moment are judged by its saved copy. */
async function notParked(api: KubeApi, t: Target): Promise<Verdict> {
  const sts = await api.read(t) as Any | undefined;
  if (!sts) return no(`statefulset ${t.name} does not exist`, true);
  if ((sts.spec?.replicas ?? 1) === 0) return no(`statefulset ${t.name} is scaled to 0 now: its claims are parked`, true);
  for (const kind of AUTOSCALER_KINDS) {
    let scalers: Any[];
    try {
      scalers = await api.list(kind, t.namespace) as Any[];
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) continue; // not served: none exist
      if (err instanceof ApiError && err.status === 403) return no(`${kind} cannot be read (forbidden): nothing proves no autoscaler parks the claim`, true);
      throw err;
    }
    const scaler = scalers.find((a) => a.spec?.scaleTargetRef?.kind === 'StatefulSet' && a.spec.scaleTargetRef.name === t.name);
    if (scaler) return no(`${kind} ${scaler.metadata.name} scales statefulset ${t.name} now: its claims are parked`, true);
  }
  return yes;
}

/** Every PodDisruptionBudget selecting the pod (policy/v1: an empty selector selects all) allows a
 *  disruption now. Judged before a StatefulSet is orphan-deleted: without its controller, the
 *  disruption controller cannot compute a maxUnavailable or percentage budget for the pod, so an
 *  eviction afterwards would wait forever; what the budget allows is decided while it still can. */
async function disruptionAllowed(api: KubeApi, t: Target): Promise<Verdict> {
  const pod = await api.read(t) as Any | undefined;
  if (!pod) return no(`pod ${t.name} does not exist`, true);
  const budgets = (await api.list('PodDisruptionBudget', t.namespace)) as Any[];
  const holding = budgets.filter((b) => selects(b.spec?.selector, pod.metadata.labels, 'everything') && !((b.status?.disruptionsAllowed ?? 0) >= 1));
  return holding.length ? no(holding.map((b) => `poddisruptionbudget ${b.metadata.name} allows no disruption now (${b.status?.currentHealthy ?? '?'} healthy, ${b.status?.desiredHealthy ?? '?'} required)`).join('; '), true) : yes;
}

async function othersReady(api: KubeApi, t: Target, except: string, journal: JournalView | undefined): Promise<Verdict> {
  const sts = (await api.read(t) ?? journal?.saved(SAVED_STATEFULSET)) as Any | undefined;
  if (!sts) return no(`statefulset ${t.name} does not exist`, true);
  const others = (await memberPods(api, sts as KubeObject) as Any[]).filter((p) => p.metadata.name !== except);
  const down = others.filter((p) => !isPodReady(p)).map((p) => p.metadata.name);
  const expected = (sts.spec?.replicas ?? 1) - 1;
  if (down.length) return no(`${down.join(', ')} not Ready: restarting ${except} now would take two replicas down`);
  return others.length >= expected ? yes : no(`only ${others.length} of the other ${expected} replicas exist`);
}

async function settled(api: KubeApi, t: Target, replicas: number): Promise<Verdict> {
  const sts = await api.read(t) as Any | undefined;
  if (!sts) return no(`statefulset ${t.name} does not exist`, true);
  const status = sts.status ?? {};
  const members = await memberPods(api, sts as KubeObject) as Any[];
  const ready = members.filter(isPodReady).length;
  if ((status.observedGeneration ?? 0) < (sts.metadata.generation ?? 0)) return no('the controller has not seen the change yet');
  if (members.length !== replicas || ready !== replicas) return no(`${ready} of ${replicas} replicas Ready, ${members.length} pods`);
  return yes;
}

async function adopted(api: KubeApi, t: Target, pods: { name: string; uid: string }[] | undefined): Promise<Verdict> {
  const sts = await api.read(t) as Any | undefined;
  if (!sts) return no(`statefulset ${t.name} does not exist`);
  if (!pods) return no('the journal does not record which pods the orphan delete left running', true);
  for (const expected of pods) {
    const pod = await api.get('Pod', t.namespace, expected.name) as Any | undefined;
    if (!pod) return no(`pod ${expected.name} is gone`, true);
    if (pod.metadata.uid !== expected.uid) return no(`pod ${expected.name} was restarted (a new pod)`, true);
    const owner = (pod.metadata.ownerReferences ?? []).find((r: Any) => r.controller);
    if (owner?.uid !== sts.metadata.uid) return no(`pod ${expected.name} is not adopted yet`);
    if (!isPodReady(pod)) return no(`pod ${expected.name} is not Ready`);
  }
  return yes;
}
