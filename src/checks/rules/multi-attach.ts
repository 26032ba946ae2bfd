// Seed 001 (case 3): a ReadWriteOnce disk can be attached to one node. When a pod on another node
// wants it, the attach-detach controller reports Multi-Attach and waits; the finding names who holds
// the disk (attachment, node, pods) because that is what the operator must release. A pod that has
// waited only as long as a normal reschedule takes (old pod stopping, disk detaching) is left alone.

import { refOf, type ClusterModel } from '../../model/cluster-model.ts';
import { newestFirst } from '../../model/time.ts';
import type { PersistentVolume, PersistentVolumeClaim, Pod, VolumeAttachment } from '../../model/types.ts';
import type { Check, CheckScope } from '../check.ts';
import { grepFor, kubectl } from '../commands.ts';
import { eventEvidence, fieldEvidence, isCurrent, newestEvent } from '../evidence.ts';
import type { Evidence, Finding, RemediationStep } from '../finding.ts';
import { isLostNode, nodeState, nodeStateText, recoverFromNode, waitForNode } from '../recipes/fencing.ts';
import { MULTI_ATTACH_GRACE } from '../thresholds.ts';
import { isLivePod, isMultiAttachEvent, isReadWriteOnce, isWaitingPod, sinceScheduled } from '../workload.ts';

const ID = 'multi-attach';

const VOLUME_IN_MESSAGE = /for volume "([^"]+)"/;

interface Contest {
  pv: PersistentVolume;
  claim?: PersistentVolumeClaim;
  waiting: Pod[];
  evidence: Evidence[];
}

type Contests = (pv: PersistentVolume) => Contest;

export const multiAttach: Check = {
  id: ID,
  run(scope) {
    const { model } = scope;
    const contests = new Map<string, Contest>();
    const contest: Contests = (pv) => {
      let c = contests.get(pv.metadata.name);
      if (!c) contests.set(pv.metadata.name, (c = { pv, claim: model.claimOf(pv), waiting: [], evidence: [] }));
      return c;
    };
    scope.each(model.pods, (pod) => fromEvents(model, pod, contest));
    scope.each(model.volumes.values(), (pv) => fromAttachments(model, pv, contest));
    scope.each(model.claims.values(), (claim) => fromPods(model, claim, contest));
    return scope.each(contests.values(), (c) => describe(scope, c), (c) => refOf(c.pv));
  },
};

/** A pod waits long enough for a disk to be a problem, not a reschedule in progress. */
function waitedTooLong(model: ClusterModel, pod: Pod): boolean {
  const waited = sinceScheduled(model, pod);
  return waited !== undefined && waited >= MULTI_ATTACH_GRACE;
}

function fromEvents(model: ClusterModel, pod: Pod, contest: Contests): void {
  if (!isWaitingPod(pod) || !waitedTooLong(model, pod)) return;
  const newest = newestEvent(model.eventsFor(pod).filter(isMultiAttachEvent));
  if (!newest || !isCurrent(model, newest)) return;
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

function fromAttachments(model: ClusterModel, pv: PersistentVolume, contest: Contests): void {
  if (!isReadWriteOnce(pv.spec?.accessModes)) return;
  const vas = model.attachmentsOfVolume(pv.metadata.name);
  if (new Set(vas.map((va) => va.spec.nodeName)).size < 2) return;
  // Two attachments for a moment is a detach finishing while the next attach is queued.
  const newest = [...vas].sort((a, b) => newestFirst(a.metadata.creationTimestamp, b.metadata.creationTimestamp))[0]!;
  const age = model.since(newest.metadata.creationTimestamp);
  if (age !== undefined && age < MULTI_ATTACH_GRACE) return;
  contest(pv).evidence.push(...vas.map((va) => fieldEvidence(va, `attachment of ${pv.metadata.name} on ${va.spec.nodeName}, attached=${va.status?.attached ?? false}`)));
}

function fromPods(model: ClusterModel, claim: PersistentVolumeClaim, contest: Contests): void {
  if (model.podsUsing(claim).length < 2) return;
  const pv = model.volumeOf(claim);
  if (!pv || !isReadWriteOnce(pv.spec?.accessModes)) return;
  const live = model.podsUsing(claim).filter((p) => p.spec?.nodeName && isLivePod(p));
  const nodes = new Set(live.map((p) => p.spec!.nodeName));
  const waiting = live.filter((p) => isWaitingPod(p) && waitedTooLong(model, p));
  if (nodes.size < 2 || !waiting.length) return;
  const c = contest(pv);
  for (const p of waiting) if (!c.waiting.includes(p)) c.waiting.push(p);
  c.evidence.push(fieldEvidence(claim, `ReadWriteOnce claim used by pods on ${[...nodes].join(', ')}: ${live.map((p) => p.metadata.name).join(', ')}`));
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

function describe(scope: CheckScope, c: Contest): Finding {
  const { model } = scope;
  const holder = holderOf(model, c);
  const waiting = c.waiting[0];
  const holdText = holder
    ? `it is held on ${holder.node}${holder.attachment ? ` by ${holder.attachment.metadata.name}` : ''}${holder.pods.length ? ` for pod ${holder.pods.map((p) => p.metadata.name).join(', ')}` : ''} (${nodeStateText(model, holder.node)})`
    : 'the holder is not visible';
  const wanted = waiting ? `pod ${waiting.metadata.namespace}/${waiting.metadata.name} on ${waiting.spec?.nodeName ?? '?'} waits for it` : 'it is attached on two nodes';
  return scope.raise({
    object: waiting ? refOf(waiting) : refOf(c.pv),
    ...(holder && isLostNode(nodeState(model, holder.node)) ? { cause: { kind: 'Node', name: holder.node } } : {}),
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
    remediation: holder ? remedy(model, holder) : [{ text: 'Find the attachment holding the volume.', command: `kubectl get volumeattachment -o wide | ${grepFor(c.pv.metadata.name)}` }],
  });
}

function remedy(model: ClusterModel, holder: Holder): RemediationStep[] {
  const state = nodeState(model, holder.node);
  if (isLostNode(state)) {
    return recoverFromNode(model, holder.node, holder.attachment
      ? [{
          text: 'If the attachment is still there a few minutes after fencing, delete it: the external-attacher detaches the disk and the waiting pod attaches it.',
          command: kubectl.delete('volumeattachment', holder.attachment.metadata.name),
          safeWhen: `${holder.node} is fenced (gone, powered off, or tainted out-of-service)`,
        }]
      : []);
  }
  if (state === 'not-ready-briefly') return [waitForNode(model, holder.node)];
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
    ...(holder.attachment ? { command: kubectl.describe('volumeattachment', holder.attachment.metadata.name) } : {}),
  }];
}
