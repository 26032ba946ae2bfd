// A Released volume outlived its claim: under Retain it is kept (and billed) until someone decides;
// under Delete it should already be gone, so its deleter is failing.

import { refOf, type ClusterModel } from '../../model/cluster-model.ts';
import { formatDuration } from '../../model/time.ts';
import type { PersistentVolume } from '../../model/types.ts';
import { raise, type Check } from '../check.ts';
import { kubectl } from '../commands.ts';
import { eventEvidence, fieldEvidence, newestEvents } from '../evidence.ts';
import type { Finding } from '../finding.ts';
import { RELEASE_GRACE } from '../thresholds.ts';

const ID = 'released-pv';

export const releasedPv: Check = {
  id: ID,
  run(model) {
    return [...model.volumes.values()].filter((pv) => pv.status?.phase === 'Released' && !beingDeleted(model, pv)).map((pv) => released(model, pv));
  },
};

/** A Delete volume on its way out: Released only moments ago, and no deletion failure reported. */
function beingDeleted(model: ClusterModel, pv: PersistentVolume): boolean {
  if ((pv.spec?.persistentVolumeReclaimPolicy ?? 'Delete') !== 'Delete') return false;
  if (model.eventsFor(pv).some((e) => e.type === 'Warning')) return false;
  const age = model.since(pv.status?.lastPhaseTransitionTime);
  return age === undefined || age < RELEASE_GRACE;
}

function released(model: ClusterModel, pv: PersistentVolume): Finding {
  const policy = pv.spec?.persistentVolumeReclaimPolicy ?? 'Delete';
  const ref = pv.spec?.claimRef;
  const claim = ref?.name ? `${ref.namespace}/${ref.name}` : 'its claim';
  const since = pv.status?.lastPhaseTransitionTime;
  const age = model.since(since);
  const forHow = age !== undefined ? ` for ${formatDuration(age)}` : '';
  const failures = newestEvents(model.eventsFor(pv), (e) => e.type === 'Warning');
  const deleting = policy === 'Delete';
  return raise(ID, {
    severity: deleting ? 'warning' : undefined,
    object: refOf(pv),
    related: ref?.name ? [{ kind: 'PersistentVolumeClaim', namespace: ref.namespace, name: ref.name }] : [],
    message: deleting
      ? `${pv.metadata.name} is Released${forHow} under reclaimPolicy Delete: its deletion is failing and the disk (${pv.spec?.capacity?.storage ?? '?'}) is still billed`
      : `${pv.metadata.name} (${pv.spec?.capacity?.storage ?? '?'}) is Released${forHow}: ${claim} was deleted but the volume and its data are kept (and billed) under Retain`,
    evidence: [
      fieldEvidence(pv, `status.phase=Released, reclaimPolicy=${policy}, claimRef=${claim}${ref?.uid ? ` (uid ${ref.uid})` : ''}`, since),
      ...failures.map(eventEvidence),
    ],
    remediation: deleting
      ? [
          { text: 'Read why the provisioner cannot delete the volume.', command: kubectl.describe('pv', pv.metadata.name) },
          { text: 'Fix the cause (credentials, the disk still attached somewhere); the provisioner retries on its own.' },
        ]
      : [
          { text: 'Decide whether the data is still needed.', command: kubectl.get('pv', pv.metadata.name) },
          {
            text: 'To give the data back to a claim, pre-bind the volume to that one claim (set namespace and name, drop the old uid). Do not just clear claimRef: an Available volume is bound by any matching claim.',
            command: kubectl.patch('pv', pv.metadata.name, undefined, { spec: { claimRef: { namespace: ref?.namespace ?? '<namespace>', name: ref?.name ?? '<claim>', uid: null, resourceVersion: null } } }),
          },
          {
            text: 'If it is not needed, delete the volume, then the disk in the storage backend (Retain leaves it there).',
            command: kubectl.delete('pv', pv.metadata.name),
            safeWhen: 'the data is backed up or confirmed worthless',
          },
        ],
  });
}
