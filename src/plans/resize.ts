// `stsvol resize`: seeds 002 and 003 as a plan. The claims grow one at a time, highest ordinal
// first (the order a rolling update takes, so a problem shows on the replica the application misses
// least); a file system that waits for a remount gets its one pod restarted and Ready before the next
// claim; then the StatefulSet, whose claim templates the API forbids to change, is deleted with
// --cascade=orphan and created again from the journal's copy, adopting its running pods.

import { cannotExpand, provisionerOf } from '../checks/provisioners.ts';
import { INFEASIBLE_STATUSES, RESIZE_ERROR_CONDITIONS, trueCondition } from '../checks/resize.ts';
import type { ClusterModel } from '../model/cluster-model.ts';
import { InputError } from '../model/errors.ts';
import { claimName, memberName, ordinalRange } from '../model/ordinals.ts';
import { parseQuantity } from '../model/quantity.ts';
import type { PersistentVolumeClaim, Pod, StatefulSet } from '../model/types.ts';
import { helmFollowUp, managerWarnings } from './owners.ts';
import type { Expectation, PlanResult, Refusal, Step, Target, TemplateSize } from './plan.ts';
import { quotaRefusals } from './quota.ts';
import { byName, isPodReady, statefulSetNamed, targetOf, unchangedGuard } from './targets.ts';

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
  const { start, end } = ordinalRange(sts);
  const claims: { ordinal: number; claim?: PersistentVolumeClaim }[] = [];
  for (let ordinal = end - 1; ordinal >= start; ordinal--) claims.push({ ordinal, claim: model.claims.get(req.namespace, claimName(sts, template, ordinal)) });

  const refusals = preflight(model, sts, template, bytes, req.to, claims);
  const guard = unchangedGuard(sts);
  const sizes: TemplateSize[] = [{ template, storage: req.to }];
  const steps: Step[] = [{
    id: 'save', title: `Save statefulset ${sts.metadata.name} into the journal`, action: { verb: 'save', target: stsTarget }, requires: [guard],
    undo: 'nothing to undo: the journal is removed when the operation completes',
  }];
  for (const { ordinal, claim } of claims) {
    if (!claim) continue;
    if ((parseQuantity(claim.status?.capacity?.storage) ?? 0) >= bytes) continue;
    steps.push(...growClaim(sts, claim, model.pod(req.namespace, memberName(sts, ordinal)), req, guard));
  }
  steps.push(...(features.inPlaceClaimTemplates ? updateTemplateInPlace(sts, template, req.to, guard) : recreate(model, sts, sizes, guard)));
  const current = templateSize(sts, template);
  return {
    plan: {
      operation: 'resize', subject: byName(stsTarget), namespace: req.namespace,
      request: { statefulSet: sts.metadata.name, template, to: req.to },
      summary: [
        `Grow claim template "${template}" of statefulset ${sts.metadata.name} from ${current ?? '?'} to ${req.to}: ${claims.filter((c) => c.claim).length} claims, highest ordinal first, one replica at a time.`,
        features.inPlaceClaimTemplates
          ? 'The API server updates claim templates in place (KEP-4650): the StatefulSet is patched, not re-created.'
          : 'Then the StatefulSet is deleted with --cascade=orphan (its pods keep running) and created again from the saved copy with the new size; it adopts every pod without restarting it.',
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

function preflight(model: ClusterModel, sts: StatefulSet, template: string, bytes: number, to: string, claims: { ordinal: number; claim?: PersistentVolumeClaim }[]): Refusal[] {
  const refusals: Refusal[] = [];
  const current = parseQuantity(templateSize(sts, template));
  if (current !== undefined && bytes < current) refusals.push({ code: 'shrink', message: `--to ${to} is smaller than the template's ${templateSize(sts, template)}: volumes cannot shrink` });
  let added = 0;
  const className = sts.spec?.volumeClaimTemplates?.find((t) => t.metadata?.name === template)?.spec?.storageClassName ?? model.defaultStorageClass()?.metadata.name ?? '';
  for (const { ordinal, claim } of claims) {
    const pod = model.pod(sts.metadata.namespace, memberName(sts, ordinal));
    if (!pod || !isPodReady(pod)) refusals.push({ code: 'replica-not-ready', message: `replica ${memberName(sts, ordinal)} is ${pod ? 'not Ready' : 'missing'}: a resize takes replicas down one at a time, so every replica must be Ready first` });
    if (!claim) {
      refusals.push({ code: 'claim-missing', message: `claim ${claimName(sts, template, ordinal)} does not exist` });
      continue;
    }
    refusals.push(...claimRefusals(model, claim, bytes, to));
    added += Math.max(0, bytes - (parseQuantity(claim.spec?.resources?.requests?.storage) ?? bytes));
  }
  refusals.push(...quotaRefusals(model, { namespace: sts.metadata.namespace ?? '', className, bytes: added, claims: 0 }));
  return refusals;
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
  const failing = RESIZE_ERROR_CONDITIONS.map((t) => trueCondition(claim, t)).find(Boolean);
  const infeasible = Object.values(claim.status?.allocatedResourceStatuses ?? {}).find((s) => INFEASIBLE_STATUSES.includes(s));
  if (failing || infeasible) refusals.push({ code: 'resize-failing', message: `claim ${name} has a resize failing already (${failing ? `${failing.type}: ${failing.message ?? ''}` : infeasible}): fix it first (stsvol doctor)` });
  return refusals;
}

/** One claim: grow it, wait for the controller, remount if the file system waits for it. */
function growClaim(sts: StatefulSet, claim: PersistentVolumeClaim, pod: Pod | undefined, req: ResizeRequest, guard: Expectation): Step[] {
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
      until: { type: 'claim-expanded', claim: target, atLeast: req.to, orFileSystemPendingFor: remountAfter },
      undo: 'nothing changes in this step',
    },
    ...(pod ? [remountStep(sts, target, pod, guard)] : []),
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

function recreate(model: ClusterModel, sts: StatefulSet, sizes: TemplateSize[], guard: Expectation): Step[] {
  const target = targetOf('StatefulSet', sts);
  const { start, end } = ordinalRange(sts);
  const pods: { name: string; uid: string }[] = [];
  for (let o = start; o < end; o++) {
    const pod = model.pod(sts.metadata.namespace, memberName(sts, o));
    if (pod?.metadata.uid) pods.push({ name: pod.metadata.name, uid: pod.metadata.uid });
  }
  return [
    {
      id: 'orphan', title: `Delete statefulset ${sts.metadata.name} with --cascade=orphan (its pods keep running)`,
      action: { verb: 'delete', target, orphan: true }, requires: [guard], until: { type: 'gone', target },
      undo: `create it again from the journal: run the same stsvol resize command (it resumes), or kubectl create -f the manifest in the journal`,
    },
    {
      id: 'recreate', title: `Create statefulset ${sts.metadata.name} again with ${sizes.map((s) => `"${s.template}" at ${s.storage}`).join(', ')}`,
      action: { verb: 'recreate', target, sizes }, requires: [{ type: 'gone', target }],
      until: { type: 'statefulset-template', sts: byName(target), sizes },
      undo: 'delete it with --cascade=orphan and create the journal\'s original manifest',
    },
    {
      id: 'adopted', title: `Wait until the new statefulset ${sts.metadata.name} owns its ${pods.length} pods, none restarted`,
      action: { verb: 'none' }, requires: [], until: { type: 'statefulset-adopted', sts: byName(target), pods },
      undo: 'nothing changes in this step',
    },
  ];
}
