// Seed 000: after a scale-down, someone clears claimRef on Released Retain volumes; they turn
// Available and the next scale-up binds them to new replicas, which start on another replica's data.

import { REUSE_INTENDED_ANNOTATION, PROVISIONED_BY_ANNOTATION } from '../../model/annotations.ts';
import { refOf, type ClusterModel } from '../../model/cluster-model.ts';
import { parseTime, formatDuration } from '../../model/time.ts';
import type { PersistentVolume, PersistentVolumeClaim, StatefulSet } from '../../model/types.ts';
import { raise, type Check } from '../check.ts';
import { kubectl } from '../commands.ts';
import { fieldEvidence } from '../evidence.ts';
import type { Finding } from '../finding.ts';
import { PROVISIONED_BEFORE_CLAIM } from '../thresholds.ts';
import { isDynamicallyProvisioned } from '../workload.ts';

const ID = 'stale-pv-reuse';

// external-provisioner names a volume pvc-<uid of the claim it was made for>.
const NAMED_AFTER_CLAIM = /^pvc-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export const stalePvReuse: Check = {
  id: ID,
  run(model) {
    return [...boundToNewerClaim(model), ...availableForNextReplica(model)];
  },
};

function boundToNewerClaim(model: ClusterModel): Finding[] {
  const findings: Finding[] = [];
  for (const sts of model.statefulSets.values()) {
    for (const byOrdinal of model.members(sts).claims.values()) {
      for (const [ordinal, claim] of byOrdinal) {
        const pv = model.volumeOf(claim);
        if (pv && isStale(pv, claim)) findings.push(staleBinding(sts, ordinal, claim, pv));
      }
    }
  }
  return findings;
}

function isStale(pv: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  if (!isDynamicallyProvisioned(pv) || pv.metadata.annotations?.[REUSE_INTENDED_ANNOTATION] === 'true') return false;
  const namedFor = NAMED_AFTER_CLAIM.exec(pv.metadata.name)?.[1];
  if (namedFor && claim.metadata.uid && namedFor !== claim.metadata.uid) return true;
  const pvCreated = parseTime(pv.metadata.creationTimestamp);
  const claimCreated = parseTime(claim.metadata.creationTimestamp);
  return pvCreated !== undefined && claimCreated !== undefined && claimCreated - pvCreated > PROVISIONED_BEFORE_CLAIM;
}

function staleBinding(sts: StatefulSet, ordinal: number, claim: PersistentVolumeClaim, pv: PersistentVolume): Finding {
  const ns = claim.metadata.namespace;
  const pvCreated = parseTime(pv.metadata.creationTimestamp);
  const claimCreated = parseTime(claim.metadata.creationTimestamp);
  const gap = pvCreated !== undefined && claimCreated !== undefined ? ` ${formatDuration(claimCreated - pvCreated)} before its current claim` : ' for another claim';
  const evidence = [
    fieldEvidence(pv, `provisioned by ${pv.metadata.annotations?.[PROVISIONED_BY_ANNOTATION]} at ${pv.metadata.creationTimestamp}`, pv.metadata.creationTimestamp),
    fieldEvidence(claim, `claim created at ${claim.metadata.creationTimestamp}, bound to ${pv.metadata.name}`, claim.metadata.creationTimestamp),
  ];
  const namedFor = NAMED_AFTER_CLAIM.exec(pv.metadata.name)?.[1];
  if (namedFor && namedFor !== claim.metadata.uid) {
    evidence.push(fieldEvidence(pv, `volume name carries claim uid ${namedFor}; this claim's uid is ${claim.metadata.uid}`));
  }
  const podName = `${sts.metadata.name}-${ordinal}`;
  return raise(ID, {
    object: refOf(pv),
    related: [refOf(claim), refOf(sts), { kind: 'Pod', namespace: ns, name: podName }],
    message: `${pv.metadata.name} was provisioned${gap} and is now bound to ${ns}/${claim.metadata.name}: replica ${podName} of StatefulSet ${ns}/${sts.metadata.name} runs on data written for an earlier claim`,
    evidence,
    remediation: [
      { text: 'Check what the volume holds before the replica writes more; the application decides whether it is valid data for this replica.', command: kubectl.describe('pod', podName, ns) },
      {
        text: 'If the reuse is intended (a planned migration), mark the volume so doctor stops reporting it.',
        command: kubectl.patch('pv', pv.metadata.name, undefined, { metadata: { annotations: { [REUSE_INTENDED_ANNOTATION]: 'true' } } }),
      },
      {
        text: `If the data is stale: keep ${podName} from starting on it by scaling the StatefulSet to ${ordinal} replicas (this stops ordinals ≥ ${ordinal}), then delete the claim so the next scale-up provisions a fresh volume.`,
        command: `${kubectl.scale(sts.metadata.name, ns, ordinal)} && ${kubectl.delete('pvc', claim.metadata.name, ns)}`,
        safeWhen: `the data on ${pv.metadata.name} is backed up or confirmed worthless, and the replicas above ${ordinal - 1} may be down meanwhile`,
      },
    ],
  });
}

/** Classes the StatefulSets' claim templates provision from, with the StatefulSets using each. */
function templateClasses(model: ClusterModel): Map<string, StatefulSet[]> {
  const defaultClass = model.defaultStorageClass()?.metadata.name;
  const classes = new Map<string, StatefulSet[]>();
  for (const sts of model.statefulSets.values()) {
    for (const t of sts.spec?.volumeClaimTemplates ?? []) {
      const name = t.spec?.storageClassName ?? defaultClass;
      if (!name) continue;
      const list = classes.get(name) ?? [];
      if (!list.includes(sts)) list.push(sts);
      classes.set(name, list);
    }
  }
  return classes;
}

function availableForNextReplica(model: ClusterModel): Finding[] {
  const classes = templateClasses(model);
  const findings: Finding[] = [];
  for (const pv of model.volumes.values()) {
    if (pv.status?.phase !== 'Available' || !isDynamicallyProvisioned(pv)) continue;
    const users = classes.get(pv.spec?.storageClassName ?? '');
    if (!users) continue;
    findings.push(availableVolume(model, pv, users));
  }
  return findings;
}

function availableVolume(model: ClusterModel, pv: PersistentVolume, users: StatefulSet[]): Finding {
  const since = pv.status?.lastPhaseTransitionTime;
  const names = users.map((s) => `${s.metadata.namespace}/${s.metadata.name}`).join(', ');
  const age = model.since(since);
  return raise(ID, {
    severity: 'warning',
    object: refOf(pv),
    related: users.map(refOf),
    message: `${pv.metadata.name} (${pv.spec?.capacity?.storage ?? '?'}, ${pv.spec?.persistentVolumeReclaimPolicy ?? 'Delete'}) is Available${age !== undefined ? ` for ${formatDuration(age)}` : ''} in class ${pv.spec?.storageClassName}: the next replica of ${names} that scales up can bind it and start on its old data`,
    evidence: [
      fieldEvidence(pv, `status.phase=Available, claimRef unset; provisioned by ${pv.metadata.annotations?.[PROVISIONED_BY_ANNOTATION]} at ${pv.metadata.creationTimestamp}`, since),
    ],
    remediation: [
      { text: 'See what the volume held and for which claim (the provisioner named it pvc-<uid of that claim>).', command: kubectl.get('pv', pv.metadata.name) },
      {
        text: 'If the data belongs to one replica, reserve the volume for that replica\'s claim only (pre-binding), instead of leaving it open to any claim.',
        command: kubectl.patch('pv', pv.metadata.name, undefined, { spec: { claimRef: { namespace: '<namespace>', name: '<claim name>' } } }),
      },
      {
        text: 'If the data is not needed, delete the volume; under Retain the disk itself remains and must then be deleted in the storage backend.',
        command: kubectl.delete('pv', pv.metadata.name),
        safeWhen: 'the data is backed up or confirmed worthless',
      },
    ],
  });
}
