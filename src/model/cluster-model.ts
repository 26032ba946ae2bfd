// The cluster as the checks see it: the snapshot's objects plus every index a check needs, built once
// in linear time, and one `now`. Checks never scan the whole snapshot for a relation; they ask here.

import { BETA_DEFAULT_CLASS_ANNOTATION, DEFAULT_CLASS_ANNOTATION, OUT_OF_SERVICE_TAINT } from './annotations.ts';
import { NamespacedMap, pushAt, type ReadonlyNamespacedMap } from './namespaced-map.ts';
import { KIND_NOTICES, type Snapshot } from './snapshot.ts';
import { parseTime } from './time.ts';
import type {
  ClusterEvent, CSIDriver, CSINode, KubeObject, Node, PersistentVolume, PersistentVolumeClaim, Pod,
  StatefulSet, StorageClass, VolumeAttachment,
} from './types.ts';

export { refOf } from './snapshot.ts';

/** Pods and claims of one StatefulSet, by ordinal. */
export interface StatefulSetMembers {
  pods: Map<number, Pod>;
  /** Claim template name → ordinal → claim. */
  claims: Map<string, Map<number, PersistentVolumeClaim>>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A claim made from a StatefulSet's claim template. */
export interface StatefulSetClaim {
  sts: StatefulSet;
  template: string;
  ordinal: number;
}

const ORDINAL = /^\d+$/;
const NONE: readonly never[] = [];

export class ClusterModel {
  readonly snapshot: Snapshot;
  readonly now: number;
  /** By name (cluster-scoped) or by namespace and name: the snapshot's own maps. */
  readonly nodes: ReadonlyMap<string, Node>;
  readonly claims: ReadonlyNamespacedMap<PersistentVolumeClaim>;
  readonly volumes: ReadonlyMap<string, PersistentVolume>;
  readonly storageClasses: ReadonlyMap<string, StorageClass>;
  readonly csiDrivers: ReadonlyMap<string, CSIDriver>;
  readonly csiNodes: ReadonlyMap<string, CSINode>;
  readonly statefulSets: ReadonlyNamespacedMap<StatefulSet>;
  private readonly podsByKey: ReadonlyNamespacedMap<Pod>;
  private readonly podsByClaim = new NamespacedMap<Pod[]>();
  private readonly claimsByPod = new Map<Pod, PersistentVolumeClaim[]>();
  private readonly attachmentsByVolume = new Map<string, VolumeAttachment[]>();
  private readonly attachmentsByNode = new Map<string, VolumeAttachment[]>();
  private readonly podsByNode = new Map<string, Pod[]>();
  /** Kind → namespace and name → events about that object. */
  private readonly eventsByObject = new Map<string, NamespacedMap<ClusterEvent[]>>();
  private readonly membersByKey = new NamespacedMap<StatefulSetMembers>();
  private readonly claimOwners = new Map<PersistentVolumeClaim, StatefulSetClaim>();
  /** namespace and StatefulSet name → the autoscalers that target it. */
  private readonly autoscalersByTarget = new NamespacedMap<KubeObject[]>();

  constructor(snapshot: Snapshot, now: number) {
    this.snapshot = snapshot;
    this.now = now;
    const byKey = <T>(kind: string) => (snapshot.byKey.get(kind) ?? new NamespacedMap()) as NamespacedMap<T>;
    const byName = <T>(kind: string) => byKey<T>(kind).namespace('');
    this.nodes = byName('Node');
    this.claims = byKey('PersistentVolumeClaim');
    this.volumes = byName('PersistentVolume');
    this.storageClasses = byName('StorageClass');
    this.csiDrivers = byName('CSIDriver');
    this.csiNodes = byName('CSINode');
    this.statefulSets = byKey('StatefulSet');
    this.podsByKey = byKey('Pod');
    for (const va of snapshot.attachments) {
      if (va.spec.source.persistentVolumeName) push(this.attachmentsByVolume, va.spec.source.persistentVolumeName, va);
      push(this.attachmentsByNode, va.spec.nodeName, va);
    }
    for (const e of snapshot.events) {
      let ofKind = this.eventsByObject.get(e.regarding.kind);
      if (!ofKind) this.eventsByObject.set(e.regarding.kind, (ofKind = new NamespacedMap()));
      pushAt(ofKind, e.regarding.namespace, e.regarding.name, e);
    }
    this.indexPods();
    this.indexStatefulSetClaims();
    for (const a of [...snapshot.autoscalers, ...snapshot.scaledObjects]) {
      const ref = a.spec?.scaleTargetRef;
      if (ref?.kind === 'StatefulSet') pushAt(this.autoscalersByTarget, a.metadata.namespace, ref.name, a);
    }
  }

  /** HorizontalPodAutoscalers and KEDA ScaledObjects that scale this StatefulSet. */
  autoscalersOf(sts: StatefulSet): readonly KubeObject[] {
    return this.autoscalersByTarget.get(sts.metadata.namespace, sts.metadata.name) ?? NONE;
  }

  /** False when the kind was hidden from this analysis (RBAC, not served, absent from a dump):
   *  a check must not conclude that an object is missing from a kind it cannot see. */
  sees(kind: string): boolean {
    return !this.snapshot.notices.some((n) => n.kind === kind && KIND_NOTICES.has(n.reason));
  }

  /** The uid of the object a finding or an event is about, when the snapshot holds it. */
  uidOf(ref: { kind: string; namespace?: string; name: string }): string | undefined {
    return this.snapshot.byKey.get(ref.kind)?.get(ref.namespace, ref.name)?.metadata.uid;
  }

  /** The kind exists but this analysis may not read it (RBAC): unlike one not served, its objects may be there. */
  forbidden(kind: string): boolean {
    return this.snapshot.notices.some((n) => n.kind === kind && n.reason === 'forbidden');
  }

  get pods(): Pod[] {
    return this.snapshot.pods;
  }

  private indexPods(): void {
    for (const pod of this.snapshot.pods) {
      if (pod.spec?.nodeName) push(this.podsByNode, pod.spec.nodeName, pod);
      const claims: PersistentVolumeClaim[] = [];
      for (const claimName of this.claimNamesOf(pod)) {
        pushAt(this.podsByClaim, pod.metadata.namespace, claimName, pod);
        const claim = this.claims.get(pod.metadata.namespace, claimName);
        if (claim) claims.push(claim);
      }
      if (claims.length) this.claimsByPod.set(pod, claims);
      // A StatefulSet names its pods <statefulset>-<ordinal>.
      const owner = this.statefulSetNameOf(pod);
      const ordinal = owner && pod.metadata.name.startsWith(`${owner}-`) ? pod.metadata.name.slice(owner.length + 1) : '';
      if (ORDINAL.test(ordinal)) this.membersOf(pod.metadata.namespace, owner!).pods.set(Number(ordinal), pod);
    }
  }

  // A StatefulSet names its claims <template>-<statefulset>-<ordinal>. Splitting each claim's name
  // once and looking the prefix up keeps this linear however many StatefulSets share a namespace.
  private indexStatefulSetClaims(): void {
    const byPrefix = new NamespacedMap<[number, PersistentVolumeClaim][]>();
    for (const claim of this.snapshot.claims) {
      const name = claim.metadata.name;
      const dash = name.lastIndexOf('-');
      const ordinal = name.slice(dash + 1);
      if (dash > 0 && ORDINAL.test(ordinal)) pushAt(byPrefix, claim.metadata.namespace, name.slice(0, dash), [Number(ordinal), claim]);
    }
    for (const sts of this.snapshot.statefulSets) {
      for (const template of sts.spec?.volumeClaimTemplates ?? []) {
        const templateName = template.metadata?.name;
        if (!templateName) continue;
        const byOrdinal = new Map<number, PersistentVolumeClaim>();
        this.membersOf(sts.metadata.namespace, sts.metadata.name).claims.set(templateName, byOrdinal);
        for (const [ordinal, claim] of byPrefix.get(sts.metadata.namespace, `${templateName}-${sts.metadata.name}`) ?? []) {
          // Two StatefulSets can name the same claim (a-b with template data, b with template data-a:
          // both data-a-b-0). It belongs to one: the one whose pod of that ordinal mounts it, else the
          // first by name, so it is judged, and reported, once.
          const other = this.claimOwners.get(claim);
          if (other && !this.prefers(sts, other.sts, ordinal, claim)) continue;
          if (other) this.members(other.sts).claims.get(other.template)?.delete(ordinal);
          byOrdinal.set(ordinal, claim);
          this.claimOwners.set(claim, { sts, template: templateName, ordinal });
        }
      }
    }
  }

  /** Whether `sts` rather than `other` owns the claim they both name. */
  private prefers(sts: StatefulSet, other: StatefulSet, ordinal: number, claim: PersistentVolumeClaim): boolean {
    const mounts = (s: StatefulSet) => this.pod(s.metadata.namespace, `${s.metadata.name}-${ordinal}`)?.spec?.volumes?.some((v) => v.persistentVolumeClaim?.claimName === claim.metadata.name) ?? false;
    if (mounts(sts) !== mounts(other)) return mounts(sts);
    return sts.metadata.name < other.metadata.name;
  }

  private membersOf(namespace: string | undefined, name: string): StatefulSetMembers {
    let m = this.membersByKey.get(namespace, name);
    if (!m) {
      m = { pods: new Map(), claims: new Map() };
      this.membersByKey.set(namespace, name, m);
    }
    return m;
  }

  /** Claim names a pod mounts, generic ephemeral volumes included (their claim is <pod>-<volume>). */
  claimNamesOf(pod: Pod): string[] {
    const names: string[] = [];
    for (const v of pod.spec?.volumes ?? []) {
      if (v.persistentVolumeClaim?.claimName) names.push(v.persistentVolumeClaim.claimName);
      else if (v.ephemeral) names.push(`${pod.metadata.name}-${v.name}`);
    }
    return names;
  }

  pod(namespace: string | undefined, name: string): Pod | undefined {
    return this.podsByKey.get(namespace, name);
  }

  /** The claims a pod mounts that exist. */
  claimsOf(pod: Pod): readonly PersistentVolumeClaim[] {
    return this.claimsByPod.get(pod) ?? NONE;
  }

  podsUsing(claim: PersistentVolumeClaim): Pod[] {
    return this.podsByClaim.get(claim.metadata.namespace, claim.metadata.name) ?? [];
  }

  podsOnNode(node: string): Pod[] {
    return this.podsByNode.get(node) ?? [];
  }

  /** The volume a claim is bound to, only if the volume points back at this very claim. */
  volumeOf(claim: PersistentVolumeClaim): PersistentVolume | undefined {
    const name = claim.spec?.volumeName;
    const pv = name ? this.volumes.get(name) : undefined;
    if (!pv) return undefined;
    const ref = pv.spec?.claimRef;
    if (ref?.uid && claim.metadata.uid && ref.uid !== claim.metadata.uid) return undefined;
    return pv;
  }

  /** The claim a volume is bound to; a claimRef with another uid points at a deleted claim. */
  claimOf(pv: PersistentVolume): PersistentVolumeClaim | undefined {
    const ref = pv.spec?.claimRef;
    if (!ref?.name) return undefined;
    const claim = this.claims.get(ref.namespace, ref.name);
    if (!claim) return undefined;
    if (ref.uid && claim.metadata.uid && ref.uid !== claim.metadata.uid) return undefined;
    return claim;
  }

  attachmentsOfVolume(pv: string): VolumeAttachment[] {
    return this.attachmentsByVolume.get(pv) ?? [];
  }

  attachmentsOnNode(node: string): VolumeAttachment[] {
    return this.attachmentsByNode.get(node) ?? [];
  }

  /** Events about an object; events about an earlier object of the same name (other uid) are left out. */
  eventsFor(obj: KubeObject): ClusterEvent[] {
    const list = this.eventsByObject.get(obj.kind)?.get(obj.metadata.namespace, obj.metadata.name) ?? [];
    const uid = obj.metadata.uid;
    return uid ? list.filter((e) => !e.regarding.uid || e.regarding.uid === uid) : list;
  }

  statefulSetNameOf(pod: Pod): string | undefined {
    return pod.metadata.ownerReferences?.find((o) => o.kind === 'StatefulSet' && o.controller !== false)?.name;
  }

  statefulSetOf(pod: Pod): StatefulSet | undefined {
    const name = this.statefulSetNameOf(pod);
    return name ? this.statefulSets.get(pod.metadata.namespace, name) : undefined;
  }

  members(sts: StatefulSet): StatefulSetMembers {
    return this.membersByKey.get(sts.metadata.namespace, sts.metadata.name) ?? { pods: new Map(), claims: new Map() };
  }

  /** The StatefulSet and ordinal a claim was made for, by its name. */
  statefulSetOfClaim(claim: PersistentVolumeClaim): StatefulSetClaim | undefined {
    return this.claimOwners.get(claim);
  }

  storageClassOf(claim: PersistentVolumeClaim): StorageClass | undefined {
    const name = claim.spec?.storageClassName;
    return name ? this.storageClasses.get(name) : undefined;
  }

  /** The class a claim without storageClassName gets: of several defaults, the newest (as the
   *  API server picks since 1.26). */
  defaultStorageClass(): StorageClass | undefined {
    let chosen: StorageClass | undefined;
    for (const sc of this.snapshot.storageClasses) {
      const a = sc.metadata.annotations;
      if (a?.[DEFAULT_CLASS_ANNOTATION] !== 'true' && a?.[BETA_DEFAULT_CLASS_ANNOTATION] !== 'true') continue;
      if (!chosen || (parseTime(sc.metadata.creationTimestamp) ?? 0) > (parseTime(chosen.metadata.creationTimestamp) ?? 0)) chosen = sc;
    }
    return chosen;
  }

  /** Milliseconds since a timestamp, or undefined when the timestamp is absent or malformed. */
  since(time: string | undefined): number | undefined {
    const t = parseTime(time);
    return t === undefined ? undefined : this.now - t;
  }
}

/** The fields of a Node that fencing reads: a typed model Node and a raw object read live both fit. */
export interface NodeLike {
  spec?: { taints?: readonly { key: string }[] };
  status?: { conditions?: readonly { type: string; status: string }[] };
}

export function nodeReadyCondition(node: Node) {
  return node.status?.conditions?.find((c) => c.type === 'Ready');
}

export function isNodeReady(node: NodeLike): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function isOutOfService(node: NodeLike): boolean {
  return node.spec?.taints?.some((t) => t.key === OUT_OF_SERVICE_TAINT) ?? false;
}

/**
 * Fenced: the Node object is gone, or it carries the out-of-service taint and is not Ready. Only
 * then may a pod on it be force-deleted or its attachment removed. PodGC force-deletes terminating
 * pods only when both hold (pkg/controller/podgc, gcTerminating); KEP-2268 has the taint removed
 * only after the node recovered, so "Ready and still tainted" is a normal window in which the
 * kubelet runs again and nothing is fenced. Every acting path (recover, the janitor) asks this of
 * the Node as read live right before its write.
 */
export function isFenced(node: NodeLike | undefined): boolean {
  return !node || (isOutOfService(node) && !isNodeReady(node));
}
