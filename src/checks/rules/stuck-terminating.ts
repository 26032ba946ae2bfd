// Seeds 000/001: a pod stays Terminating when nobody can confirm its containers stopped: its node is
// lost, a finalizer is held, or the kubelet cannot unmount its volumes. For a StatefulSet that is an
// outage of one identity: the controller will not create web-2 while a web-2 object exists.

import { refOf, type ClusterModel } from '../../model/cluster-model.ts';
import { formatDuration, parseTime } from '../../model/time.ts';
import type { Pod } from '../../model/types.ts';
import type { Check, CheckScope } from '../check.ts';
import { kubectl, shellWord, stsvolTarget } from '../commands.ts';
import { eventEvidence, fieldEvidence, newestEvents } from '../evidence.ts';
import { isLostNode, nodeState, nodeStateText, recoverFromNode, stsvolRecover, waitForNode } from '../recipes/fencing.ts';
import type { Evidence, Finding, RemediationStep } from '../finding.ts';
import { TERMINATING_MARGIN } from '../thresholds.ts';

const ID = 'stuck-terminating';

const UNMOUNT_TROUBLE = /FailedUnmount|UnmountFailed|FailedKillPod|FailedDetach/i;

export const stuckTerminating: Check = {
  id: ID,
  run(scope) {
    return scope.each(scope.model.pods, (pod) => {
      const deadline = parseTime(pod.metadata.deletionTimestamp);
      if (deadline === undefined || scope.model.now < deadline + TERMINATING_MARGIN) return undefined;
      return stuck(scope, pod, scope.model.now - deadline);
    });
  },
};

function stuck(scope: CheckScope, pod: Pod, overdue: number): Finding {
  const { model } = scope;
  const ns = pod.metadata.namespace;
  const nodeName = pod.spec?.nodeName;
  const node = nodeName ? model.nodes.get(nodeName) : undefined;
  const sts = model.statefulSetNameOf(pod);
  const unmount = newestEvents(model.eventsFor(pod), (e) => UNMOUNT_TROUBLE.test(e.reason) || /device or resource busy/i.test(e.message));
  const finalizers = pod.metadata.finalizers ?? [];
  const reasons: string[] = [];
  const evidence: Evidence[] = [fieldEvidence(pod, `deletionTimestamp=${pod.metadata.deletionTimestamp} (grace period ends there), ${formatDuration(overdue)} ago`, pod.metadata.deletionTimestamp)];
  const state = nodeName ? nodeState(model, nodeName) : 'unseen';
  if (nodeName && state !== 'ready' && state !== 'unseen') {
    reasons.push(nodeStateText(model, nodeName));
    evidence.push(node ? fieldEvidence(node, nodeStateText(model, nodeName)) : fieldEvidence(pod, `spec.nodeName=${nodeName}, no such Node`));
  }
  if (finalizers.length) {
    reasons.push(`finalizers ${finalizers.join(', ')} are held`);
    evidence.push(fieldEvidence(pod, `metadata.finalizers=[${finalizers.join(', ')}]`));
  }
  if (unmount.length) {
    reasons.push('the kubelet cannot unmount its volumes');
    evidence.push(...unmount.map(eventEvidence));
  }
  if (!reasons.length) reasons.push(nodeName ? `the kubelet on ${nodeName} has not confirmed the containers stopped` : 'it was never scheduled and is held by something else');
  const blocks = sts ? `; StatefulSet ${ns}/${sts} cannot re-create ${pod.metadata.name} until this object is gone` : '';
  return scope.raise({
    severity: sts ? 'critical' : 'warning',
    object: refOf(pod),
    ...(nodeName && isLostNode(state) ? { cause: { kind: 'Node', name: nodeName } } : {}),
    related: [
      ...(nodeName ? [{ kind: 'Node', name: nodeName }] : []),
      ...(sts ? [{ kind: 'StatefulSet', namespace: ns, name: sts }] : []),
      ...model.claimsOf(pod).map(refOf),
    ],
    message: `${ns}/${pod.metadata.name} has been terminating ${formatDuration(overdue)} past its deadline because ${reasons.join(' and ')}${blocks}`,
    evidence,
    remediation: remedy(model, pod, unmount.length > 0),
  });
}

function forceDeletion(pod: Pod, nodeName: string, state: string): RemediationStep {
  return {
    text: state === 'missing'
      ? 'The pod garbage collector removes pods of deleted nodes; if it has not, force-delete the pod object.'
      : state === 'out-of-service'
        ? `${nodeName} is fenced (out-of-service): the pod garbage collector should have force-deleted this pod. If it has not, do it by hand.`
        : 'The pod garbage collector force-deletes it once the taint is set; if the taint cannot be used, force-delete the pod object instead.',
    command: kubectl.forceDeletePod(pod.metadata.name, pod.metadata.namespace),
    safeWhen: `the machine behind ${nodeName} is confirmed powered off or gone (never before: a second copy would write to the same volume)`,
  };
}

function finalizerSteps(pod: Pod): RemediationStep[] {
  const finalizers = pod.metadata.finalizers ?? [];
  return finalizers.length
    ? [{
        text: `Finalizers ${finalizers.join(', ')} are removed by the controller that added them; remove them by hand only if that controller is gone.`,
        command: kubectl.patch('pod', pod.metadata.name, pod.metadata.namespace, { metadata: { finalizers: null } }),
        safeWhen: 'the controller owning the finalizers is gone and the containers are confirmed stopped',
      }]
    : [];
}

function remedy(model: ClusterModel, pod: Pod, unmountTrouble: boolean): RemediationStep[] {
  const nodeName = pod.spec?.nodeName;
  const state = nodeName ? nodeState(model, nodeName) : 'unseen';
  if (nodeName && isLostNode(state)) return recoverFromNode(model, nodeName, [forceDeletion(pod, nodeName, state), ...finalizerSteps(pod)], stsvolRecover(model, nodeName, stsvolTarget('pod', pod.metadata.name, pod.metadata.namespace)));
  const steps: RemediationStep[] = [];
  if (nodeName && state === 'not-ready-briefly') steps.push(waitForNode(model, nodeName));
  else if (nodeName && unmountTrouble) {
    steps.push(
      { text: `Find what keeps the volume busy on ${nodeName} (a process with an open file, a leftover mount) and stop it; the kubelet then finishes by itself.`, command: `kubectl debug ${shellWord(`node/${nodeName}`)} -it --image=busybox -- chroot /host sh -c 'grep kubernetes.io~csi /proc/mounts'` },
      { text: `Do not force-delete: ${nodeName} is reachable and its containers may still run, so a replacement would break at-most-one.` },
    );
  }
  steps.push(...finalizerSteps(pod));
  if (!steps.length) steps.push({ text: `Look at the kubelet on ${nodeName ?? 'the node'}: it has not reported the containers stopped.`, command: kubectl.describe('pod', pod.metadata.name, pod.metadata.namespace) });
  return steps;
}
