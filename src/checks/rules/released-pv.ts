// A Released volume outlived its claim: under Retain it is kept (and billed) until someone decides;
// under Delete it should already be gone, so its deleter is failing.

import { refOf, type ClusterModel } from '../../model/cluster-model.ts';
import { formatDuration } from '../../model/time.ts';
import type { PersistentVolume } from '../../model/types.ts';
import type { Check, CheckScope } from '../check.ts';
import { kubectl } from '../commands.ts';
import { eventEvidence, fieldEvidence, newestEvent, newestEvents } from '../evidence.ts';
import { remedy, type Finding, type RemediationStep } from '../finding.ts';
import { prebindVolume } from '../recipes/prebind.ts';
import { RELEASE_GRACE } from '../thresholds.ts';
import { provisionedForUid } from '../workload.ts';

const ID = 'released-pv';

export const releasedPv: Check = {
  id: ID,
  run(scope) {
    return scope.each(scope.model.volumes.values(), (pv) => (pv.status?.phase === 'Released' && !beingDeleted(scope.model, pv) ? released(scope, pv) : undefined));
  },
};

function policyOf(pv: PersistentVolume): string {
  return pv.spec?.persistentVolumeReclaimPolicy ?? 'Delete';
}

/** A Delete volume on its way out: Released only moments ago, and no deletion failure reported.
 *  Before 1.31 a volume has no lastPhaseTransitionTime; the newest event about it is the next best
 *  clock, and with neither the claim "being deleted" cannot be made forever. */
function beingDeleted(model: ClusterModel, pv: PersistentVolume): boolean {
  if (policyOf(pv) !== 'Delete') return false;
  const events = model.eventsFor(pv);
  if (events.some((e) => e.type === 'Warning')) return false;
  const age = model.since(pv.status?.lastPhaseTransitionTime ?? newestEvent(events)?.lastTime);
  return age !== undefined && age < RELEASE_GRACE;
}

/** Pre-binding the data back to its claim's name, unless that name is taken by a new claim with a
 *  volume of its own (a replaced replica), or the volume was made for an earlier claim than the one
 *  it was last bound to (its data may be older than that claim's). Then the target is left to the
 *  operator. */
function giveBack(model: ClusterModel, pv: PersistentVolume): RemediationStep {
  const ref = pv.spec?.claimRef;
  if (!ref?.name) return prebindVolume(pv, undefined, 'To give the data to a claim:');
  const current = model.claims.get(ref.namespace, ref.name);
  if (current && current.metadata.uid !== ref.uid) {
    return prebindVolume(pv, undefined, `${ref.namespace}/${ref.name} exists again with a volume of its own; to give this data to another claim:`);
  }
  const madeFor = provisionedForUid(pv);
  if (madeFor && ref.uid && madeFor !== ref.uid) {
    return prebindVolume(pv, undefined, `${pv.metadata.name} was provisioned for an earlier claim (uid ${madeFor}) than ${ref.namespace}/${ref.name}: check which data it holds before giving it to any claim, then:`);
  }
  return prebindVolume(pv, ref, 'To give the data back to a claim (a new claim of the same name, say):');
}

function released(scope: CheckScope, pv: PersistentVolume): Finding {
  const { model } = scope;
  const policy = policyOf(pv);
  const ref = pv.spec?.claimRef;
  const claim = ref?.name ? `${ref.namespace}/${ref.name}` : 'its claim';
  const since = pv.status?.lastPhaseTransitionTime;
  const age = model.since(since);
  const forHow = age !== undefined ? ` for ${formatDuration(age)}` : '';
  const failures = newestEvents(model.eventsFor(pv), (e) => e.type === 'Warning');
  const deleting = policy === 'Delete';
  return scope.raise({
    severity: deleting ? 'warning' : undefined,
    object: refOf(pv),
    related: ref?.name ? [{ kind: 'PersistentVolumeClaim', namespace: ref.namespace, name: ref.name }] : [],
    message: deleting
      ? `${pv.metadata.name} is Released${forHow} under reclaimPolicy Delete: its deletion is failing and the disk (${pv.spec?.capacity?.storage ?? '?'}) is still billed`
      : `${pv.metadata.name} (${pv.spec?.capacity?.storage ?? '?'}) is Released${forHow}: ${claim} was deleted but the volume and its data are kept (and billed) under Retain`,
    evidence: [
      fieldEvidence(pv, `status.phase=Released, reclaimPolicy=${policy}, claimRef=${claim}${ref?.uid ? ` (uid ${ref.uid})` : ''}${since ? '' : ', no lastPhaseTransitionTime'}`, since),
      ...failures.map(eventEvidence),
    ],
    remediation: deleting
      ? [
          { text: 'Read why the provisioner cannot delete the volume.', command: kubectl.describe('pv', pv.metadata.name) },
          { text: 'Fix the cause (credentials, the disk still attached somewhere); the provisioner retries on its own.' },
        ]
      : remedy(
          [{ text: 'Decide whether the data is still needed.', command: kubectl.get('pv', pv.metadata.name) }],
          { title: 'the data is needed', steps: [giveBack(model, pv)] },
          {
            title: 'the data is not needed',
            steps: [{
              text: 'Delete the volume, then the disk in the storage backend (Retain leaves it there).',
              command: kubectl.delete('pv', pv.metadata.name),
              safeWhen: 'the data is backed up or confirmed worthless',
            }],
          },
        ),
  });
}
