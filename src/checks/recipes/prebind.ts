// Pre-binding: a volume reserved for one named claim (claimRef with namespace and name, no uid) is
// bound to that claim only; the PV controller leaves it Available for everyone else. It is how data
// is given back to a replica without leaving the volume open, where the binder hands it to any
// matching claim (seed 000), and how a volume is quarantined: reserved for a claim that never exists.

import { PROVISIONED_BY_ANNOTATION, QUARANTINE_NAMESPACE, QUARANTINED_ANNOTATION, REUSE_INTENDED_ANNOTATION } from '../../model/annotations.ts';
import { isNodeReady, type ClusterModel } from '../../model/cluster-model.ts';
import { matchesAnyTerm } from '../../model/node-affinity.ts';
import { parseQuantity } from '../../model/quantity.ts';
import type { PersistentVolume } from '../../model/types.ts';
import { kubectl } from '../commands.ts';
import { groupBy, perModel } from '../per-model.ts';
import type { RemediationStep } from '../finding.ts';
import { isDynamicallyProvisioned } from '../workload.ts';

/** Reserve `pv` for one claim, marked as given to that claim on purpose: stale-pv-reuse does not
 *  report it once that claim binds it, and still does for any other. */
export function prebindVolume(pv: PersistentVolume, claim: { namespace?: string; name?: string } | undefined, why: string): RemediationStep {
  const namespace = claim?.namespace ?? '<namespace>';
  const name = claim?.name ?? '<claim>';
  return {
    text: `${why} Reserve the volume for that one claim (pre-binding: claimRef with namespace and name, no uid); never clear claimRef, which opens it to any claim.${unchangedText(pv)}`,
    command: reserveFor(pv, namespace, name, { [REUSE_INTENDED_ANNOTATION]: intendedFor(namespace, name) }),
  };
}

/** The value of the reuse-intended mark for a claim. */
export function intendedFor(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/** Close an open volume to every claim, keeping its data. Undo: pre-bind it to the claim that should
 *  have it. `which` says why this volume, when the remedy is about another. */
export function quarantineVolume(pv: PersistentVolume, which = ''): RemediationStep {
  return {
    text: `Quarantine ${pv.metadata.name} (${pv.spec?.capacity?.storage ?? '?'})${which}: reserve it for a claim that can never exist (${QUARANTINE_NAMESPACE}/${pv.metadata.name}), so no new claim binds it; the data stays, and pre-binding it to a real claim later gives it back.${unchangedText(pv)}`,
    command: reserveFor(pv, QUARANTINE_NAMESPACE, pv.metadata.name, { [QUARANTINED_ANNOTATION]: 'true' }),
  };
}

/** Volumes any new claim of `className` could bind (Available, no claimRef) that hold data from an
 *  earlier claim (dynamically provisioned: a static volume is a fresh disk put there to be bound). */
export function openVolumesWithData(model: ClusterModel, className: string): readonly PersistentVolume[] {
  return openByClass(model).get(className) ?? [];
}

/** Asked once per claim a remedy replaces: one pass over the volumes per model, not one per claim. */
const openByClass = perModel((model) => groupBy([...model.volumes.values()].filter(isOpenWithData), (pv) => pv.spec?.storageClassName ?? ''));

export function isOpenWithData(pv: PersistentVolume): boolean {
  return isOpen(pv) && isDynamicallyProvisioned(pv);
}

/** Available and reserved for no claim: the binder may give it to any claim it fits. */
function isOpen(pv: PersistentVolume): boolean {
  return pv.status?.phase === 'Available' && !pv.spec?.claimRef?.name;
}

/** What a new claim asks the binder for. */
export interface ClaimWish {
  className: string;
  bytes: number;
  accessModes: string[];
  volumeMode?: string;
}

/** The PV controller's match of an open volume to a claim, apart from node affinity: same class,
 *  at least the size, every access mode asked for, the same volume mode. */
export function fitsOpen(pv: PersistentVolume, wish: ClaimWish): boolean {
  return isOpen(pv) && (pv.spec?.storageClassName ?? '') === wish.className
    && (parseQuantity(pv.spec?.capacity?.storage) ?? 0) >= wish.bytes
    && wish.accessModes.every((m) => pv.spec?.accessModes?.includes(m))
    && (pv.spec?.volumeMode ?? 'Filesystem') === (wish.volumeMode ?? 'Filesystem');
}

export interface Bindable {
  pv: PersistentVolume;
  /** What is known of what it holds. */
  contents: 'earlier-claim' | 'unknown';
  text: string;
}

/** Every open volume the binder could give a claim like this (the PV controller's and the
 *  scheduler's volume binder's match: same class, at least the size, every access mode asked for,
 *  the same volume mode, and node affinity some schedulable Ready node satisfies), with what is
 *  known of its contents: one a provisioner made held an earlier claim's data; one made without a
 *  provisioner (by hand, restored from a backup) holds what its maker put there. */
export function bindableVolumes(model: ClusterModel, wish: ClaimWish): Bindable[] {
  const nodes = [...model.nodes.values()].filter((n) => isNodeReady(n) && !n.spec?.unschedulable);
  const found: Bindable[] = [];
  for (const pv of model.volumes.values()) {
    if (!fitsOpen(pv, wish)) continue;
    const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
    if (terms?.length && model.sees('Node') && !nodes.some((n) => matchesAnyTerm(n, terms))) continue;
    const size = pv.spec?.capacity?.storage ?? '?';
    found.push(isDynamicallyProvisioned(pv)
      ? { pv, contents: 'earlier-claim', text: `${pv.metadata.name} (${size}, made by ${pv.metadata.annotations?.[PROVISIONED_BY_ANNOTATION]} for an earlier claim: its data)` }
      : { pv, contents: 'unknown', text: `${pv.metadata.name} (${size}, made without a provisioner, by hand or by a restore: contents unknown)` });
  }
  return found;
}

/** A merge patch carrying the resourceVersion doctor read makes the API refuse it (Conflict) if the
 *  volume changed since: a claim may have bound it in between, and its claimRef must not be overwritten. */
function reserveFor(pv: PersistentVolume, namespace: string, name: string, annotations: Record<string, string>): string {
  const resourceVersion = pv.metadata.resourceVersion;
  return kubectl.patch('pv', pv.metadata.name, undefined, {
    metadata: { annotations, ...(resourceVersion ? { resourceVersion } : {}) },
    spec: { claimRef: { namespace, name, uid: null, resourceVersion: null } },
  });
}

function unchangedText(pv: PersistentVolume): string {
  return pv.metadata.resourceVersion ? ' If the volume changed since doctor read it, kubectl refuses with a Conflict: run doctor again.' : '';
}
