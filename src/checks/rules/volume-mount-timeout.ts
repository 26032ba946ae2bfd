// Seed 000: new replicas sat in Init:0/2 with "timed out waiting for the condition". The kubelet's
// and attach-detach controller's events carry the real cause; the finding quotes it.
//
// Only a pod still held before its containers run counts: the kubelet sets up volumes first, so a
// pod whose containers are pulling images or crash-looping has its volumes, whatever old mount
// event it carries. And the event must still describe the present (the kubelet repeats it while
// the mount keeps failing).

import { refOf } from '../../model/cluster-model.ts';
import { formatDuration } from '../../model/time.ts';
import type { Pod } from '../../model/types.ts';
import type { Check } from '../check.ts';
import { kubectl } from '../commands.ts';
import { eventEvidence, isCurrent, newestEvents } from '../evidence.ts';
import { MOUNT_GRACE } from '../thresholds.ts';
import { isMultiAttachEvent, isWaitingPod, ownerText, sinceScheduled } from '../workload.ts';

const ID = 'volume-mount-timeout';

const MOUNT_TROUBLE = new Set(['FailedMount', 'FailedAttachVolume', 'FailedMapVolume']);
/** What the kubelet reports for a container whose pod is still being set up. */
const SETTING_UP = new Set(['ContainerCreating', 'PodInitializing']);

/** What kubectl shows in STATUS for a pod held up before any container ran (Init:0/2,
 *  ContainerCreating), or undefined once a container ran or waits for something else: the kubelet
 *  mounts every volume before it starts the first container. */
function waitingStatus(pod: Pod): string | undefined {
  const init = pod.status?.initContainerStatuses ?? [];
  const all = [...init, ...(pod.status?.containerStatuses ?? [])];
  if (all.some((c) => c.state?.running || c.state?.terminated)) return undefined;
  if (all.some((c) => c.state?.waiting?.reason && !SETTING_UP.has(c.state.waiting.reason))) return undefined;
  return init.length ? `Init:0/${init.length}` : 'ContainerCreating';
}

export const volumeMountTimeout: Check = {
  id: ID,
  run(scope) {
    const { model } = scope;
    return scope.each(model.pods, (pod) => {
      if (!pod.spec?.nodeName || !isWaitingPod(pod)) return undefined;
      const status = waitingStatus(pod);
      const waited = sinceScheduled(model, pod);
      if (!status || waited === undefined || waited < MOUNT_GRACE) return undefined;
      // Multi-Attach is its own finding, with the holder named; here only the other mount failures.
      const events = newestEvents(model.eventsFor(pod), (e) => MOUNT_TROUBLE.has(e.reason) && !isMultiAttachEvent(e) && isCurrent(model, e));
      if (!events.length) return undefined;
      const ns = pod.metadata.namespace;
      return scope.raise({
        object: refOf(pod),
        related: [{ kind: 'Node', name: pod.spec.nodeName }, ...model.claimsOf(pod).flatMap((c) => [refOf(c), ...(model.volumeOf(c) ? [refOf(model.volumeOf(c)!)] : [])])],
        message: `${ns}/${pod.metadata.name} (${ownerText(model, pod)}) has waited ${formatDuration(waited)} in ${status} on ${pod.spec.nodeName}: ${events[0]!.message}`,
        evidence: events.map(eventEvidence),
        remediation: [
          { text: 'Read every volume event of the pod; the first error, not the final "timed out", is the cause.', command: kubectl.events('Pod', pod.metadata.name, ns) },
          { text: `Check whether the volume is attached to ${pod.spec.nodeName} (ATTACHED true) and, if not, why (attachError).`, command: 'kubectl get volumeattachment -o wide' },
          { text: 'Common causes: the CSI node plugin is not running on that node, the disk is in another zone, the file system needs repair, or the node is at its attach limit.' },
        ],
      });
    });
  },
};
