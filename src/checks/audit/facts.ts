// Facts about a StatefulSet's storage that several audit checks share: the classes its templates
// name, the CSI drivers behind them, the zones of nodes and volumes.

import { ZONE_LABEL } from '../../model/annotations.ts';
import { isNodeReady, refOf, type ClusterModel } from '../../model/cluster-model.ts';
import { replicasOf } from '../../model/ordinals.ts';
import type { Node, ObjectRef, PersistentVolume, PersistentVolumeClaim, Pod, StatefulSet, StorageClass } from '../../model/types.ts';
import { perModel } from '../per-model.ts';
import { csiDriverOf } from '../provisioners.ts';

/** The class each claim template provisions from: the one it names, else the default class. */
export function templateClasses(model: ClusterModel, sts: StatefulSet): { template: string; className?: string; cls?: StorageClass }[] {
  return (sts.spec?.volumeClaimTemplates ?? []).map((t) => {
    const className = t.spec?.storageClassName ?? model.defaultStorageClass()?.metadata.name;
    return { template: t.metadata?.name ?? '', ...(className ? { className } : {}), ...(className && model.storageClasses.get(className) ? { cls: model.storageClasses.get(className) } : {}) };
  });
}

/** Every claim of the StatefulSet, of every template and ordinal that exists. */
export function claimsOfStatefulSet(model: ClusterModel, sts: StatefulSet): PersistentVolumeClaim[] {
  return [...model.members(sts).claims.values()].flatMap((byOrdinal) => [...byOrdinal.entries()].sort(([a], [b]) => a - b).map(([, c]) => c));
}

export function podsOfStatefulSet(model: ClusterModel, sts: StatefulSet): Pod[] {
  return [...model.members(sts).pods.entries()].sort(([a], [b]) => a - b).map(([, p]) => p);
}

/** StatefulSets with at least one claim template: the ones whose storage the audit is about. */
export function statefulSetsWithStorage(model: ClusterModel): StatefulSet[] {
  return [...model.statefulSets.values()].filter((s) => (s.spec?.volumeClaimTemplates ?? []).length > 0);
}

export function hasReplicas(sts: StatefulSet, atLeast: number): boolean {
  return replicasOf(sts) >= atLeast;
}

export function driverOf(cls: StorageClass | undefined): string | undefined {
  return cls ? csiDriverOf(cls.provisioner) : undefined;
}

export function schedulableNodes(model: ClusterModel): Node[] {
  return [...model.nodes.values()].filter((n) => isNodeReady(n) && !n.spec?.unschedulable);
}

export function zonesOf(nodes: Node[]): Set<string> {
  return new Set(nodes.map((n) => n.metadata.labels?.[ZONE_LABEL]).filter((z): z is string => Boolean(z)));
}

/** The zones a volume is pinned to by its node affinity (empty: not pinned to a zone). */
export function volumeZones(pv: PersistentVolume): string[] {
  const zones = new Set<string>();
  for (const term of pv.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? []) {
    for (const e of term.matchExpressions ?? []) if (e.key === ZONE_LABEL || e.key === 'topology.gke.io/zone' || e.key.endsWith('/zone')) for (const v of e.values ?? []) zones.add(v);
  }
  return [...zones];
}

/** Block-storage drivers whose volumes live in one zone. */
const ZONAL_DRIVERS = /^(ebs\.csi\.aws\.com|pd\.csi\.storage\.gke\.io|disk\.csi\.azure\.com|diskplugin\.csi\.alibabacloud\.com|cinder\.csi\.openstack\.org|csi\.vsphere\.vmware\.com)$/;

/** A zonal provisioner: a known one by name, or one whose CSINode entries report a zone topology key. */
export function isZonal(model: ClusterModel, driver: string): boolean {
  return ZONAL_DRIVERS.test(driver) || zoneReportingDrivers(model).has(driver);
}

/** Asked per StatefulSet: the CSINodes are read once per model, not once per question. */
const zoneReportingDrivers = perModel((model) => new Set([...model.csiNodes.values()].flatMap((n) => (n.spec?.drivers ?? []).filter((d) => (d.topologyKeys ?? []).some((k) => k.endsWith('/zone'))).map((d) => d.name))));

const refs = new WeakMap<StatefulSet, ObjectRef>();

/** One reference per StatefulSet, shared by every check that judges it (there are 15 judgements per
 *  StatefulSet: at 25,000 StatefulSets, one object each instead of 375,000). Never mutated. */
export function stsRef(sts: StatefulSet): ObjectRef {
  let ref = refs.get(sts);
  if (!ref) refs.set(sts, (ref = refOf(sts)));
  return ref;
}
