// `stsvol resize`: seeds 002 and 003 as a plan. The claims grow one at a time, highest ordinal
// first (the order a rolling update takes, so a problem shows on the replica the application misses
// least); then the StatefulSet, whose claim templates the API forbids to change, is deleted with
// --cascade=orphan and created again from the journal's copy, adopting its running pods.
//
// A claim whose file system waits for a remount gets its one pod restarted (through the Eviction API,
// so a PodDisruptionBudget holds it) and Ready before the next claim. A driver that expands only
// offline is found by what external-resizer answers (the volume is in use): that replica's pod must
// be gone while the controller expands, and the StatefulSet would re-create it at once, so the
// StatefulSet is orphan-deleted for that one replica, the pod evicted, the volume grown, and the
// StatefulSet created again, which brings the pod back on the grown volume. One replica down at a
// time, always.
//
// Refused up front: a rollout in progress (re-creating resets revision tracking: pods below the
// partition would come back on the new revision, StatefulSet controller getStatefulSetRevisions),
// a StatefulSet another controller owns (it would put the old template back), and a re-created
// StatefulSet the API server would not admit (an admission policy added since it was deployed),
// which is checked again, live, right before every orphan delete.

import { cannotExpand, provisionerOf } from '../checks/provisioners.ts';
import { INFEASIBLE_STATUSES, isInUseResizeError, RESIZE_ERROR_CONDITIONS, trueCondition } from '../checks/resize.ts';
import type { ClusterModel } from '../model/cluster-model.ts';
import { InputError } from '../model/errors.ts';
import { claimName, memberName, ordinalRange, replicasOf } from '../model/ordinals.ts';
import { parseQuantity } from '../model/quantity.ts';
import type { PersistentVolumeClaim, Pod, StatefulSet } from '../model/types.ts';
import { controllerOwnerRefusal, helmFollowUp, managerWarnings } from './owners.ts';
import type { Expectation, PlanResult, Refusal, Step, Target, TemplateSize } from './plan.ts';
import { quotaRefusals } from './quota.ts';
import { byName, isPodReady, statefulSetNamed, targetOf, unchangedGuard } from './targets.ts';
import { count } from '../model/words.ts';

export interface ResizeRequest {
  namespace: string;
  statefulSet: string;
  to: string;
  /** Which claim template; may be left out when there is one. */
  template?: string;
  /** How long a file system may wait for a remount before its pod is restarted (seconds). */
  remountAfterSeconds?: number;
}

/** What the API server offers, found by the executor (never assumed). */
export interface ApiFeatures {
  /** KEP-4650: StatefulSet claim templates may be updated in place. */
  inPlaceClaimTemplates: boolean;
}

/** An online resize shows FileSystemResizePending for a moment; only a longer wait needs a remount. */
export const DEFAULT_REMOUNT_AFTER_SECONDS = 120;

export function planResize(model: ClusterModel, req: ResizeRequest, features: ApiFeatures): PlanResult {
  const sts = statefulSetNamed(model, req.namespace, req.statefulSet);
  const template = templateOf(sts, req.template);
  const bytes = parseQuantity(req.to);
  if (bytes === undefined || bytes <= 0) throw new InputError(`--to ${req.to}: not a storage size (e.g. 20Gi)`);
  const stsTarget = targetOf('StatefulSet', sts);
  const replicas = replicaClaims(model, sts, template);
  const refusals = preflight(model, sts, template, bytes, req.to, replicas);
  const guard = unchangedGuard(sts);
  const sizes: TemplateSize[] = [{ template, storage: req.to }];
  const steps: Step[] = [{
    id: 'save', title: `Save statefulset ${sts.metadata.name} into the journal`, action: { verb: 'save', target: stsTarget }, requires: [guard],
    undo: 'nothing to undo: the journal is removed when the operation completes',
  }];
  for (const { claim, pod } of replicas.present) {
    if ((parseQuantity(claim.status?.capacity?.storage) ?? 0) >= bytes) continue;
    steps.push(...growClaim(sts, claim, pod, req, guard, sizes));
  }
  steps.push(...(features.inPlaceClaimTemplates ? updateTemplateInPlace(sts, template, req.to, guard) : recreate(sts, sizes, guard)));
  const current = templateSize(sts, template);
  return {
    plan: {
      operation: 'resize', subject: byName(stsTarget), namespace: req.namespace,
      request: { statefulSet: sts.metadata.name, template, to: req.to },
      summary: [
        `Grow claim template "${template}" of statefulset ${sts.metadata.name} from ${current ?? '?'} to ${req.to}: ${count(replicas.present.length, 'claim')}, highest ordinal first, one replica at a time.`,
        features.inPlaceClaimTemplates
          ? 'The API server updates claim templates in place (KEP-4650): the StatefulSet is patched, not re-created.'
          : 'Then the StatefulSet is deleted with --cascade=orphan (its pods keep running) and created again from the saved copy with the new size; it adopts every pod without restarting it.',
        'A replica whose file system needs a remount, or whose driver expands only offline, is restarted alone, after every other replica is Ready; a PodDisruptionBudget can hold it.',
      ],
      warnings: managerWarnings(sts),
      afterwards: [
        ...helmFollowUp(sts, sizes),
        `If you apply this StatefulSet from a manifest (kubectl apply, kustomize), set "${template}" to ${req.to} there too, or the next apply fails with "spec: Forbidden".`,
      ],
      steps,
    },
    refusals,
  };
}

interface Replica {
  ordinal: number;
  claim: PersistentVolumeClaim;
  pod?: Pod;
}

/** The replicas' claims of `template` that exist, highest ordinal first, and how many of the
 *  ordinals the StatefulSet runs have none: read from the claims, never by counting through
 *  ordinals (a StatefulSet may claim two billion replicas). */
function replicaClaims(model: ClusterModel, sts: StatefulSet, template: string): { present: Replica[]; missing: number } {
  const { start, end } = ordinalRange(sts);
  const present: Replica[] = [];
  for (const [ordinal, claim] of model.members(sts).claims.get(template) ?? []) {
    if (ordinal >= start && ordinal < end) present.push({ ordinal, claim, pod: model.pod(sts.metadata.namespace, memberName(sts, ordinal)) });
  }
  present.sort((a, b) => b.ordinal - a.ordinal);
  return { present, missing: end - start - present.length };
}

function templateOf(sts: StatefulSet, wanted: string | undefined): string {
  const names = (sts.spec?.volumeClaimTemplates ?? []).map((t) => t.metadata?.name ?? '');
  if (names.length === 0) throw new InputError(`statefulset/${sts.metadata.name}: has no volumeClaimTemplates, nothing to resize`);
  if (wanted !== undefined) {
    if (!names.includes(wanted)) throw new InputError(`--template ${wanted}: statefulset/${sts.metadata.name} has claim templates ${names.join(', ')}`);
    return wanted;
  }
  if (names.length > 1) throw new InputError(`statefulset/${sts.metadata.name} has claim templates ${names.join(', ')}: choose one with --template`);
  return names[0]!;
}

function templateSize(sts: StatefulSet, template: string): string | undefined {
  return sts.spec?.volumeClaimTemplates?.find((t) => t.metadata?.name === template)?.spec?.resources?.requests?.storage;
}

function preflight(model: ClusterModel, sts: StatefulSet, template: string, bytes: number, to: string, replicas: { present: Replica[]; missing: number }): Refusal[] {
  const refusals: Refusal[] = [];
  const owner = controllerOwnerRefusal(sts);
  if (owner) refusals.push(owner);
  const rollout = rolloutRefusal(sts);
  if (rollout) refusals.push(rollout);
  const current = parseQuantity(templateSize(sts, template));
  if (current !== undefined && bytes < current) refusals.push({ code: 'shrink', message: `--to ${to} is smaller than the template's ${templateSize(sts, template)}: volumes cannot shrink` });
  if (replicas.missing > 0) {
    refusals.push({ code: 'claim-missing', message: `${replicas.missing} of the ${count(replicasOf(sts), 'replica')} of statefulset ${sts.metadata.name} have no claim of template "${template}" (${claimName(sts, template, ordinalRange(sts).start)} and on): a resize needs every replica running on its claim` });
  }
  let added = 0;
  const className = sts.spec?.volumeClaimTemplates?.find((t) => t.metadata?.name === template)?.spec?.storageClassName ?? model.defaultStorageClass()?.metadata.name ?? '';
  for (const { ordinal, claim, pod } of replicas.present) {
    if (!pod || !isPodReady(pod)) refusals.push({ code: 'replica-not-ready', message: `replica ${memberName(sts, ordinal)} is ${pod ? 'not Ready' : 'missing'}: a resize takes replicas down one at a time, so every replica must be Ready first` });
    refusals.push(...claimRefusals(model, claim, bytes, to));
    added += Math.max(0, bytes - (parseQuantity(claim.spec?.resources?.requests?.storage) ?? bytes));
  }
  refusals.push(...quotaRefusals(model, { namespace: sts.metadata.namespace ?? '', className, bytes: added, claims: 0 }));
  return refusals;
}

/** Re-creating a StatefulSet mid-rollout resets its revision tracking: pods below the partition that
 *  are later re-created come back on the update revision (getStatefulSetRevisions takes the update
 *  revision as current when status names none), a database upgrade started by accident. */
export function rolloutRefusal(sts: StatefulSet): Refusal | undefined {
  const { currentRevision, updateRevision, observedGeneration } = sts.status ?? {};
  const partition = sts.spec?.updateStrategy?.rollingUpdate?.partition;
  if (currentRevision && updateRevision && currentRevision !== updateRevision) {
    return { code: 'rollout-in-progress', message: `statefulset ${sts.metadata.name} is in the middle of a rollout (currentRevision ${currentRevision}, updateRevision ${updateRevision}${partition ? `, partition ${partition}` : ''}): re-creating it now would put every pod below the partition that is later re-created on the new revision. Finish the rollout (partition 0) or roll it back first` };
  }
  if (observedGeneration !== undefined && sts.metadata.generation !== undefined && observedGeneration < sts.metadata.generation) {
    return { code: 'rollout-in-progress', message: `the StatefulSet controller has not yet acted on the last change of statefulset ${sts.metadata.name} (generation ${sts.metadata.generation}, observed ${observedGeneration}): run again once it has` };
  }
  return undefined;
}

/** Why this claim cannot grow to `bytes` now (bound, class and provisioner, a failing resize). */
export function claimRefusals(model: ClusterModel, claim: PersistentVolumeClaim, bytes: number, to: string): Refusal[] {
  const name = claim.metadata.name;
  if (claim.status?.phase !== 'Bound') return [{ code: 'claim-not-bound', message: `claim ${name} is ${claim.status?.phase ?? 'not Bound'}` }];
  const refusals: Refusal[] = [];
  const capacity = parseQuantity(claim.status?.capacity?.storage);
  if (capacity !== undefined && bytes < capacity) refusals.push({ code: 'shrink', message: `--to ${to} is smaller than claim ${name}'s ${claim.status?.capacity?.storage}: volumes cannot shrink` });
  const sc = model.storageClassOf(claim);
  const provisioner = provisionerOf(claim, sc);
  if (sc && !sc.allowVolumeExpansion) refusals.push({ code: 'class-cannot-expand', message: `storage class ${sc.metadata.name} of claim ${name} does not set allowVolumeExpansion: true (kubectl patch storageclass ${sc.metadata.name} -p '{"allowVolumeExpansion":true}' if its driver can expand)` });
  else if (!sc) refusals.push({ code: 'class-cannot-expand', message: `claim ${name} has no storage class that stsvol can see, so nothing says it can expand` });
  if (provisioner && cannotExpand(provisioner)) refusals.push({ code: 'provisioner-cannot-expand', message: `claim ${name} comes from ${provisioner}, which cannot expand volumes (seed 002): migrate the data to a class that can` });
  // A driver that expands only offline waits for the pod to stop, which the plan does: not failing.
  const failing = RESIZE_ERROR_CONDITIONS.map((t) => trueCondition(claim, t)).find((c) => c && !isInUseResizeError(c));
  const infeasible = Object.values(claim.status?.allocatedResourceStatuses ?? {}).find((s) => INFEASIBLE_STATUSES.includes(s));
  if (failing || infeasible) refusals.push({ code: 'resize-failing', message: `claim ${name} has a resize failing already (${failing ? `${failing.type}: ${failing.message ?? ''}` : infeasible}): fix it first (stsvol doctor)` });
  return refusals;
}

/** One claim: grow it, wait for the controller, then whichever the volume needs: nothing (online),
 *  its pod restarted (a remount), or its pod stopped while the StatefulSet is away (offline). */
function growClaim(sts: StatefulSet, claim: PersistentVolumeClaim, pod: Pod | undefined, req: ResizeRequest, guard: Expectation, sizes: TemplateSize[]): Step[] {
  const target = targetOf('PersistentVolumeClaim', claim);
  const name = claim.metadata.name;
  const remountAfter = req.remountAfterSeconds ?? DEFAULT_REMOUNT_AFTER_SECONDS;
  const was = claim.spec?.resources?.requests?.storage ?? '?';
  return [
    {
      id: `grow:${name}`, title: `Request ${req.to} for claim ${name}`,
      action: { verb: 'patch', target, patch: { spec: { resources: { requests: { storage: req.to } } } } },
      requires: [guard], until: { type: 'claim-requests', claim: target, atLeast: req.to },
      undo: `a request cannot go back below the capacity; while the expansion has not happened it may be lowered to a size above ${claim.status?.capacity?.storage ?? was} (RecoverVolumeExpansionFailure)`,
    },
    {
      id: `expand:${name}`, title: `Wait for the volume of ${name} to grow to ${req.to}`, action: { verb: 'none' }, requires: [],
      until: { type: 'claim-expanded', claim: target, atLeast: req.to, orFileSystemPendingFor: remountAfter, orInUse: true },
      undo: 'nothing changes in this step',
    },
    ...(pod ? [remountStep(sts, target, pod, guard), ...offlineSteps(sts, target, pod, guard, sizes, req.to)] : []),
    {
      id: `resized:${name}`, title: `Wait for the file system of ${name} to reach ${req.to}`, action: { verb: 'none' }, requires: [],
      until: { type: 'claim-expanded', claim: target, atLeast: req.to }, undo: 'nothing changes in this step',
    },
  ];
}

/** Restart one replica whose file system waits for a remount; the others must be Ready. */
function remountStep(sts: StatefulSet, claim: Target, pod: Pod, guard: Expectation): Step {
  return {
    id: `remount:${claim.name}`, title: `Restart ${pod.metadata.name} so its node grows the file system`,
    action: { verb: 'evict', target: targetOf('Pod', pod) },
    when: { type: 'claim-file-system-pending', claim },
    requires: [guard, { type: 'others-ready', sts: byName(targetOf('StatefulSet', sts)), except: pod.metadata.name }],
    until: { type: 'pod-ready', pod: byName(targetOf('Pod', pod)), ...(pod.metadata.uid ? { notUid: pod.metadata.uid } : {}) },
    undo: 'the StatefulSet re-creates the pod with the same claims; nothing to undo',
  };
}

/** A driver that expands only offline: external-resizer refuses while any pod references the claim
 *  (Pending ones too), and the StatefulSet controller re-creates a deleted pod at once. So for this
 *  replica the StatefulSet is orphan-deleted (the others keep running), the pod deleted, the volume
 *  grown by the controller, and the StatefulSet created again: it brings the pod back, whose mount
 *  has the node grow the file system. Every step after the first applies only if the first acted
 *  (the journal says so): a StatefulSet found away for another reason is never followed by a pod
 *  delete or a re-create. The pod is deleted, not evicted: an orphaned pod has no controller the
 *  disruption controller can ask for its scale, so a maxUnavailable budget would block the eviction
 *  forever; the budget is judged instead before the orphan delete, while it can be computed. */
function offlineSteps(sts: StatefulSet, claim: Target, pod: Pod, guard: Expectation, sizes: TemplateSize[], to: string): Step[] {
  const stsByName = byName(targetOf('StatefulSet', sts));
  const away: Expectation = { type: 'gone', target: stsByName };
  const podTarget = targetOf('Pod', pod);
  const stopped: Expectation = { type: 'step-acted', step: `offline-stop:${claim.name}` };
  return [
    {
      id: `offline-stop:${claim.name}`, title: `Delete statefulset ${sts.metadata.name} with --cascade=orphan, so ${pod.metadata.name} stays stopped while its volume grows offline`,
      action: { verb: 'delete', target: stsByName, orphan: true },
      when: { type: 'claim-expansion-in-use', claim },
      requires: [
        guard, { type: 'statefulset-rollout-complete', sts: stsByName }, { type: 'statefulset-recreatable', sts: stsByName, sizes },
        { type: 'others-ready', sts: stsByName, except: pod.metadata.name }, { type: 'disruption-allowed', pod: byName(podTarget) },
      ],
      until: away, undo: `run the same stsvol resize command: it creates the StatefulSet again from the journal (or stsvol ops abandon statefulset/${sts.metadata.name})`,
    },
    {
      id: `offline-delete:${claim.name}`, title: `Delete pod ${pod.metadata.name} (graceful) so the resizer can grow its volume`,
      action: { verb: 'delete', target: podTarget }, when: stopped,
      requires: [away, { type: 'others-ready', sts: stsByName, except: pod.metadata.name }],
      until: { type: 'gone', target: podTarget }, undo: 'the next steps bring it back',
    },
    {
      id: `offline-expand:${claim.name}`, title: `Wait for the volume of ${claim.name} to grow to ${to} while it is free`, action: { verb: 'none' }, when: stopped, requires: [],
      until: { type: 'claim-controller-expanded', claim, atLeast: to }, undo: 'nothing changes in this step',
    },
    {
      id: `offline-recreate:${claim.name}`, title: `Create statefulset ${sts.metadata.name} again, which starts ${pod.metadata.name} on the grown volume`,
      action: { verb: 'recreate', target: stsByName, sizes }, when: stopped, requires: [away],
      until: { type: 'statefulset-template', sts: stsByName, sizes }, undo: 'nothing to undo: it is the StatefulSet as it was, with the new claim size',
    },
    {
      id: `offline-ready:${claim.name}`, title: `Wait for ${pod.metadata.name} to run Ready again`, action: { verb: 'none' }, when: stopped, requires: [],
      until: { type: 'pod-ready', pod: byName(podTarget), ...(pod.metadata.uid ? { notUid: pod.metadata.uid } : {}) }, undo: 'nothing changes in this step',
    },
  ];
}

function updateTemplateInPlace(sts: StatefulSet, template: string, to: string, guard: Expectation): Step[] {
  const target = targetOf('StatefulSet', sts);
  const templates = (sts.spec?.volumeClaimTemplates ?? []).map((t) => (t.metadata?.name === template ? { ...t, spec: { ...t.spec, resources: { ...t.spec?.resources, requests: { ...t.spec?.resources?.requests, storage: to } } } } : t));
  return [{
    id: 'template', title: `Set claim template "${template}" of ${sts.metadata.name} to ${to} in place`,
    action: { verb: 'patch', target, patch: { spec: { volumeClaimTemplates: templates } } }, requires: [guard],
    until: { type: 'statefulset-template', sts: byName(target), sizes: [{ template, storage: to }] },
    undo: 'patch the template back; the claims keep their size',
  }];
}

function recreate(sts: StatefulSet, sizes: TemplateSize[], guard: Expectation): Step[] {
  const target = byName(targetOf('StatefulSet', sts));
  return [
    {
      id: 'orphan', title: `Delete statefulset ${sts.metadata.name} with --cascade=orphan (its pods keep running)`,
      action: { verb: 'delete', target, orphan: true },
      requires: [guard, { type: 'statefulset-rollout-complete', sts: target }, { type: 'statefulset-recreatable', sts: target, sizes }],
      until: { type: 'gone', target },
      undo: `create it again from the journal: run the same stsvol resize command (it resumes), or stsvol ops abandon statefulset/${sts.metadata.name}`,
    },
    {
      id: 'recreate', title: `Create statefulset ${sts.metadata.name} again with ${sizes.map((s) => `"${s.template}" at ${s.storage}`).join(', ')}`,
      action: { verb: 'recreate', target, sizes }, requires: [{ type: 'gone', target }],
      until: { type: 'statefulset-template', sts: target, sizes },
      undo: 'delete it with --cascade=orphan and create the journal\'s original manifest',
    },
    {
      id: 'adopted', title: `Wait until the new statefulset ${sts.metadata.name} owns its pods, none restarted`,
      action: { verb: 'none' }, requires: [], until: { type: 'statefulset-adopted', sts: target },
      undo: 'nothing changes in this step',
    },
  ];
}
