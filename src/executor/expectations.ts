// A plan's conditions, judged against the live cluster at the moment they matter. `failed` means
// waiting longer cannot help (the controller reported an error, the object was replaced): the
// operation stops instead of timing out.

import { OUT_OF_SERVICE_TAINT } from '../model/annotations.ts';
import { parseQuantity } from '../model/quantity.ts';
import type { Expectation, Target } from '../plans/plan.ts';
import { isPodReady } from '../plans/targets.ts';
import type { KubeApi } from './api.ts';

export interface Verdict {
  holds: boolean;
  /** What is seen instead, for progress output and stop messages. */
  detail?: string;
  /** Set when the condition can no longer come true by waiting. */
  failed?: boolean;
}

type Any = Record<string, any>;
type Condition = { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string };

const yes: Verdict = { holds: true };
const no = (detail: string, failed = false): Verdict => ({ holds: false, detail, ...(failed ? { failed } : {}) });

const conditionOf = (obj: Any | undefined, type: string): Condition | undefined => (obj?.status?.conditions as Condition[] | undefined)?.find((c) => c.type === type && c.status === 'True');
const bytes = (q: unknown) => parseQuantity(typeof q === 'string' ? q : undefined) ?? 0;


export async function judge(e: Expectation, api: KubeApi, now: number): Promise<Verdict> {
  switch (e.type) {
    case 'claim-requests': {
      const claim = await api.read(e.claim) as Any | undefined;
      if (!claim) return no(`claim ${e.claim.name} does not exist`, true);
      const want = claim.spec?.resources?.requests?.storage;
      return bytes(want) >= bytes(e.atLeast) ? yes : no(`requests ${want}`);
    }
    case 'claim-expanded':
      return claimExpanded(api, e, now);
    case 'claim-file-system-pending': {
      const claim = await api.read(e.claim) as Any | undefined;
      return conditionOf(claim, 'FileSystemResizePending') && bytes(claim?.status?.capacity?.storage) < bytes(claim?.spec?.resources?.requests?.storage) ? yes : no('no remount pending');
    }
    case 'claim-unused': {
      const users = (await api.list('Pod', e.claim.namespace)).filter((p: Any) => !['Succeeded', 'Failed'].includes(p.status?.phase) && (p.spec?.volumes ?? []).some((v: Any) => v.persistentVolumeClaim?.claimName === e.claim.name));
      return users.length ? no(`used by pod ${users.map((p) => p.metadata.name).join(', ')}`, true) : yes;
    }
    case 'pod-ready': {
      const pod = await api.read(e.pod) as Any | undefined;
      if (!pod) return no(`pod ${e.pod.name} does not exist yet`);
      if (e.notUid && pod.metadata.uid === e.notUid) return no(`pod ${e.pod.name} is still the old one${pod.metadata.deletionTimestamp ? ' (terminating)' : ''}`);
      if (e.notOnNode && pod.spec?.nodeName === e.notOnNode) return no(`pod ${e.pod.name} is on ${e.notOnNode} again`);
      return isPodReady(pod) ? yes : no(`pod ${e.pod.name} is ${pod.status?.phase ?? 'not Ready'}${pod.spec?.nodeName ? ` on ${pod.spec.nodeName}` : ', not scheduled'}`);
    }
    case 'others-ready':
      return othersReady(api, e.sts, e.except);
    case 'gone': {
      const obj = await api.read(e.target);
      return !obj || (e.target.uid !== undefined && obj.metadata.uid !== e.target.uid) ? yes : no(`${e.target.kind} ${e.target.name} still exists${obj.metadata.deletionTimestamp ? ' (being deleted)' : ''}`);
    }
    case 'statefulset-unchanged': {
      const sts = await api.read(e.sts) as Any | undefined;
      if (!sts || (e.sts.uid && sts.metadata.uid !== e.sts.uid)) return no(`statefulset ${e.sts.name} was ${sts ? 'replaced' : 'deleted'} by someone else`, true);
      if ((sts.spec?.replicas ?? 1) !== e.replicas) return no(`statefulset ${e.sts.name} was scaled to ${sts.spec?.replicas} replicas since the plan (${e.replicas})`, true);
      if (e.generation !== undefined && sts.metadata.generation !== e.generation) return no(`statefulset ${e.sts.name} was changed since the plan (generation ${e.generation} → ${sts.metadata.generation})`, true);
      return yes;
    }
    case 'statefulset-replicas': {
      const sts = await api.read(e.sts) as Any | undefined;
      return sts && (sts.spec?.replicas ?? 1) === e.replicas ? yes : no(sts ? `asks for ${sts.spec?.replicas ?? 1} replicas` : 'does not exist');
    }
    case 'statefulset-replicas-at-most': {
      const sts = await api.read(e.sts) as Any | undefined;
      if (!sts) return no(`statefulset ${e.sts.name} does not exist, so nothing proves its ordinals are unused (is it being re-created?)`, true);
      return (sts.spec?.replicas ?? 1) <= e.replicas ? yes : no(`statefulset ${e.sts.name} runs ${sts.spec?.replicas} replicas again`, true);
    }
    case 'statefulset-template': {
      const sts = await api.read(e.sts) as Any | undefined;
      if (!sts) return no(`statefulset ${e.sts.name} does not exist`);
      const wrong = e.sizes.filter((s) => bytes((sts.spec?.volumeClaimTemplates ?? []).find((t: Any) => t.metadata?.name === s.template)?.spec?.resources?.requests?.storage) !== bytes(s.storage));
      return wrong.length ? no(`statefulset ${e.sts.name} exists with other claim template sizes`, true) : yes;
    }
    case 'statefulset-settled':
      return settled(api, e.sts, e.replicas);
    case 'statefulset-adopted':
      return adopted(api, e.sts, e.pods);
    case 'node-fenced': {
      const node = await api.get('Node', undefined, e.node) as Any | undefined;
      return !node || (node.spec?.taints ?? []).some((t: Any) => t.key === OUT_OF_SERVICE_TAINT) ? yes : no(`node ${e.node} is not fenced`, true);
    }
    case 'node-not-ready': {
      const node = await api.get('Node', undefined, e.node) as Any | undefined;
      return node && conditionOf(node, 'Ready') ? no(`node ${e.node} reports Ready: it is not down`, true) : yes;
    }
    case 'node-gone':
      return (await api.get('Node', undefined, e.node)) ? no(`node ${e.node} exists`, true) : yes;
    case 'detached': {
      const left = (await api.list('VolumeAttachment', undefined)).filter((va: Any) => va.spec?.source?.persistentVolumeName === e.volume && va.spec?.nodeName === e.node);
      return left.length ? no(`attachment ${left[0]!.metadata.name} still holds ${e.volume} on ${e.node}`) : yes;
    }
    case 'volume-released': {
      const pv = await api.read(e.volume) as Any | undefined;
      return pv?.status?.phase === 'Released' ? yes : no(`volume ${e.volume.name} is ${pv?.status?.phase ?? 'gone'}`, true);
    }
    case 'volume-reserved': {
      const pv = await api.read(e.volume) as Any | undefined;
      const ref = pv?.spec?.claimRef;
      return ref?.namespace === e.claim.namespace && ref?.name === e.claim.name ? yes : no(`volume ${e.volume.name} is reserved for ${ref ? `${ref.namespace}/${ref.name}` : 'no claim'}`);
    }
    case 'snapshot-ready': {
      const snap = await api.read(e.snapshot) as Any | undefined;
      if (snap?.status?.error?.message) return no(`snapshot ${e.snapshot.name} failed: ${snap.status.error.message}`, true);
      return snap?.status?.readyToUse ? yes : no(`snapshot ${e.snapshot.name} is ${snap ? 'not ready yet' : 'missing'}`);
    }
  }
}

async function claimExpanded(api: KubeApi, e: Extract<Expectation, { type: 'claim-expanded' }>, now: number): Promise<Verdict> {
  const claim = await api.read(e.claim) as Any | undefined;
  if (!claim) return no(`claim ${e.claim.name} does not exist`, true);
  const capacity = claim.status?.capacity?.storage;
  if (bytes(capacity) >= bytes(e.atLeast)) return yes;
  const error = conditionOf(claim, 'ControllerResizeError') ?? conditionOf(claim, 'NodeResizeError');
  if (error) return no(`${error.type}: ${error.message ?? error.reason ?? ''}`, true);
  const infeasible = Object.values(claim.status?.allocatedResourceStatuses ?? {}).find((s) => String(s).endsWith('Infeasible'));
  if (infeasible) return no(`the resize is ${infeasible}`, true);
  const pending = conditionOf(claim, 'FileSystemResizePending');
  if (pending && e.orFileSystemPendingFor !== undefined) {
    const since = Date.parse(pending.lastTransitionTime ?? '');
    const waited = Number.isFinite(since) ? (now - since) / 1000 : 0;
    if (waited >= e.orFileSystemPendingFor) return yes;
    return no(`the file system waits for the node (${Math.floor(waited)}s of ${e.orFileSystemPendingFor}s before a restart)`);
  }
  return no(`capacity ${capacity ?? '?'}${conditionOf(claim, 'Resizing') ? ', resizing' : ''}`);
}

/** Members of a StatefulSet: its selector's pods named <sts>-<ordinal>. */
async function membersOf(api: KubeApi, sts: Any): Promise<Any[]> {
  const labels = sts.spec?.selector?.matchLabels ?? {};
  const selector = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
  const pods = await api.list('Pod', sts.metadata.namespace, selector ? { labelSelector: selector } : {});
  const member = new RegExp(`^${sts.metadata.name.replace(/[.]/g, '\\.')}-\\d+$`);
  return pods.filter((p) => member.test(p.metadata.name));
}

async function othersReady(api: KubeApi, t: Target, except: string): Promise<Verdict> {
  const sts = await api.read(t) as Any | undefined;
  if (!sts) return no(`statefulset ${t.name} does not exist`, true);
  const others = (await membersOf(api, sts)).filter((p) => p.metadata.name !== except);
  const down = others.filter((p) => !isPodReady(p)).map((p) => p.metadata.name);
  const expected = (sts.spec?.replicas ?? 1) - 1;
  if (down.length) return no(`${down.join(', ')} not Ready: restarting ${except} now would take two replicas down`);
  return others.length >= expected ? yes : no(`only ${others.length} of the other ${expected} replicas exist`);
}

async function settled(api: KubeApi, t: Target, replicas: number): Promise<Verdict> {
  const sts = await api.read(t) as Any | undefined;
  if (!sts) return no(`statefulset ${t.name} does not exist`, true);
  const status = sts.status ?? {};
  const members = await membersOf(api, sts);
  const ready = members.filter(isPodReady).length;
  if ((status.observedGeneration ?? 0) < (sts.metadata.generation ?? 0)) return no('the controller has not seen the change yet');
  if (members.length !== replicas || ready !== replicas) return no(`${ready} of ${replicas} replicas Ready, ${members.length} pods`);
  return yes;
}

async function adopted(api: KubeApi, t: Target, pods: { name: string; uid: string }[]): Promise<Verdict> {
  const sts = await api.read(t) as Any | undefined;
  if (!sts) return no(`statefulset ${t.name} does not exist`);
  for (const expected of pods) {
    const pod = await api.get('Pod', t.namespace, expected.name) as Any | undefined;
    if (!pod) return no(`pod ${expected.name} is gone`, true);
    if (pod.metadata.uid !== expected.uid) return no(`pod ${expected.name} was restarted (a new pod)`, true);
    const owner = (pod.metadata.ownerReferences ?? []).find((r: Any) => r.controller);
    if (owner?.uid !== sts.metadata.uid) return no(`pod ${expected.name} is not adopted yet`);
    if (!isPodReady(pod)) return no(`pod ${expected.name} is not Ready`);
  }
  return yes;
}
