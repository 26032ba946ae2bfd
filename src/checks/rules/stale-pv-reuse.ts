// Seed 000: after a scale-down, someone clears claimRef on Released Retain volumes; they turn
// Available and the next scale-up binds them to new replicas, which start on another replica's data.

import { REUSE_INTENDED_ANNOTATION, PROVISIONED_BY_ANNOTATION } from '../../model/annotations.ts';
import { refOf, type ClusterModel } from '../../model/cluster-model.ts';
import { memberName } from '../../model/ordinals.ts';
import { parseTime, formatDuration } from '../../model/time.ts';
import type { PersistentVolume, PersistentVolumeClaim, StatefulSet } from '../../model/types.ts';
import type { Check, CheckScope } from '../check.ts';
import { kubectl } from '../commands.ts';
import { fieldEvidence } from '../evidence.ts';
import { remedy, type Finding } from '../finding.ts';
import { intendedFor, isOpenWithData, prebindVolume, quarantineVolume } from '../recipes/prebind.ts';
import { replaceClaim } from '../recipes/replace-claim.ts';
import { PROVISIONED_BEFORE_CLAIM } from '../thresholds.ts';
import { isDynamicallyProvisioned, provisionedForUid } from '../workload.ts';

const ID = 'stale-pv-reuse';

export const stalePvReuse: Check = {
  id: ID,
  run(scope) {
    const { model } = scope;
    const classes = templateClasses(model);
    return [
      ...scope.each(model.statefulSets.values(), (sts) => boundToNewerClaim(scope, sts)),
      ...scope.each(model.volumes.values(), (pv) => availableForNextReplica(scope, pv, classes)),
    ];
  },
};

function boundToNewerClaim(scope: CheckScope, sts: StatefulSet): Finding[] {
  const findings: Finding[] = [];
  for (const byOrdinal of scope.model.members(sts).claims.values()) {
    for (const [ordinal, claim] of byOrdinal) {
      const pv = scope.model.volumeOf(claim);
      if (pv && isStale(pv, claim)) findings.push(staleBinding(scope, sts, ordinal, claim, pv));
    }
  }
  return findings;
}

function isStale(pv: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  // Named after this very claim: provisioned for it (the usual case, decided without parsing).
  if (claim.metadata.uid && pv.metadata.name === `pvc-${claim.metadata.uid}`) return false;
  if (!isDynamicallyProvisioned(pv) || pv.metadata.annotations?.[REUSE_INTENDED_ANNOTATION] === intendedFor(claim.metadata.namespace, claim.metadata.name)) return false;
  const namedFor = provisionedForUid(pv);
  if (namedFor && claim.metadata.uid && namedFor !== claim.metadata.uid) return true;
  const pvCreated = parseTime(pv.metadata.creationTimestamp);
  const claimCreated = parseTime(claim.metadata.creationTimestamp);
  return pvCreated !== undefined && claimCreated !== undefined && claimCreated - pvCreated > PROVISIONED_BEFORE_CLAIM;
}

function staleBinding(scope: CheckScope, sts: StatefulSet, ordinal: number, claim: PersistentVolumeClaim, pv: PersistentVolume): Finding {
  const ns = claim.metadata.namespace;
  const pvCreated = parseTime(pv.metadata.creationTimestamp);
  const claimCreated = parseTime(claim.metadata.creationTimestamp);
  const gap = pvCreated !== undefined && claimCreated !== undefined ? ` ${formatDuration(claimCreated - pvCreated)} before its current claim` : ' for another claim';
  const evidence = [
    fieldEvidence(pv, `provisioned by ${pv.metadata.annotations?.[PROVISIONED_BY_ANNOTATION]} at ${pv.metadata.creationTimestamp}`, pv.metadata.creationTimestamp),
    fieldEvidence(claim, `claim created at ${claim.metadata.creationTimestamp}, bound to ${pv.metadata.name}`, claim.metadata.creationTimestamp),
  ];
  const namedFor = provisionedForUid(pv);
  if (namedFor && namedFor !== claim.metadata.uid) {
    evidence.push(fieldEvidence(pv, `volume name carries claim uid ${namedFor}; this claim's uid is ${claim.metadata.uid}`));
  }
  const podName = memberName(sts, ordinal);
  return scope.raise({
    object: refOf(pv),
    related: [refOf(claim), refOf(sts), { kind: 'Pod', namespace: ns, name: podName }],
    message: `${pv.metadata.name} was provisioned${gap} and is now bound to ${ns}/${claim.metadata.name}: replica ${podName} of StatefulSet ${ns}/${sts.metadata.name} runs on data written for an earlier claim`,
    evidence,
    remediation: remedy(
      [{ text: 'Check what the volume holds before the replica writes more; the application decides whether it is valid data for this replica.', command: kubectl.describe('pod', podName, ns) }],
      {
        title: 'the reuse is intended (a planned migration)',
        steps: [{
          text: `Mark the volume as given to ${ns}/${claim.metadata.name}: doctor stops reporting this binding (and only this one). This silences a critical finding: do it only for data meant for this replica.`,
          command: kubectl.patch('pv', pv.metadata.name, undefined, { metadata: { annotations: { [REUSE_INTENDED_ANNOTATION]: intendedFor(ns, claim.metadata.name) } } }),
          safeWhen: `the application confirms the data on ${pv.metadata.name} is meant for ${podName}`,
        }],
      },
      {
        title: `the data is stale: give ${podName} a fresh volume (only this replica restarts; the old volume is kept for whoever owns its data)`,
        steps: replaceClaim(scope.model, claim, pv, podName, `the application confirms ${pv.metadata.name} does not hold data ${podName} must keep`),
      },
    ),
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

/** An Available volume with old data, open to any claim of its class. One reserved for a named
 *  claim (claimRef set: pre-bound, as released-pv advises) binds only that claim and is left alone. */
function availableForNextReplica(scope: CheckScope, pv: PersistentVolume, classes: Map<string, StatefulSet[]>): Finding | undefined {
  if (!isOpenWithData(pv)) return undefined;
  const users = classes.get(pv.spec?.storageClassName ?? '');
  return users ? availableVolume(scope, pv, users) : undefined;
}

function availableVolume(scope: CheckScope, pv: PersistentVolume, users: StatefulSet[]): Finding {
  const { model } = scope;
  const since = pv.status?.lastPhaseTransitionTime;
  const names = users.map((s) => `${s.metadata.namespace}/${s.metadata.name}`).join(', ');
  const age = model.since(since);
  return scope.raise({
    severity: 'warning',
    object: refOf(pv),
    related: users.map(refOf),
    message: `${pv.metadata.name} (${pv.spec?.capacity?.storage ?? '?'}, ${pv.spec?.persistentVolumeReclaimPolicy ?? 'Delete'}) is Available${age !== undefined ? ` for ${formatDuration(age)}` : ''} in class ${pv.spec?.storageClassName}: the next replica of ${names} that scales up can bind it and start on its old data`,
    evidence: [
      fieldEvidence(pv, `status.phase=Available, claimRef unset; provisioned by ${pv.metadata.annotations?.[PROVISIONED_BY_ANNOTATION]} at ${pv.metadata.creationTimestamp}`, since),
    ],
    remediation: remedy(
      [{ text: 'See what the volume held and for which claim (the provisioner named it pvc-<uid of that claim>).', command: kubectl.get('pv', pv.metadata.name) }],
      { title: 'keep the data, closed to every new claim', steps: [quarantineVolume(pv)] },
      { title: 'the data belongs to one replica', steps: [prebindVolume(pv, undefined, 'Give it to that replica\'s claim by name:')] },
      {
        title: 'the data is not needed',
        steps: [{
          text: 'Delete the volume; under Retain the disk itself remains and must then be deleted in the storage backend.',
          command: kubectl.delete('pv', pv.metadata.name),
          safeWhen: 'the data is backed up or confirmed worthless',
        }],
      },
    ),
  });
}
