// Seed 002: the request was raised, but nothing will ever expand the volume: local-path and NFS
// provisioners cannot, static local and hostPath volumes cannot, and the in-tree expander only says
// "waiting for an external controller" forever. The claim shows the old capacity for good.

import { refOf, type ClusterModel } from '../../model/cluster-model.ts';
import { formatDuration } from '../../model/time.ts';
import type { PersistentVolumeClaim } from '../../model/types.ts';
import type { Check, CheckScope } from '../check.ts';
import { kubectl } from '../commands.ts';
import { eventEvidence, fieldEvidence, newestEvents } from '../evidence.ts';
import type { Evidence, Finding } from '../finding.ts';
import { cannotExpand, provisionerOf } from '../provisioners.ts';
import { INFEASIBLE_STATUSES, RESIZE_ERROR_CONDITIONS, isGrowing, trueCondition } from '../resize.ts';
import { RESIZE_GRACE } from '../thresholds.ts';

const ID = 'resize-unsupported';

// Events a resizer emits once it has taken the claim in hand.
const RESIZER_ACTED = new Set(['Resizing', 'VolumeResizeSuccessful', 'FileSystemResizeRequired', 'FileSystemResizeSuccessful', 'VolumeResizeFailed']);

export const resizeUnsupported: Check = {
  id: ID,
  run(scope) {
    return scope.each(scope.model.claims.values(), (claim) => {
      if (!isGrowing(claim) || hasResizeFailure(claim)) return undefined;
      const reason = whyNothingExpands(scope.model, claim);
      return reason ? unsupported(scope, claim, reason) : undefined;
    });
  },
};

function hasResizeFailure(claim: PersistentVolumeClaim): boolean {
  const status = claim.status?.allocatedResourceStatuses?.storage;
  return RESIZE_ERROR_CONDITIONS.some((t) => trueCondition(claim, t)) || (status !== undefined && INFEASIBLE_STATUSES.includes(status));
}

export interface Reason {
  text: string;
  evidence: Evidence[];
}

export function whyNothingExpands(model: ClusterModel, claim: PersistentVolumeClaim): Reason | undefined {
  const sc = model.storageClassOf(claim);
  const pv = model.volumeOf(claim);
  const provisioner = pv?.spec?.csi?.driver ?? provisionerOf(claim, sc);
  if (sc && sc.allowVolumeExpansion !== true) {
    return { text: `class ${sc.metadata.name} does not allow expansion`, evidence: [fieldEvidence(sc, `allowVolumeExpansion=${sc.allowVolumeExpansion ?? 'unset'}`)] };
  }
  if (provisioner && cannotExpand(provisioner)) {
    return { text: `its provisioner ${provisioner} cannot expand volumes`, evidence: [fieldEvidence(sc ?? claim, `provisioner=${provisioner}`)] };
  }
  if (pv && (pv.spec?.hostPath || pv.spec?.local || pv.spec?.nfs)) {
    const type = pv.spec.hostPath ? 'hostPath' : pv.spec.local ? 'local' : 'nfs';
    return { text: `its volume ${pv.metadata.name} is a ${type} volume, which cannot be expanded`, evidence: [fieldEvidence(pv, `spec.${type} volume`)] };
  }
  const events = model.eventsFor(claim);
  const waiting = newestEvents(events, (e) => e.reason === 'ExternalExpanding', 1);
  const waitedFor = model.since(waiting[0]?.firstTime);
  if (waiting.length && waitedFor !== undefined && waitedFor >= RESIZE_GRACE && !events.some((e) => RESIZER_ACTED.has(e.reason)) && !trueCondition(claim, 'Resizing')) {
    return { text: `no resizer has acted in ${formatDuration(waitedFor)} (the expander is waiting for an external controller that does not come)`, evidence: waiting.map(eventEvidence) };
  }
  return undefined;
}

function unsupported(scope: CheckScope, claim: PersistentVolumeClaim, reason: Reason): Finding {
  const { model } = scope;
  const ns = claim.metadata.namespace;
  const capacity = claim.status?.capacity?.storage ?? '?';
  const owner = model.statefulSetOfClaim(claim);
  return scope.raise({
    object: refOf(claim),
    related: [
      ...(claim.spec?.storageClassName ? [{ kind: 'StorageClass', name: claim.spec.storageClassName }] : []),
      ...(claim.spec?.volumeName ? [{ kind: 'PersistentVolume', name: claim.spec.volumeName }] : []),
      ...(owner ? [refOf(owner.sts)] : []),
    ],
    message: `${ns}/${claim.metadata.name} requests ${claim.spec?.resources?.requests?.storage} but has ${capacity}, and nothing will expand it: ${reason.text}`,
    evidence: [fieldEvidence(claim, `spec.resources.requests.storage=${claim.spec?.resources?.requests?.storage}, status.capacity.storage=${capacity}`), ...reason.evidence],
    remediation: [
      { text: `The volume keeps working at ${capacity}; the request cannot be taken back (the API only lets it drop to a size still above status.capacity), so the claim keeps asking.`, command: kubectl.describe('pvc', claim.metadata.name, ns) },
      { text: 'For more space, move the data to a claim in a class that can expand (a CSI driver with a resizer and allowVolumeExpansion: true): restore a snapshot into it, or copy the data with the workload stopped, then point the workload at the new claim.' },
      { text: 'Set allowVolumeExpansion: false on classes whose provisioner cannot expand, so the next request is refused up front. local-path, hostPath and NFS volumes do not enforce their size at all: the declared size is only a label.' },
    ],
  });
}
