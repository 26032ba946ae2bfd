// Seed 000: new replicas sat in Init:0/2 with "timed out waiting for the condition". The kubelet's
// and attach-detach controller's events carry the real cause; the finding quotes it.

import { refOf } from '../../model/cluster-model.ts';
import { formatDuration } from '../../model/time.ts';
import type { Pod } from '../../model/types.ts';
import { raise, type Check } from '../check.ts';
import { kubectl } from '../commands.ts';
import { eventEvidence, newestEvents } from '../evidence.ts';
import type { Finding } from '../finding.ts';
import { MOUNT_GRACE } from '../thresholds.ts';
import { isMultiAttachEvent, isWaitingPod, ownerText } from '../workload.ts';

const ID = 'volume-mount-timeout';

const MOUNT_TROUBLE = new Set(['FailedMount', 'FailedAttachVolume', 'FailedMapVolume']);

/** What kubectl shows in STATUS for a pod held up before its containers run. */
function waitingStatus(pod: Pod): string {
  const init = pod.status?.initContainerStatuses ?? [];
  const pendingInit = init.filter((c) => !c.state?.terminated).length;
  if (pendingInit) return `Init:${init.length - pendingInit}/${init.length}`;
  return pod.status?.containerStatuses?.find((c) => c.state?.waiting)?.state?.waiting?.reason ?? 'ContainerCreating';
}

export const volumeMountTimeout: Check = {
  id: ID,
  run(model) {
    const findings: Finding[] = [];
    for (const pod of model.pods) {
      if (!pod.spec?.nodeName || !isWaitingPod(pod)) continue;
      const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'True')?.lastTransitionTime ?? pod.metadata.creationTimestamp;
      const waited = model.since(scheduled);
      if (waited === undefined || waited < MOUNT_GRACE) continue;
      // Multi-Attach is its own finding, with the holder named; here only the other mount failures.
      const events = newestEvents(model.eventsFor(pod), (e) => MOUNT_TROUBLE.has(e.reason) && !isMultiAttachEvent(e));
      if (!events.length) continue;
      const ns = pod.metadata.namespace;
      const cause = events[0]!.message;
      findings.push(raise(ID, {
        object: refOf(pod),
        related: [{ kind: 'Node', name: pod.spec.nodeName }, ...model.claimsOf(pod).flatMap((c) => [refOf(c), ...(model.volumeOf(c) ? [refOf(model.volumeOf(c)!)] : [])])],
        message: `${ns}/${pod.metadata.name} (${ownerText(model, pod)}) has waited ${formatDuration(waited)} in ${waitingStatus(pod)} on ${pod.spec.nodeName}: ${cause}`,
        evidence: events.map(eventEvidence),
        remediation: [
          { text: 'Read every volume event of the pod; the first error, not the final "timed out", is the cause.', command: kubectl.events('Pod', pod.metadata.name, ns) },
          { text: `Check whether the volume is attached to ${pod.spec.nodeName} (ATTACHED true) and, if not, why (attachError).`, command: 'kubectl get volumeattachment -o wide' },
          { text: 'Common causes: the CSI node plugin is not running on that node, the disk is in another zone, the file system needs repair, or the node is at its attach limit.' },
        ],
      }));
    }
    return findings;
  },
};
