// A snapshot taken before a claim goes (scale-down, reclaim) must be a snapshot of that claim: a
// snapshot of the same name from an earlier claim of the same name (deleted and made again by a
// scale-down and scale-up the same day) would let the delete go ahead with the data never copied.
// So the name carries the claim's uid, the snapshot is labelled with it, and "ready" is judged on
// the source and the label, not the name alone.

import { SNAPSHOT_CLAIM_UID_LABEL } from '../model/annotations.ts';
import type { Expectation, Step, Target } from './plan.ts';

export function snapshotOf(claim: Target, today: string): Target {
  const uid = claim.uid ? `-${claim.uid.slice(-8)}` : '';
  return { kind: 'VolumeSnapshot', namespace: claim.namespace, name: `${claim.name.slice(0, 230)}${uid}-${today}` };
}

/** The snapshot of `claim`, ReadyToUse: what a delete of the claim requires. */
export function snapshotReady(claim: Target, today: string): Expectation {
  return { type: 'snapshot-ready', snapshot: snapshotOf(claim, today), claim };
}

export function snapshotStep(claim: Target, snapshotClass: string, today: string): Step {
  const snapshot = snapshotOf(claim, today);
  const labels: Record<string, string> = { 'app.kubernetes.io/managed-by': 'stsvol', ...(claim.uid ? { [SNAPSHOT_CLAIM_UID_LABEL]: claim.uid } : {}) };
  return {
    id: `snapshot:${claim.name}`, title: `Snapshot claim ${claim.name} as ${snapshot.name}`,
    action: {
      verb: 'create',
      manifest: { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: snapshot.name, namespace: claim.namespace, labels }, spec: { volumeSnapshotClassName: snapshotClass, source: { persistentVolumeClaimName: claim.name } } },
    },
    requires: [], until: snapshotReady(claim, today), undo: `kubectl delete volumesnapshot ${snapshot.name} -n ${claim.namespace}`,
  };
}
