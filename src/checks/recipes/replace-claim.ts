// Giving one replica a fresh volume without taking the others down: keep the old volume (Retain),
// delete the claim without waiting (the protection finalizer holds it while the pod runs), then
// delete the pod. The StatefulSet re-creates the claim from its template and the pod with it; only
// this replica restarts. Scaling down instead would stop every higher ordinal too.

import type { PersistentVolume, PersistentVolumeClaim } from '../../model/types.ts';
import { kubectl } from '../commands.ts';
import type { RemediationStep } from '../finding.ts';

export function replaceClaim(claim: PersistentVolumeClaim, pv: PersistentVolume | undefined, pod: string, safeWhen: string): RemediationStep[] {
  const ns = claim.metadata.namespace;
  const keep: RemediationStep[] = pv && (pv.spec?.persistentVolumeReclaimPolicy ?? 'Delete') !== 'Retain'
    ? [{
        text: `Keep the old data whatever happens to the claim: set ${pv.metadata.name} to Retain (deleting the claim would otherwise delete the disk).`,
        command: kubectl.patch('pv', pv.metadata.name, undefined, { spec: { persistentVolumeReclaimPolicy: 'Retain' } }),
      }]
    : [];
  return [
    ...keep,
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

