// Seed 001 (§1.2.3): an expansion the controller or the kubelet gave up on. Since 1.34
// (RecoverVolumeExpansionFailure, GA) the request may be lowered again to retry with a smaller size,
// but it must stay strictly above status.capacity: the API server refuses the capacity itself.

import { refOf, type ClusterModel } from '../../model/cluster-model.ts';
import type { PersistentVolumeClaim } from '../../model/types.ts';
import type { Check, CheckScope } from '../check.ts';
import { kubectl, shellWord, stsvolTarget } from '../commands.ts';
import { conditionEvidence, eventEvidence, fieldEvidence, isCurrent, newestEvents } from '../evidence.ts';
import { remedy, type Evidence, type Finding } from '../finding.ts';
import { INFEASIBLE_STATUSES, RESIZE_ERROR_CONDITIONS, RESIZE_FAILURE_EVENTS, isGrowing, isInUseResizeError, trueCondition } from '../resize.ts';

const ID = 'resize-failed';

export const resizeFailed: Check = {
  id: ID,
  run(scope) {
    return scope.each(scope.model.claims.values(), (claim) => {
      const evidence = failureEvidence(scope.model, claim);
      return evidence.length ? failed(scope, claim, evidence) : undefined;
    });
  },
};

function failureEvidence(model: ClusterModel, claim: PersistentVolumeClaim): Evidence[] {
  const evidence: Evidence[] = [];
  for (const type of RESIZE_ERROR_CONDITIONS) {
    const c = trueCondition(claim, type);
    if (c) evidence.push(conditionEvidence(claim, c));
  }
  const status = claim.status?.allocatedResourceStatuses?.storage;
  if (status && INFEASIBLE_STATUSES.includes(status)) evidence.push(fieldEvidence(claim, `status.allocatedResourceStatuses.storage=${status}`));
  // Events outlive the failure; only a resize still not done makes them current.
  if (isGrowing(claim)) evidence.push(...newestEvents(model.eventsFor(claim), (e) => e.type === 'Warning' && RESIZE_FAILURE_EVENTS.has(e.reason) && isCurrent(model, e), 2).map(eventEvidence));
  return evidence;
}

function failed(scope: CheckScope, claim: PersistentVolumeClaim, evidence: Evidence[]): Finding {
  if (isInUseResizeError(trueCondition(claim, 'ControllerResizeError'))) return waitsForOffline(scope, claim, evidence);
  const ns = claim.metadata.namespace;
  const capacity = claim.status?.capacity?.storage ?? '?';
  const cause = evidence[0]!.text;
  return scope.raise({
    object: refOf(claim),
    related: claim.spec?.volumeName ? [{ kind: 'PersistentVolume', name: claim.spec.volumeName }] : [],
    message: `${ns}/${claim.metadata.name}: expansion from ${capacity} to ${claim.spec?.resources?.requests?.storage ?? '?'} failed: ${cause}`,
    evidence,
    remediation: remedy([],
      { title: 'the cause can be fixed', steps: [{ text: 'Fix the cause quoted above (backend quota or limits, a size the disk type does not support, the node plugin) and the resizer retries by itself.', command: kubectl.describe('pvc', claim.metadata.name, ns) }] },
      {
        title: 'the size is what the backend refuses',
        steps: [{
          text: `Retry with a size the backend accepts: since Kubernetes 1.34 the request may be lowered, but only to a size above the current capacity (${capacity}); the API refuses ${capacity} itself.`,
          command: kubectl.patch('pvc', claim.metadata.name, ns, { spec: { resources: { requests: { storage: `<size above ${capacity}>` } } } }),
        }],
      },
    ),
  });
}

/** A driver that expands only offline: nothing failed, the resizer waits for no pod to use the volume. */
function waitsForOffline(scope: CheckScope, claim: PersistentVolumeClaim, evidence: Evidence[]): Finding {
  const ns = claim.metadata.namespace;
  const owner = scope.model.statefulSetOfClaim(claim);
  const want = claim.spec?.resources?.requests?.storage ?? '?';
  const users = scope.model.podsUsing(claim).map((p) => p.metadata.name);
  return scope.raise({
    object: refOf(claim),
    related: claim.spec?.volumeName ? [{ kind: 'PersistentVolume', name: claim.spec.volumeName }] : [],
    message: `${ns}/${claim.metadata.name}: expansion to ${want} waits for the volume to be free: its driver expands only offline, and ${users.length ? `pod ${users.join(', ')} uses it` : 'a pod uses it'}`,
    evidence,
    remediation: owner
      ? [{
          text: `stsvol resize stops one replica at a time while its volume grows (the StatefulSet is orphan-deleted meanwhile, so it does not start the pod again), then brings it back; it shows the plan first.`,
          command: `stsvol resize ${stsvolTarget('statefulset', owner.sts.metadata.name, ns)} --to ${shellWord(want)}`,
        }]
      : [{ text: `Stop the pods using it; the resizer retries on its own (within minutes) once none does, and the node grows the file system when a pod mounts it again.`, command: kubectl.describe('pvc', claim.metadata.name, ns) }],
  });
}
