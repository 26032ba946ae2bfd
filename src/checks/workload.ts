// Small facts about pods and claims that several checks share.

import { PROVISIONED_BY_ANNOTATION, SELECTED_NODE_ANNOTATION } from '../model/annotations.ts';
import type { ClusterModel } from '../model/cluster-model.ts';
import { replicasOf } from '../model/ordinals.ts';
import type { ClusterEvent, PersistentVolumeClaim, PersistentVolume, Pod, StatefulSet } from '../model/types.ts';
import { isCurrent, newestEvents } from './evidence.ts';
import { SCALE_UP_GRACE } from './thresholds.ts';

/** A pod that has not started: Pending, not being deleted. */
export function isWaitingPod(pod: Pod): boolean {
  return (pod.status?.phase ?? 'Pending') === 'Pending' && !pod.metadata.deletionTimestamp;
}

/** A pod that is running or may run: not finished. */
export function isLivePod(pod: Pod): boolean {
  return !['Succeeded', 'Failed'].includes(pod.status?.phase ?? '');
}

/** Milliseconds since the pod was bound to its node (PodScheduled), else since it was created. */
export function sinceScheduled(model: ClusterModel, pod: Pod): number | undefined {
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'True')?.lastTransitionTime;
  return model.since(scheduled ?? pod.metadata.creationTimestamp);
}

/** The scheduler's latest word on an unscheduled pod, if it still describes the present. A pod
 *  that failed for one reason yesterday and for another now is judged by the second. */
export function currentSchedulingFailure(model: ClusterModel, pod: Pod): ClusterEvent | undefined {
  const newest = newestEvents(model.eventsFor(pod), (e) => e.reason === 'FailedScheduling' || e.reason === 'Scheduled', 1)[0];
  return newest?.reason === 'FailedScheduling' && isCurrent(model, newest) ? newest : undefined;
}

/** cluster-autoscaler has just asked for a node for this pod: its scheduling failures are expected. */
export function awaitsScaleUp(model: ClusterModel, pod: Pod): boolean {
  const triggered = newestEvents(model.eventsFor(pod), (e) => e.reason === 'TriggeredScaleUp', 1)[0];
  const since = model.since(triggered?.lastTime);
  return since !== undefined && since < SCALE_UP_GRACE;
}

/** Pods that cannot start until this claim is usable. */
export function podsWaitingOn(model: ClusterModel, claim: PersistentVolumeClaim): Pod[] {
  return model.podsUsing(claim).filter(isWaitingPod);
}

// external-provisioner names a volume pvc-<uid of the claim it was made for>.
const NAMED_AFTER_CLAIM = /^pvc-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The uid of the claim a volume was provisioned for, when its name says so. */
export function provisionedForUid(pv: PersistentVolume): string | undefined {
  return NAMED_AFTER_CLAIM.exec(pv.metadata.name)?.[1];
}

export function isDynamicallyProvisioned(pv: PersistentVolume): boolean {
  return Boolean(pv.metadata.annotations?.[PROVISIONED_BY_ANNOTATION]);
}

export function isReadWriteOnce(modes: string[] | undefined): boolean {
  return (modes ?? []).some((m) => m === 'ReadWriteOnce' || m === 'ReadWriteOncePod')
    && !(modes ?? []).some((m) => m === 'ReadWriteMany' || m === 'ReadOnlyMany');
}

/** "StatefulSet db/web" or "pod db/web-2": how a message names what is hurt. */
export function ownerText(model: ClusterModel, pod: Pod): string {
  const sts = model.statefulSetNameOf(pod);
  return sts ? `StatefulSet ${pod.metadata.namespace}/${sts}` : `pod ${pod.metadata.namespace}/${pod.metadata.name}`;
}

/** A WaitForFirstConsumer claim that no pod has been scheduled with yet: Pending is its normal state. */
export function awaitsFirstConsumer(model: ClusterModel, claim: PersistentVolumeClaim): boolean {
  const sc = model.storageClassOf(claim);
  return sc?.volumeBindingMode === 'WaitForFirstConsumer' && !claim.metadata.annotations?.[SELECTED_NODE_ANNOTATION];
}

/** Claims stay at default severity; a pod that cannot start because of the claim makes it critical. */
export function severityForClaim(model: ClusterModel, claim: PersistentVolumeClaim): 'critical' | undefined {
  return podsWaitingOn(model, claim).length ? 'critical' : undefined;
}

export function waitingText(model: ClusterModel, claim: PersistentVolumeClaim): string {
  const pods = podsWaitingOn(model, claim);
  return pods.length ? `; pod ${pods.map((p) => p.metadata.name).join(', ')} cannot start` : '';
}

/** The attach-detach controller's event for a volume attached elsewhere: "Multi-Attach error for
 *  volume ..." up to Kubernetes 1.36, "Waiting for detach for volume ..." from 1.37 (same reason). */
export function isMultiAttachEvent(e: ClusterEvent): boolean {
  return e.reason === 'FailedAttachVolume' && /Multi-Attach error|Waiting for detach/i.test(e.message);
}

/** The autoscaler kinds whose objects park claims. */
export const AUTOSCALER_KINDS = ['HorizontalPodAutoscaler', 'ScaledObject'] as const;

/** Why the claims a StatefulSet does not run now are parked, not unused: it is scaled to 0
 *  (maintenance, a nightly downscaler, KEDA's scale to zero) or an autoscaler moves its replicas,
 *  and either brings the replicas back onto exactly those claims. An autoscaler kind this analysis
 *  may not read could hold one: that counts as parked too, since nothing proves otherwise.
 *  Undefined when none holds. */
export function parkedBy(model: ClusterModel, sts: StatefulSet): string | undefined {
  const scalers = model.autoscalersOf(sts);
  if (scalers.length) return `statefulset ${sts.metadata.name} is scaled by ${scalers.map((a) => `${a.kind} ${a.metadata.name}`).join(', ')}`;
  if (replicasOf(sts) === 0) return `statefulset ${sts.metadata.name} is scaled to 0`;
  const unreadable = AUTOSCALER_KINDS.filter((k) => model.forbidden(k));
  if (unreadable.length) return `${unreadable.join(' and ')} cannot be read (forbidden), so an autoscaler of statefulset ${sts.metadata.name} may exist`;
  return undefined;
}
