// What copies each claim of a StatefulSet has, and how old the newest is: ReadyToUse
// VolumeSnapshots of the claim, and Velero Backups and Schedules whose rules take its data
// (velero.ts). The three backup checks (missing, partial, stale) read the same coverage.

import { VELERO_EXCLUDE_LABEL } from '../../model/annotations.ts';
import type { ClusterModel } from '../../model/cluster-model.ts';
import { parseTime } from '../../model/time.ts';
import type { PersistentVolumeClaim, Pod, StatefulSet, VeleroBackup, VeleroSchedule } from '../../model/types.ts';
import { groupBy, perModel, perModelObject } from '../per-model.ts';
import { claimsOfStatefulSet } from './facts.ts';
import { claimCovered, namespaceIncluded, type ClaimInPod, type VeleroSpec } from './velero.ts';

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

/** A finished Velero Backup or a Schedule: what it takes (its spec) and the copy it stands for. */
interface VeleroSource {
  spec: VeleroSpec;
  copy: Copy;
}

function veleroSources(model: ClusterModel): VeleroSource[] {
  const sources: VeleroSource[] = [];
  for (const b of model.snapshot.veleroBackups as VeleroBackup[]) {
    if (DONE.has(b.status?.phase ?? '') && b.spec) sources.push({ spec: b.spec as VeleroSpec, copy: { by: `velero backup ${b.metadata.namespace}/${b.metadata.name}`, at: parseTime(b.status?.completionTimestamp) } });
  }
  for (const s of model.snapshot.veleroSchedules as VeleroSchedule[]) {
    if (s.spec?.template) sources.push({ spec: s.spec.template as VeleroSpec, copy: { by: `velero schedule ${s.metadata.namespace}/${s.metadata.name}`, at: parseTime(s.status?.lastBackup), stopped: s.spec.paused === true } });
  }
  return sources;
}

/** The Velero sources whose namespace rules take a namespace: most take few namespaces, so most
 *  claims are matched against none of them. */
const veleroByNamespace = perModel((model) => {
  const all = veleroSources(model);
  const byNamespace = new Map<string, VeleroSource[]>();
  return (namespace: string, labels: Record<string, string> | undefined) => {
    let sources = byNamespace.get(namespace);
    if (!sources) byNamespace.set(namespace, (sources = all.filter((v) => namespaceIncluded(v.spec, namespace, labels))));
    return sources;
  };
});

/** ReadyToUse VolumeSnapshots by "namespace/claim" they were taken of. */
const readySnapshots = perModel((model) => groupBy(model.snapshot.volumeSnapshots.filter((v) => v.status?.readyToUse && v.spec?.source?.persistentVolumeClaimName), (v) => `${v.metadata.namespace}/${v.spec!.source!.persistentVolumeClaimName}`));

function snapshotCopies(model: ClusterModel, claim: PersistentVolumeClaim): Copy[] {
  return (readySnapshots(model).get(`${claim.metadata.namespace}/${claim.metadata.name}`) ?? [])
    .map((v) => ({ by: `volumesnapshot ${v.metadata.namespace}/${v.metadata.name}`, at: parseTime(v.status?.creationTime ?? v.metadata.creationTimestamp) }));
}

const namespacesByName = perModel((model) => new Map(model.snapshot.namespaces.map((n) => [n.metadata.name, n])));
/** Three checks read each StatefulSet's coverage: computed once. */
export const coverageOf = perModelObject(computeCoverage);

function computeCoverage(model: ClusterModel, sts: StatefulSet): ClaimCoverage[] {
  const namespaceLabels = namespacesByName(model).get(sts.metadata.namespace ?? '')?.metadata.labels;
  const velero = veleroByNamespace(model)(sts.metadata.namespace ?? '', namespaceLabels);
  return claimsOfStatefulSet(model, sts).map((claim) => {
    const copies = snapshotCopies(model, claim);
    if (velero.length && claim.metadata.labels?.[VELERO_EXCLUDE_LABEL] !== 'true') {
      const inPod: ClaimInPod = { namespace: claim.metadata.namespace ?? '', claimLabels: claim.metadata.labels, pod: podOf(model, sts, claim), namespaceLabels };
      for (const v of velero) if ('how' in claimCovered(v.spec, inPod)) copies.push(v.copy);
    }
    let newest: number | undefined;
    for (const c of copies) if (c.at !== undefined && (newest === undefined || c.at > newest)) newest = c.at;
    return newest === undefined ? { claim, copies } : { claim, copies, newest };
  });
}

/** The backup kinds this analysis could not read (RBAC, or left out of a dump): they may hold a
 *  copy, so a StatefulSet without one is not called unprotected. A kind not served holds none. */
export function backupsUnknown(model: ClusterModel): string[] {
  return ['VolumeSnapshot', 'Schedule', 'Backup'].filter((k) => model.snapshot.notices.some((n) => n.kind === k && (n.reason === 'forbidden' || n.reason === 'absent')));
}
