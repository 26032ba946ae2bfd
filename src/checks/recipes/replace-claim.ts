// Giving one replica a fresh volume without taking the others down: keep the old volume (Retain),
// delete the claim without waiting (the protection finalizer holds it while the pod runs), then
// delete the pod. The StatefulSet re-creates the claim from its template and the pod with it; only
// this replica restarts. Scaling down instead would stop every higher ordinal too.
//
// "Fresh" holds only if no open volume with old data is waiting in the class: the binder prefers an
// existing Available volume that fits to provisioning a new one (seed 000). Those are quarantined first.

import type { ClusterModel } from '../../model/cluster-model.ts';
import { memberName } from '../../model/ordinals.ts';
import type { PersistentVolume, PersistentVolumeClaim } from '../../model/types.ts';
import { kubectl } from '../commands.ts';
import type { RemediationStep, Way } from '../finding.ts';
import { openVolumesWithData, quarantineVolume } from './prebind.ts';

/** Listing more quarantine steps than this buries the remedy; each volume has its own finding. */
const MAX_QUARANTINE_STEPS = 10;

/** `templateChanges`: the template is being fixed first, so the class the claim comes back with is
 *  not known here, and no quarantine can be proposed (the caller asks for doctor to run again). */
export function replaceClaim(model: ClusterModel, claim: PersistentVolumeClaim, pv: PersistentVolume | undefined, pod: string, safeWhen: string, templateChanges = false): RemediationStep[] {
  const ns = claim.metadata.namespace;
  const keep: RemediationStep[] = pv && (pv.spec?.persistentVolumeReclaimPolicy ?? 'Delete') !== 'Retain'
    ? [{
        text: `Keep the old data whatever happens to the claim: set ${pv.metadata.name} to Retain (deleting the claim would otherwise delete the disk).`,
        command: kubectl.patch('pv', pv.metadata.name, undefined, { spec: { persistentVolumeReclaimPolicy: 'Retain' } }),
      }]
    : [];
  return [
    ...keep,
    ...(templateChanges ? [] : quarantineOpenVolumes(model, recreatedClass(model, claim), pv)),
    {
      text: `Mark the claim for deletion without waiting; it stays until ${pod} stops using it.`,
      command: kubectl.delete('pvc', claim.metadata.name, ns, ' --wait=false'),
      safeWhen,
    },
    {
      text: `Delete ${pod}: the StatefulSet re-creates the claim (a fresh volume) and then the pod; the other replicas keep running.`,
      command: `${kubectl.delete('pod', pod, ns)} && ${kubectl.waitReady(pod, ns)}`,
    },
  ];
}

/** The class the StatefulSet re-creates the claim with: its template's, or, for a template that
 *  names none, the default class at that moment (the admission plugin fills it in); '' is none. */
function recreatedClass(model: ClusterModel, claim: PersistentVolumeClaim): string {
  const owner = model.statefulSetOfClaim(claim);
  const template = owner?.sts.spec?.volumeClaimTemplates?.find((t) => t.metadata?.name === owner.template);
  const named = template ? template.spec?.storageClassName : claim.spec?.storageClassName;
  return named ?? model.defaultStorageClass()?.metadata.name ?? '';
}

/** Named apart from `current` (the volume the replica has now), whose name may differ by a character. */
function quarantineOpenVolumes(model: ClusterModel, className: string, current: PersistentVolume | undefined): RemediationStep[] {
  const open = openVolumesWithData(model, className);
  const which = `, another Available volume of class ${className}${current ? `, not ${current.metadata.name} that ${claimOf(current)} has now` : ''}: the binder would give it to the re-created claim instead of a fresh disk`;
  const steps = open.slice(0, MAX_QUARANTINE_STEPS).map((v) => quarantineVolume(v, which));
  if (open.length > MAX_QUARANTINE_STEPS) {
    steps.push({ text: `Quarantine the ${open.length - MAX_QUARANTINE_STEPS} other Available volumes of class ${className} the same way (each has its own stale-pv-reuse finding) before going on.` });
  }
  return steps;
}

function claimOf(pv: PersistentVolume): string {
  return pv.spec?.claimRef?.name ? `the claim ${pv.spec.claimRef.name}` : 'the claim';
}

/** Giving a Pending claim another class: re-create it (it holds no data). A StatefulSet's claim comes
 *  back from its template, so the template is fixed first; a bare claim is re-created by hand. */
export function recreatePendingClaim(model: ClusterModel, claim: PersistentVolumeClaim): Way {
  const ns = claim.metadata.namespace;
  const owner = model.statefulSetOfClaim(claim);
  if (!owner) {
    return { title: 'give the claim another class', steps: [{ text: 'Delete the claim and create it again with a class whose provisioner runs.', command: kubectl.delete('pvc', claim.metadata.name, ns), safeWhen: 'the claim is still Pending (it has no volume and no data)' }] };
  }
  const pod = memberName(owner.sts, owner.ordinal);
  return {
    title: "the StatefulSet's claim template names the wrong class",
    steps: [
      { text: `Fix the template first (it cannot be edited in place: save the StatefulSet, delete it with --cascade=orphan, change the template, apply it), then replace this Pending claim so it is made again from the fixed template; run doctor once more before, so that no open volume of the new class holds old data.` },
      ...replaceClaim(model, claim, undefined, pod, 'the claim is still Pending (it has no volume and no data) and the template is fixed', true),
    ],
  };
}
