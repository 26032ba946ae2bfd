// What copies each claim of a StatefulSet has, and how old the newest is: ReadyToUse
// VolumeSnapshots of the claim, and Velero Backups and Schedules whose rules take its data
// (velero.ts). The three backup checks (missing, partial, stale) read the same coverage.

import { VELERO_EXCLUDE_LABEL } from '../../model/annotations.ts';
import type { ClusterModel } from '../../model/cluster-model.ts';
import { parseTime } from '../../model/time.ts';
import type { PersistentVolumeClaim, Pod, StatefulSet, VeleroBackup, VeleroSchedule } from '../../model/types.ts';
import { claimsOfStatefulSet } from './facts.ts';
import { claimCovered, type ClaimInPod, type VeleroSpec } from './velero.ts';

export interface Copy {
  /** "volumesnapshot db/data-pg-0-20261203", "velero backup velero/nightly-20261204", "velero schedule velero/nightly". */
  by: string;
  /** When the copy was made (ms); undefined for a schedule that never ran. */
  at?: number;
  /** A schedule that is paused: it makes no new copies. */
  stopped?: boolean;
}

export interface ClaimCoverage {
  claim: PersistentVolumeClaim;
  copies: Copy[];
  /** The newest copy's time, if any copy has one. */
  newest?: number;
}

const DONE = new Set(['Completed', 'PartiallyFailed']);

/** The pod that mounts the claim and the volume name it gives it: the running replica's, else the
 *  StatefulSet's template (its claim templates are mounted under their own names). */
function podOf(model: ClusterModel, sts: StatefulSet, claim: PersistentVolumeClaim): ClaimInPod['pod'] {
  const owner = model.statefulSetOfClaim(claim);
  const pod: Pod | undefined = owner ? model.members(sts).pods.get(owner.ordinal) : undefined;
  const volume = pod?.spec?.volumes?.find((v) => v.persistentVolumeClaim?.claimName === claim.metadata.name)?.name ?? owner?.template ?? '';
  const template = sts.spec?.template?.metadata;
  return { labels: pod?.metadata.labels ?? template?.labels, annotations: pod?.metadata.annotations ?? template?.annotations, volume };
}

function veleroCopies(model: ClusterModel, c: ClaimInPod): Copy[] {
  const copies: Copy[] = [];
  for (const b of model.snapshot.veleroBackups as VeleroBackup[]) {
    if (!DONE.has(b.status?.phase ?? '') || !b.spec || !('how' in claimCovered(b.spec as VeleroSpec, c))) continue;
    copies.push({ by: `velero backup ${b.metadata.namespace}/${b.metadata.name}`, at: parseTime(b.status?.completionTimestamp) });
  }
  for (const s of model.snapshot.veleroSchedules as VeleroSchedule[]) {
    if (!s.spec?.template || !('how' in claimCovered(s.spec.template as VeleroSpec, c))) continue;
    copies.push({ by: `velero schedule ${s.metadata.namespace}/${s.metadata.name}`, at: parseTime(s.status?.lastBackup), stopped: s.spec.paused === true });
  }
  return copies;
}

function snapshotCopies(model: ClusterModel, claim: PersistentVolumeClaim): Copy[] {
  return model.snapshot.volumeSnapshots
    .filter((v) => v.metadata.namespace === claim.metadata.namespace && v.spec?.source?.persistentVolumeClaimName === claim.metadata.name && v.status?.readyToUse)
    .map((v) => ({ by: `volumesnapshot ${v.metadata.namespace}/${v.metadata.name}`, at: parseTime(v.status?.creationTime ?? v.metadata.creationTimestamp) }));
}

export function coverageOf(model: ClusterModel, sts: StatefulSet): ClaimCoverage[] {
  const namespace = model.snapshot.namespaces.find((n) => n.metadata.name === sts.metadata.namespace);
  return claimsOfStatefulSet(model, sts).map((claim) => {
    const inPod: ClaimInPod = { namespace: claim.metadata.namespace ?? '', claimLabels: claim.metadata.labels, pod: podOf(model, sts, claim), namespaceLabels: namespace?.metadata.labels };
    const copies = claim.metadata.labels?.[VELERO_EXCLUDE_LABEL] === 'true' ? snapshotCopies(model, claim) : [...snapshotCopies(model, claim), ...veleroCopies(model, inPod)];
    const times = copies.map((c) => c.at).filter((t): t is number => t !== undefined);
    return { claim, copies, ...(times.length ? { newest: Math.max(...times) } : {}) };
  });
}

/** The backup kinds this analysis could not read (RBAC, or left out of a dump): they may hold a
 *  copy, so a StatefulSet without one is not called unprotected. A kind not served holds none. */
export function backupsUnknown(model: ClusterModel): string[] {
  return ['VolumeSnapshot', 'Schedule', 'Backup'].filter((k) => model.snapshot.notices.some((n) => n.kind === k && (n.reason === 'forbidden' || n.reason === 'absent')));
}
