// Plans in words and in kubectl: the text of a condition, and the kubectl line equivalent to an
// action, so a plan reads as the runbook it automates and can be followed by hand.

import { kubectl, localFile } from '../checks/commands.ts';
import type { Action, Expectation, Target } from './plan.ts';

const RESOURCE: Record<Target['kind'], string> = {
  Namespace: 'namespace', Pod: 'pod', PersistentVolumeClaim: 'pvc', PersistentVolume: 'pv', StatefulSet: 'statefulset', Node: 'node', VolumeAttachment: 'volumeattachment', VolumeSnapshot: 'volumesnapshot',
};

export function resourceOf(t: Target): string {
  return RESOURCE[t.kind];
}

/** The kubectl line that does what the action does (without stsvol's preconditions), if any. */
export function kubectlFor(action: Action): string | undefined {
  switch (action.verb) {
    case 'none':
      return undefined;
    case 'save':
      return kubectl.saveTo(resourceOf(action.target), action.target.name, action.target.namespace, localFile(action.target.name, '.yaml'));
    case 'patch':
      return kubectl.patch(resourceOf(action.target), action.target.name, action.target.namespace, action.patch);
    case 'delete':
      return action.force ? kubectl.forceDeletePod(action.target.name, action.target.namespace)
        : kubectl.delete(resourceOf(action.target), action.target.name, action.target.namespace, action.orphan ? ' --cascade=orphan' : ' --wait=false');
    case 'evict':
      // kubectl evicts only whole nodes (drain); by hand, a delete is the nearest, without the PDB check.
      return kubectl.delete('pod', action.target.name, action.target.namespace);
    case 'create':
      return `kubectl create -f ${localFile(action.manifest.metadata.name, '.yaml')}`;
    case 'recreate':
      return kubectl.apply(localFile(action.target.name, '.yaml'));
    case 'taint-out-of-service':
      return kubectl.taintOutOfService(action.target.name);
  }
}

const claimText = (t: Target) => `claim ${t.name}`;

export function expectationText(e: Expectation): string {
  switch (e.type) {
    case 'claim-requests':
      return `${claimText(e.claim)} requests at least ${e.atLeast}`;
    case 'claim-expanded':
      return `${claimText(e.claim)} has ${e.atLeast}${e.orFileSystemPendingFor !== undefined ? `, or its file system has waited ${e.orFileSystemPendingFor}s for a remount` : ''}${e.orInUse ? ', or the resizer waits for it to be free (a driver that expands only offline)' : ''}`;
    case 'claim-controller-expanded':
      return `the volume of ${claimText(e.claim)} has grown to ${e.atLeast} (only the file system may be left)`;
    case 'claim-expansion-in-use':
      return `the resizer refuses ${claimText(e.claim)} while a pod uses it (its driver expands only offline)`;
    case 'claim-file-system-pending':
      return `the file system of ${claimText(e.claim)} waits for its pod to restart (FileSystemResizePending)`;
    case 'claim-unused':
      return `no pod uses ${claimText(e.claim)}`;
    case 'pod-ready':
      return `pod ${e.pod.name} is Ready${e.notUid ? ' as a new pod' : ''}${e.notOnNode ? ` on a node other than ${e.notOnNode}` : ''}`;
    case 'others-ready':
      return `every other replica of ${e.sts.name} is Ready`;
    case 'gone':
      return `${resourceOf(e.target)} ${e.target.name}${e.target.uid ? ' (this one)' : ''} is gone`;
    case 'statefulset-unchanged':
      return `statefulset ${e.sts.name} is unchanged since the plan (replicas ${e.replicas})`;
    case 'statefulset-replicas':
      return `statefulset ${e.sts.name} asks for ${e.replicas} replicas`;
    case 'statefulset-excludes-ordinal':
      return `statefulset ${e.sts.name} does not run ordinal ${e.ordinal} (outside [ordinals.start, start + replicas))`;
    case 'statefulset-template':
      return `statefulset ${e.sts.name} exists with ${e.sizes.map((s) => `"${s.template}" at ${s.storage}`).join(', ')}`;
    case 'statefulset-settled':
      return `statefulset ${e.sts.name} runs ${e.replicas} Ready replicas and no others`;
    case 'statefulset-adopted':
      return `statefulset ${e.sts.name} owns the pods its orphan delete left running, none restarted, all Ready`;
    case 'statefulset-rollout-complete':
      return `statefulset ${e.sts.name} has no unfinished rollout (currentRevision = updateRevision)`;
    case 'statefulset-recreatable':
      return `the API server admits statefulset ${e.sts.name} as it will be created again (dry run)`;
    case 'node-fenced':
      return `node ${e.node} is gone, or tainted out-of-service and not Ready`;
    case 'node-not-ready':
      return `node ${e.node} is not Ready`;
    case 'node-gone':
      return `node ${e.node} does not exist`;
    case 'detached':
      return `volume ${e.volume} is not attached to ${e.node}`;
    case 'volume-released':
      return `volume ${e.volume.name} is Released`;
    case 'volume-open':
      return `volume ${e.volume.name} is Available and reserved for no claim (judged on the version written)`;
    case 'volume-reserved':
      return `volume ${e.volume.name} is reserved for ${e.claim.namespace}/${e.claim.name}`;
    case 'snapshot-ready':
      return `snapshot ${e.snapshot.name} is ready to use`;
    case 'no-new-open-volumes':
      return `no volume of class ${e.wish.className} that a new claim could bind is open${e.known.length ? ` but ${e.known.join(', ')}` : ''}`;
    case 'statefulset-not-parked':
      return `statefulset ${e.sts.name} runs replicas and no autoscaler targets it`;
    case 'step-acted':
      return `step ${e.step} of this operation acted`;
    case 'disruption-allowed':
      return `the PodDisruptionBudgets of pod ${e.pod.name} allow one more disruption`;
  }
}
