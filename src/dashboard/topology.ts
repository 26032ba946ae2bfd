// One StatefulSet's storage as a graph, the chain the seeds draw by hand when a pod will not start:
// pod → claim → volume → VolumeAttachment → node (nodes grouped by zone), with the class and its
// driver, the node each pod runs on (a Multi-Attach is a pod on one node and an attachment on
// another), and what is left over (claims above the replicas, Available or Released volumes of its
// classes that a new replica could be given). Pure: the model and the findings in, data out.

import { severityRank, type Finding } from '../checks/finding.ts';
import { groupBy } from '../checks/per-model.ts';
import { ZONE_LABEL } from '../model/annotations.ts';
import { isNodeReady, isOutOfService, type ClusterModel } from '../model/cluster-model.ts';
import type { PersistentVolume, PersistentVolumeClaim, Pod, StatefulSet } from '../model/types.ts';
import { elementId, isNamespacedElement } from './element-id.ts';
import type { EdgeKind, GraphEdge, GraphKind, GraphNode, Health, Topology } from './types.ts';

/** Leftover volumes drawn per StatefulSet; the rest are counted. */
export const MAX_LEFTOVER_VOLUMES = 8;

/** Worst severity per element, over the findings that name it as their object or as related. */
export function healthIndex(findings: readonly Finding[]): Map<string, Finding[]> {
  const index = new Map<string, Finding[]>();
  for (const f of findings) {
    for (const ref of [f.object, ...f.related]) {
      const id = elementId(ref);
      const list = index.get(id);
      if (!list) index.set(id, [f]);
      else if (!list.includes(f)) list.push(f);
    }
  }
  return index;
}

export function worstOf(findings: readonly Finding[] | undefined): Health {
  let worst: Health = 'ok';
  for (const f of findings ?? []) if (worst === 'ok' || severityRank(f.severity) < severityRank(worst)) worst = f.severity;
  return worst;
}

/** Volumes no claim holds, by class: built once per model, read for every StatefulSet. */
export function unclaimedVolumesByClass(model: ClusterModel): Map<string, PersistentVolume[]> {
  const unclaimed = [...model.volumes.values()].filter((pv) => pv.status?.phase === 'Available' || pv.status?.phase === 'Released');
  return groupBy(unclaimed, (pv) => pv.spec?.storageClassName ?? '');
}

class GraphBuilder {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();
  private readonly health: Map<string, Finding[]>;
  constructor(health: Map<string, Finding[]>) {
    this.health = health;
  }

  add(kind: GraphKind, name: string, namespace: string | undefined, detail: string, extra: Partial<GraphNode> = {}): string {
    const id = elementId({ kind, name, namespace });
    if (!this.nodes.has(id)) this.nodes.set(id, { id, kind, name, ...(namespace && isNamespacedElement(kind) ? { namespace } : {}), detail, health: worstOf(this.health.get(id)), ...extra });
    return id;
  }

  link(from: string, to: string, kind: EdgeKind): void {
    this.edges.set(`${from}>${to}`, { from, to, kind });
  }
}

export function topologyOf(model: ClusterModel, sts: StatefulSet, health: Map<string, Finding[]>, unclaimed: Map<string, PersistentVolume[]>): Topology {
  const g = new GraphBuilder(health);
  const namespace = sts.metadata.namespace;
  const replicas = sts.spec?.replicas ?? 1;
  const members = model.members(sts);
  for (const pod of members.pods.values()) addPod(model, g, pod);
  for (const byOrdinal of members.claims.values()) {
    for (const [ordinal, claim] of byOrdinal) {
      const leftover = ordinal >= replicas ? `ordinal ${ordinal} is above the ${replicas} replicas of ${sts.metadata.name}` : undefined;
      addClaim(model, g, claim, leftover);
      const pod = members.pods.get(ordinal);
      if (pod && model.claimsOf(pod).includes(claim)) g.link(elementId({ kind: 'Pod', namespace, name: pod.metadata.name }), elementId({ kind: 'PersistentVolumeClaim', namespace, name: claim.metadata.name }), 'mounts');
    }
  }
  const moreLeftovers = addLeftoverVolumes(model, g, sts, unclaimed);
  const nodes = [...g.nodes.values()];
  const zones = [...new Set(nodes.filter((n) => n.kind === 'Node').map((n) => n.zone ?? ''))].sort();
  return { nodes: sortNodes(nodes), edges: [...g.edges.values()].sort((a, b) => `${a.from}>${a.to}`.localeCompare(`${b.from}>${b.to}`)), zones, moreLeftovers };
}

function addPod(model: ClusterModel, g: GraphBuilder, pod: Pod): void {
  const deleting = pod.metadata.deletionTimestamp ? ', deleting' : '';
  const id = g.add('Pod', pod.metadata.name, pod.metadata.namespace, `${pod.status?.phase ?? 'Unknown'}${deleting}`);
  if (pod.spec?.nodeName) g.link(id, addNode(model, g, pod.spec.nodeName), 'runs-on');
}

function addClaim(model: ClusterModel, g: GraphBuilder, claim: PersistentVolumeClaim, leftover: string | undefined): void {
  const requested = claim.spec?.resources?.requests?.storage;
  const capacity = claim.status?.capacity?.storage;
  const size = capacity && requested && capacity !== requested ? `${capacity} → ${requested}` : (capacity ?? requested ?? '');
  const id = g.add('PersistentVolumeClaim', claim.metadata.name, claim.metadata.namespace, `${claim.status?.phase ?? 'Pending'} ${size}`.trim(), leftover ? { leftover } : {});
  const cls = model.storageClassOf(claim);
  if (cls) g.link(id, addClass(g, cls.metadata.name, cls.provisioner), 'of-class');
  const pv = model.volumeOf(claim);
  if (pv) g.link(id, addVolume(model, g, pv), 'bound-to');
}

function addVolume(model: ClusterModel, g: GraphBuilder, pv: PersistentVolume, leftover?: string): string {
  const id = g.add('PersistentVolume', pv.metadata.name, undefined, `${pv.status?.phase ?? 'Unknown'} ${pv.spec?.capacity?.storage ?? ''} ${pv.spec?.persistentVolumeReclaimPolicy ?? ''}`.replace(/\s+/g, ' ').trim(), leftover ? { leftover } : {});
  for (const va of model.attachmentsOfVolume(pv.metadata.name)) {
    const state = va.metadata.deletionTimestamp ? 'detaching' : va.status?.attached ? 'attached' : 'not attached';
    const error = va.status?.detachError ? ', detach error' : va.status?.attachError ? ', attach error' : '';
    const vaId = g.add('VolumeAttachment', va.metadata.name, undefined, `${state}${error}`);
    g.link(id, vaId, 'attachment-of');
    if (va.spec?.nodeName) g.link(vaId, addNode(model, g, va.spec.nodeName), 'attached-to');
  }
  return id;
}

function addNode(model: ClusterModel, g: GraphBuilder, name: string): string {
  const node = model.nodes.get(name);
  if (!node) return g.add('Node', name, undefined, model.sees('Node') ? 'not found (deleted)' : 'not read');
  const ready = isNodeReady(node) ? 'Ready' : 'NotReady';
  const fence = isOutOfService(node) ? ', out-of-service' : '';
  return g.add('Node', name, undefined, `${ready}${fence}${node.spec?.unschedulable ? ', cordoned' : ''}`, { zone: node.metadata.labels?.[ZONE_LABEL] ?? '' });
}

function addClass(g: GraphBuilder, name: string, provisioner: string | undefined): string {
  const id = g.add('StorageClass', name, undefined, provisioner ?? '');
  if (provisioner) g.link(id, g.add('CSIDriver', provisioner, undefined, 'driver'), 'provisioned-by');
  return id;
}

/** Released volumes whose claim was one of this StatefulSet's, and Available ones of its classes
 *  (a new replica's claim may be bound to them: seed 000's stale data). */
function addLeftoverVolumes(model: ClusterModel, g: GraphBuilder, sts: StatefulSet, unclaimed: Map<string, PersistentVolume[]>): number {
  const classes = new Set((sts.spec?.volumeClaimTemplates ?? []).map((t) => t.spec?.storageClassName ?? model.defaultStorageClass()?.metadata.name ?? ''));
  const prefixes = (sts.spec?.volumeClaimTemplates ?? []).map((t) => `${t.metadata?.name}-${sts.metadata.name}-`);
  const candidates: { pv: PersistentVolume; why: string }[] = [];
  for (const cls of classes) {
    for (const pv of unclaimed.get(cls) ?? []) {
      const ref = pv.spec?.claimRef;
      if (pv.status?.phase === 'Available' && !ref?.name) candidates.push({ pv, why: `Available in class ${cls}: a new claim may be bound to it` });
      else if (pv.status?.phase === 'Released' && ref?.namespace === sts.metadata.namespace && prefixes.some((p) => ref?.name?.startsWith(p))) candidates.push({ pv, why: `Released by ${ref?.name}` });
    }
  }
  candidates.sort((a, b) => a.pv.metadata.name.localeCompare(b.pv.metadata.name));
  for (const { pv, why } of candidates.slice(0, MAX_LEFTOVER_VOLUMES)) {
    const id = addVolume(model, g, pv, why);
    const cls = pv.spec?.storageClassName ? model.storageClasses.get(pv.spec.storageClassName) : undefined;
    if (cls) g.link(id, addClass(g, cls.metadata.name, cls.provisioner), 'of-class');
  }
  return Math.max(0, candidates.length - MAX_LEFTOVER_VOLUMES);
}

const KIND_ORDER: GraphKind[] = ['Pod', 'PersistentVolumeClaim', 'PersistentVolume', 'VolumeAttachment', 'Node', 'StorageClass', 'CSIDriver'];

function sortNodes(nodes: GraphNode[]): GraphNode[] {
  return nodes.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.name.localeCompare(b.name, 'en', { numeric: true }));
}
