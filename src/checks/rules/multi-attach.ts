// Seed 001 (case 3): a ReadWriteOnce disk can be attached to one node. When a pod on another node
// wants it, the attach-detach controller reports Multi-Attach and waits; the finding names who holds
// the disk (attachment, node, pods) because that is what the operator must release.

import { refOf, type ClusterModel } from '../../model/cluster-model.ts';
import type { PersistentVolume, PersistentVolumeClaim, Pod, VolumeAttachment } from '../../model/types.ts';
import { raise, type Check } from '../check.ts';
import { kubectl } from '../commands.ts';
import { eventEvidence, fieldEvidence } from '../evidence.ts';
import { fenceNodeSteps, nodeState, nodeStateText } from '../fencing.ts';
import type { Evidence, Finding, RemediationStep } from '../finding.ts';
import { isMultiAttachEvent, isReadWriteOnce, isWaitingPod } from '../workload.ts';

const ID = 'multi-attach';

const VOLUME_IN_MESSAGE = /for volume "([^"]+)"/;

interface Contest {
  pv: PersistentVolume;
  claim?: PersistentVolumeClaim;
  waiting: Pod[];
  evidence: Evidence[];
}

export const multiAttach: Check = {
  id: ID,
  run(model) {
    const contests = new Map<string, Contest>();
    const contest = (pv: PersistentVolume): Contest => {
      let c = contests.get(pv.metadata.name);
      if (!c) contests.set(pv.metadata.name, (c = { pv, claim: model.claimOf(pv), waiting: [], evidence: [] }));
      return c;
    };
    fromEvents(model, contest);
    fromAttachments(model, contest);
    fromPods(model, contest);
    return [...contests.values()].map((c) => describe(model, c));
  },
};

function fromEvents(model: ClusterModel, contest: (pv: PersistentVolume) => Contest): void {
  for (const pod of model.pods) {
    if (!isWaitingPod(pod)) continue;
    const events = model.eventsFor(pod).filter(isMultiAttachEvent);
    if (!events.length) continue;
    const newest = events.reduce((a, b) => ((a.lastTime ?? '') >= (b.lastTime ?? '') ? a : b));
    const named = VOLUME_IN_MESSAGE.exec(newest.message)?.[1];
    const pvs = named && model.volumes.get(named) ? [model.volumes.get(named)!] : model.claimsOf(pod).flatMap((c) => model.volumeOf(c) ?? []);
    for (const pv of pvs) {
      // Once the disk is attached where the pod runs, the event is history, whatever the pod's phase.
      if (model.attachmentsOfVolume(pv.metadata.name).some((va) => va.spec.nodeName === pod.spec?.nodeName && va.status?.attached)) continue;
      const c = contest(pv);
      if (!c.waiting.includes(pod)) c.waiting.push(pod);
      c.evidence.push(eventEvidence(newest));
    }
  }
}

function fromAttachments(model: ClusterModel, contest: (pv: PersistentVolume) => Contest): void {
  for (const pv of model.volumes.values()) {
    if (!isReadWriteOnce(pv.spec?.accessModes)) continue;
    const vas = model.attachmentsOfVolume(pv.metadata.name);
    if (new Set(vas.map((va) => va.spec.nodeName)).size < 2) continue;
    contest(pv).evidence.push(...vas.map((va) => fieldEvidence(va, `attachment of ${pv.metadata.name} on ${va.spec.nodeName}, attached=${va.status?.attached ?? false}`)));
  }
}

function fromPods(model: ClusterModel, contest: (pv: PersistentVolume) => Contest): void {
  for (const claim of model.claims.values()) {
    const pv = model.volumeOf(claim);
    if (!pv || !isReadWriteOnce(pv.spec?.accessModes)) continue;
    const live = model.podsUsing(claim).filter((p) => p.spec?.nodeName && !['Succeeded', 'Failed'].includes(p.status?.phase ?? ''));
    const nodes = new Set(live.map((p) => p.spec!.nodeName));
    const waiting = live.filter(isWaitingPod);
    if (nodes.size < 2 || !waiting.length) continue;
    const c = contest(pv);
    for (const p of waiting) if (!c.waiting.includes(p)) c.waiting.push(p);
    c.evidence.push(fieldEvidence(claim, `ReadWriteOnce claim used by pods on ${[...nodes].join(', ')}: ${live.map((p) => p.metadata.name).join(', ')}`));
  }
}

interface Holder {
  node: string;
  attachment?: VolumeAttachment;
  pods: Pod[];
}

/** Where the disk is now: the attached attachment, else a node running a pod that uses the claim. */
function holderOf(model: ClusterModel, c: Contest): Holder | undefined {
  const waitingNodes = new Set(c.waiting.map((p) => p.spec?.nodeName));
  const vas = model.attachmentsOfVolume(c.pv.metadata.name).filter((va) => !waitingNodes.has(va.spec.nodeName));
  const attachment = vas.find((va) => va.status?.attached) ?? vas[0];
  const users = c.claim ? model.podsUsing(c.claim).filter((p) => !c.waiting.includes(p) && p.spec?.nodeName) : [];
  const node = attachment?.spec.nodeName ?? users[0]?.spec?.nodeName;
  if (!node) return undefined;
  return { node, attachment, pods: users.filter((p) => p.spec?.nodeName === node) };
}

function describe(model: ClusterModel, c: Contest): Finding {
  const holder = holderOf(model, c);
  const waiting = c.waiting[0];
  const holderNode = holder ? model.nodes.get(holder.node) : undefined;
  const holdText = holder
    ? `it is held on ${holder.node}${holder.attachment ? ` by ${holder.attachment.metadata.name}` : ''}${holder.pods.length ? ` for pod ${holder.pods.map((p) => p.metadata.name).join(', ')}` : ''} (${nodeStateText(holder.node, holderNode)})`
    : 'the holder is not visible';
  const wanted = waiting ? `pod ${waiting.metadata.namespace}/${waiting.metadata.name} on ${waiting.spec?.nodeName ?? '?'} waits for it` : 'it is attached on two nodes';
  return raise(ID, {
    object: waiting ? refOf(waiting) : refOf(c.pv),
    related: [
      refOf(c.pv),
      ...(c.claim ? [refOf(c.claim)] : []),
      ...(holder ? [{ kind: 'Node', name: holder.node }] : []),
      ...(holder?.attachment ? [refOf(holder.attachment)] : []),
      ...(holder?.pods.map(refOf) ?? []),
      ...c.waiting.slice(1).map(refOf),
    ],
    message: `ReadWriteOnce volume ${c.pv.metadata.name}${c.claim ? ` (${c.claim.metadata.namespace}/${c.claim.metadata.name})` : ''} is wanted on two nodes: ${wanted}; ${holdText}`,
    evidence: c.evidence.slice(0, 6),
    remediation: holder ? remedy(model, holder) : [{ text: 'Find the attachment holding the volume.', command: `kubectl get volumeattachment -o wide | grep ${c.pv.metadata.name}` }],
  });
}

function remedy(model: ClusterModel, holder: Holder): RemediationStep[] {
  const node = model.nodes.get(holder.node);
  const state = model.sees('Node') ? nodeState(node) : 'ready';
  if (state === 'missing' || state === 'not-ready') {
    return [
      ...fenceNodeSteps(holder.node, node),
      ...(holder.attachment
        ? [{
            text: 'If the attachment is still there a few minutes after fencing, delete it: the external-attacher detaches the disk and the waiting pod attaches it.',
            command: kubectl.delete('volumeattachment', holder.attachment.metadata.name),
            safeWhen: `${holder.node} is fenced (powered off, or tainted out-of-service)`,
          }]
        : []),
    ];
  }
  const running = holder.pods.filter((p) => !p.metadata.deletionTimestamp);
  if (running.length) {
    return [{
      text: `Pod ${running.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(', ')} on ${holder.node} still uses the volume: two pods want one ReadWriteOnce disk. Stop the older one (a Deployment with an RWO claim needs strategy Recreate; two controllers must not share one claim).`,
      command: kubectl.delete('pod', running[0]!.metadata.name, running[0]!.metadata.namespace),
      safeWhen: 'the holder pod is the one that should stop',
    }];
  }
  return [{
    text: `The holder on ${holder.node} is terminating but has not released the disk; the kubelet there must unmount it first (see stuck-terminating). Do not delete the attachment while ${holder.node} may still write to the disk.`,
    command: holder.attachment ? kubectl.describe('volumeattachment', holder.attachment.metadata.name) : undefined,
  }];
}
