// Claims nobody will use: those a StatefulSet left above its replicas after a scale-down (the next
// scale-up silently reuses them, old data included), and claims no pod has mounted for a week.

import { ordinalRange, refOf, type ClusterModel } from '../../model/cluster-model.ts';
import { formatDuration } from '../../model/time.ts';
import type { PersistentVolumeClaim, StatefulSet } from '../../model/types.ts';
import { raise, type Check } from '../check.ts';
import { kubectl } from '../commands.ts';
import { fieldEvidence } from '../evidence.ts';
import type { Finding } from '../finding.ts';
import { UNUSED_CLAIM_AGE } from '../thresholds.ts';

const ID = 'orphan-pvc';

export const orphanPvc: Check = {
  id: ID,
  run(model) {
    return [...leftByScaleDown(model), ...unusedForLong(model)];
  },
};

function leftByScaleDown(model: ClusterModel): Finding[] {
  const findings: Finding[] = [];
  for (const sts of model.statefulSets.values()) {
    const { start, end } = ordinalRange(sts);
    const members = model.members(sts);
    for (const byOrdinal of members.claims.values()) {
      for (const [ordinal, claim] of byOrdinal) {
        // A pod still holding the ordinal means the scale-down is in progress, not finished.
        if ((ordinal >= start && ordinal < end) || members.pods.has(ordinal)) continue;
        findings.push(scaledAway(model, sts, ordinal, claim));
      }
    }
  }
  return findings;
}

function scaledAway(model: ClusterModel, sts: StatefulSet, ordinal: number, claim: PersistentVolumeClaim): Finding {
  const ns = claim.metadata.namespace;
  const pv = model.volumeOf(claim);
  const policy = pv?.spec?.persistentVolumeReclaimPolicy;
  const related = [refOf(sts), ...(pv ? [refOf(pv)] : [])];
  const retention = sts.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled ?? 'Retain';
  return raise(ID, {
    object: refOf(claim),
    related,
    message: `${ns}/${claim.metadata.name} (${claim.status?.capacity?.storage ?? claim.spec?.resources?.requests?.storage ?? '?'}) belongs to ordinal ${ordinal} of StatefulSet ${ns}/${sts.metadata.name}, which runs ${sts.spec?.replicas ?? 1} replicas: left by a scale-down, it is billed and will be reused with its old data if the StatefulSet scales up again`,
    evidence: [
      fieldEvidence(sts, `spec.replicas=${sts.spec?.replicas ?? 1}, persistentVolumeClaimRetentionPolicy.whenScaled=${retention}`),
      fieldEvidence(claim, `no pod ${sts.metadata.name}-${ordinal} exists; claim created ${claim.metadata.creationTimestamp}`, claim.metadata.creationTimestamp),
    ],
    remediation: [
      { text: 'Keep it if the StatefulSet will scale back up and the replica should keep its data; otherwise release it.' },
      {
        text: `Delete the claim${policy === 'Retain' ? `; its volume ${pv?.metadata.name} is Retain and then turns Released: delete it (and its disk) too, never clear its claimRef` : ''}.`,
        command: kubectl.delete('pvc', claim.metadata.name, ns),
        safeWhen: `StatefulSet ${sts.metadata.name} stays below ${ordinal + 1} replicas, or the data of ordinal ${ordinal} is backed up or not wanted`,
      },
      { text: 'To have Kubernetes do this on every scale-down from now on (1.32+):', command: kubectl.patch('statefulset', sts.metadata.name, ns, { spec: { persistentVolumeClaimRetentionPolicy: { whenScaled: 'Delete' } } }) },
    ],
  });
}

function unusedForLong(model: ClusterModel): Finding[] {
  const findings: Finding[] = [];
  for (const claim of model.claims.values()) {
    if (claim.status?.phase !== 'Bound' || model.podsUsing(claim).length > 0) continue;
    if (model.statefulSetOfClaim(claim)) continue; // StatefulSet claims are judged by ordinal above
    const age = model.since(claim.metadata.creationTimestamp);
    if (age === undefined || age < UNUSED_CLAIM_AGE) continue;
    const recent = model.eventsFor(claim).some((e) => (model.since(e.lastTime) ?? Infinity) < UNUSED_CLAIM_AGE);
    if (recent) continue;
    const ns = claim.metadata.namespace;
    const pv = model.volumeOf(claim);
    findings.push(raise(ID, {
      object: refOf(claim),
      related: pv ? [refOf(pv)] : [],
      message: `${ns}/${claim.metadata.name} (${claim.status?.capacity?.storage ?? '?'}) is Bound, ${formatDuration(age)} old, and no pod mounts it`,
      evidence: [fieldEvidence(claim, `no pod references the claim; created ${claim.metadata.creationTimestamp}; no event about it in ${formatDuration(UNUSED_CLAIM_AGE)}`)],
      remediation: [
        { text: 'Find its owner (labels, annotations) and ask whether the data is needed.', command: kubectl.get('pvc', claim.metadata.name, ns) },
        { text: 'Delete it when it is not.', command: kubectl.delete('pvc', claim.metadata.name, ns), safeWhen: 'the data is backed up or confirmed worthless' },
      ],
    }));
  }
  return findings;
}
