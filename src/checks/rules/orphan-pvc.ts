// Claims nobody will use: those a StatefulSet left outside its ordinals after a scale-down (the next
// scale-up silently reuses them, old data included), and claims no pod has mounted for a week.

import { refOf, type ClusterModel } from '../../model/cluster-model.ts';
import { firstOrdinal, memberName, replicasIncluding, replicasOf, runsOrdinal } from '../../model/ordinals.ts';
import { formatDuration } from '../../model/time.ts';
import type { PersistentVolumeClaim, StatefulSet } from '../../model/types.ts';
import type { Check, CheckScope } from '../check.ts';
import { kubectl } from '../commands.ts';
import { fieldEvidence } from '../evidence.ts';
import { parkedBy } from '../workload.ts';
import { remedy, type Finding } from '../finding.ts';
import { UNUSED_CLAIM_AGE } from '../thresholds.ts';
import { count } from '../../model/words.ts';

const ID = 'orphan-pvc';

export const orphanPvc: Check = {
  id: ID,
  run(scope) {
    const { model } = scope;
    return [
      ...scope.each(model.statefulSets.values(), (sts) => leftByScaleDown(scope, sts)),
      ...scope.each(model.claims.values(), (claim) => unusedForLong(scope, claim)),
    ];
  },
};

function leftByScaleDown(scope: CheckScope, sts: StatefulSet): Finding[] {
  const members = scope.model.members(sts);
  const findings: Finding[] = [];
  for (const byOrdinal of members.claims.values()) {
    for (const [ordinal, claim] of byOrdinal) {
      // A pod still holding the ordinal means the scale-down is in progress, not finished; a claim
      // being deleted is on its way out (whenScaled: Delete, or someone cleaning up).
      if (runsOrdinal(sts, ordinal) || members.pods.has(ordinal) || claim.metadata.deletionTimestamp) continue;
      findings.push(scaledAway(scope, sts, ordinal, claim));
    }
  }
  return findings;
}

/** When the StatefulSet would run this ordinal again. */
function returnsWhen(sts: StatefulSet, ordinal: number): string {
  return ordinal < firstOrdinal(sts)
    ? `spec.ordinals.start is lowered to ${ordinal} or below`
    : `it scales to ${count(replicasIncluding(sts, ordinal), 'replica')} or more`;
}

function scaledAway(scope: CheckScope, sts: StatefulSet, ordinal: number, claim: PersistentVolumeClaim): Finding {
  const { model } = scope;
  const ns = claim.metadata.namespace;
  const pv = model.volumeOf(claim);
  const policy = pv?.spec?.persistentVolumeReclaimPolicy;
  const retention = sts.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled ?? 'Retain';
  const size = claim.status?.capacity?.storage ?? claim.spec?.resources?.requests?.storage ?? '?';
  const parked = parkedBy(model, sts);
  const fate = parked
    ? `parked (${parked}): it is billed, and the replica comes back to it with its data when ${returnsWhen(sts, ordinal)}`
    : `left by a scale-down, it is billed and will be reused with its old data if ${returnsWhen(sts, ordinal)}`;
  return scope.raise({
    object: refOf(claim),
    related: [refOf(sts), ...(pv ? [refOf(pv)] : [])],
    message: `${ns}/${claim.metadata.name} (${size}) belongs to ordinal ${ordinal} of StatefulSet ${ns}/${sts.metadata.name}, which runs ${count(replicasOf(sts), 'replica')} from ordinal ${firstOrdinal(sts)}: ${fate}`,
    evidence: [
      fieldEvidence(sts, `spec.replicas=${replicasOf(sts)}, spec.ordinals.start=${firstOrdinal(sts)}, persistentVolumeClaimRetentionPolicy.whenScaled=${retention}`),
      fieldEvidence(claim, `${model.sees('Pod') ? `no pod ${memberName(sts, ordinal)} exists` : 'Pods could not be read'}; claim created ${claim.metadata.creationTimestamp ?? '(unknown)'}`, claim.metadata.creationTimestamp),
    ],
    remediation: remedy([],
      { title: 'the StatefulSet will scale back up and the replica should keep its data', steps: [{ text: 'Keep the claim: nothing to do.' }] },
      {
        title: 'the data is not needed',
        steps: [
          {
            text: `Delete the claim${policy === 'Retain' ? `; its volume ${pv?.metadata.name} is Retain and then turns Released: delete it (and its disk) too, never clear its claimRef` : ''}.`,
            command: kubectl.delete('pvc', claim.metadata.name, ns),
            safeWhen: `StatefulSet ${sts.metadata.name} will not run ordinal ${ordinal} again (it would once ${returnsWhen(sts, ordinal)}), or the data of ordinal ${ordinal} is backed up or not wanted`,
          },
          {
            text: 'Optionally, have Kubernetes delete the claims of removed replicas on every scale-down from now on (1.32+).',
            command: kubectl.patch('statefulset', sts.metadata.name, ns, { spec: { persistentVolumeClaimRetentionPolicy: { whenScaled: 'Delete' } } }),
            safeWhen: `the application never needs a scaled-away replica's data again: from now on every scale-down of ${sts.metadata.name} deletes the claims (and, under reclaimPolicy Delete, the disks) of the replicas it removes`,
          },
        ],
      }),
  });
}

/** "No pod mounts it" is only known when Pods could be read. */
function unusedForLong(scope: CheckScope, claim: PersistentVolumeClaim): Finding | undefined {
  const { model } = scope;
  if (!model.sees('Pod') || claim.status?.phase !== 'Bound' || claim.metadata.deletionTimestamp || model.podsUsing(claim).length > 0) return undefined;
  if (model.statefulSetOfClaim(claim)) return undefined; // StatefulSet claims are judged by ordinal above
  const age = model.since(claim.metadata.creationTimestamp);
  if (age === undefined || age < UNUSED_CLAIM_AGE || hasRecentEvents(model, claim)) return undefined;
  const ns = claim.metadata.namespace;
  const pv = model.volumeOf(claim);
  return scope.raise({
    object: refOf(claim),
    related: pv ? [refOf(pv)] : [],
    message: `${ns}/${claim.metadata.name} (${claim.status?.capacity?.storage ?? '?'}) is Bound, ${formatDuration(age)} old, and no pod mounts it`,
    evidence: [fieldEvidence(claim, `no pod references the claim; created ${claim.metadata.creationTimestamp}; ${model.sees('Event') ? `no event about it in ${formatDuration(UNUSED_CLAIM_AGE)}` : 'Events could not be read'}`)],
    remediation: [
      { text: 'Find its owner (labels, annotations) and ask whether the data is needed.', command: kubectl.get('pvc', claim.metadata.name, ns) },
      { text: 'Delete it when it is not.', command: kubectl.delete('pvc', claim.metadata.name, ns), safeWhen: 'the data is backed up or confirmed worthless' },
    ],
  });
}

function hasRecentEvents(model: ClusterModel, claim: PersistentVolumeClaim): boolean {
  return model.eventsFor(claim).some((e) => (model.since(e.lastTime) ?? Infinity) < UNUSED_CLAIM_AGE);
}
