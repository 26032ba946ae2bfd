// Seed 001 (case 4): the disk grew, the file system did not. The controller part of an expansion is
// done and the kubelet must finish it; for drivers that expand only offline that happens when a pod
// (re)mounts the volume, so a running pod keeps the old size until it restarts.

import { refOf, type ClusterModel } from '../../model/cluster-model.ts';
import { formatDuration } from '../../model/time.ts';
import type { PersistentVolumeClaim } from '../../model/types.ts';
import type { Check, CheckScope } from '../check.ts';
import { kubectl } from '../commands.ts';
import { conditionEvidence, fieldEvidence } from '../evidence.ts';
import type { Finding, RemediationStep } from '../finding.ts';
import { restartReplica } from '../recipes/restart-replica.ts';
import { trueCondition } from '../resize.ts';
import { RESIZE_GRACE } from '../thresholds.ts';

const ID = 'resize-fs-pending';

export const resizeFsPending: Check = {
  id: ID,
  run(scope) {
    return scope.each(scope.model.claims.values(), (claim) => {
      const pending = trueCondition(claim, 'FileSystemResizePending');
      const waited = scope.model.since(pending?.lastTransitionTime);
      return pending && waited !== undefined && waited >= RESIZE_GRACE ? waiting(scope, claim, pending, waited) : undefined;
    });
  },
};

function waiting(scope: CheckScope, claim: PersistentVolumeClaim, pending: NonNullable<ReturnType<typeof trueCondition>>, waited: number): Finding {
  const { model } = scope;
  const ns = claim.metadata.namespace;
  const pods = model.podsUsing(claim).filter((p) => !p.metadata.deletionTimestamp);
  const pv = model.volumeOf(claim);
  const status = claim.status?.allocatedResourceStatuses?.storage;
  return scope.raise({
    object: refOf(claim),
    related: [...(pv ? [refOf(pv)] : []), ...pods.map(refOf)],
    message: `${ns}/${claim.metadata.name}: the volume was expanded to ${pv?.spec?.capacity?.storage ?? claim.spec?.resources?.requests?.storage ?? '?'} but the file system has waited ${formatDuration(waited)} for the node (claim still shows ${claim.status?.capacity?.storage ?? '?'})`,
    evidence: [
      conditionEvidence(claim, pending),
      ...(status ? [fieldEvidence(claim, `status.allocatedResourceStatuses.storage=${status}`)] : []),
      ...(pods.length ? [fieldEvidence(pods[0]!, `mounted by ${pods.map((p) => `${p.metadata.name} on ${p.spec?.nodeName ?? '?'} (${p.status?.phase ?? '?'})`).join(', ')}`)] : []),
    ],
    remediation: remedy(model, claim),
  });
}

function remedy(model: ClusterModel, claim: PersistentVolumeClaim): RemediationStep[] {
  const ns = claim.metadata.namespace;
  const pods = model.podsUsing(claim).filter((p) => !p.metadata.deletionTimestamp);
  if (!pods.length) {
    return [{ text: 'No pod mounts the claim: the kubelet finishes the resize when a pod next mounts it (scale the workload back up, or start the pod).' }];
  }
  const pod = pods[0]!;
  const why = 'The driver expands offline: the kubelet grows the file system when the volume is mounted again.';
  return [
    { text: `Check the kubelet on ${pod.spec?.nodeName ?? 'the node'} for NodeExpandVolume errors; a driver that expands online finishes without a restart.`, command: kubectl.events('Pod', pod.metadata.name, ns) },
    model.statefulSetNameOf(pod)
      ? restartReplica(pod, why)
      : { text: `${why} Restart the pod (its controller re-creates it).`, command: kubectl.delete('pod', pod.metadata.name, ns), safeWhen: 'the workload tolerates this pod restarting' },
  ];
}
