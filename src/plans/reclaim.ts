// `stsvol reclaim`: the clean-up of seed 000. Claims left by scale-downs (an ordinal the StatefulSet
// no longer runs, no pod using them) and Released volumes whose claim is gone cost money every month
// and wait to hand old data to the next scale-up. Each is listed with its price; deleting needs
// --apply, and every delete re-checks, right before it, that nothing uses the claim and the
// StatefulSet has not grown back over its ordinal.
//
// Parked is not unused: the claims of a StatefulSet scaled to 0, or above the replicas of one an
// autoscaler scales, are what those replicas come back to. They are listed apart, priced, and
// deleted only with --include-parked.

import type { ClusterModel } from '../model/cluster-model.ts';
import { parkedBy } from '../checks/workload.ts';
import { firstOrdinal, replicasOf, runsOrdinal } from '../model/ordinals.ts';
import { parseQuantity } from '../model/quantity.ts';
import type { PersistentVolume, PersistentVolumeClaim } from '../model/types.ts';
import type { CostLine, PlanResult, Step } from './plan.ts';
import { costLine, estimate, totalGiB, type PriceTable } from '../model/pricing.ts';
import { snapshotReady, snapshotStep } from './snapshots.ts';
import { byName, targetOf } from './targets.ts';
import { CLUSTER_JOURNAL_NAMESPACE } from './recover.ts';
import { count } from '../model/words.ts';

export interface ReclaimRequest {
  /** Only claims of this namespace (Released volumes are cluster-wide and included either way). */
  namespace?: string;
  snapshotClass?: string;
  /** Delete parked claims too (a StatefulSet scaled to 0 or autoscaled). */
  includeParked?: boolean;
}

export function planReclaim(model: ClusterModel, req: ReclaimRequest, prices: PriceTable, today: string): PlanResult {
  const lines: CostLine[] = [];
  const parkedLines: CostLine[] = [];
  const steps: Step[] = [];
  const warnings: string[] = [];
  for (const claim of model.snapshot.claims) {
    if (req.namespace !== undefined && claim.metadata.namespace !== req.namespace) continue;
    const owner = model.statefulSetOfClaim(claim);
    if (!owner || runsOrdinal(owner.sts, owner.ordinal) || owner.ordinal < firstOrdinal(owner.sts) || model.podsUsing(claim).length) continue;
    const target = targetOf('PersistentVolumeClaim', claim);
    const parked = parkedBy(model, owner.sts);
    const what = `claim ${claim.metadata.namespace}/${claim.metadata.name} (statefulset ${owner.sts.metadata.name} runs ${count(replicasOf(owner.sts), 'replica')}; this is ordinal ${owner.ordinal}${parked ? `; parked: ${parked}` : ''})`;
    if (parked && !req.includeParked) {
      parkedLines.push(line(model, prices, what, claimBytes(claim), model.storageClassOf(claim)?.metadata.name));
      continue;
    }
    lines.push(line(model, prices, what, claimBytes(claim), model.storageClassOf(claim)?.metadata.name));
    if (req.snapshotClass) steps.push(snapshotStep(target, req.snapshotClass, today));
    steps.push({
      id: `delete:${claim.metadata.namespace}/${claim.metadata.name}`, title: `Delete claim ${claim.metadata.namespace}/${claim.metadata.name}`,
      action: { verb: 'delete', target },
      requires: [
        { type: 'claim-unused', claim: byName(target) },
        { type: 'statefulset-excludes-ordinal', sts: byName(targetOf('StatefulSet', owner.sts)), ordinal: owner.ordinal },
        // Judged again right before the delete: an autoscaler or a scale to 0 since the plan parks the claim.
        ...(req.includeParked ? [] : [{ type: 'statefulset-not-parked' as const, sts: byName(targetOf('StatefulSet', owner.sts)) }]),
        ...(req.snapshotClass ? [snapshotReady(target, today)] : []),
      ],
      until: { type: 'gone', target }, undo: req.snapshotClass ? 'restore the snapshot into a new claim (dataSource)' : 'none: with reclaimPolicy Delete the data goes with the claim',
    });
  }
  for (const pv of model.volumes.values()) {
    if (!isAbandoned(model, pv) || (req.namespace !== undefined && pv.spec?.claimRef?.namespace !== req.namespace)) continue;
    const target = targetOf('PersistentVolume', pv);
    const retain = pv.spec?.persistentVolumeReclaimPolicy === 'Retain';
    lines.push(line(model, prices, `volume ${pv.metadata.name} (Released, was ${pv.spec?.claimRef?.namespace}/${pv.spec?.claimRef?.name})`, parseQuantity(pv.spec?.capacity?.storage) ?? 0, pv.spec?.storageClassName));
    if (retain) warnings.push(`Volume ${pv.metadata.name} is Retain: deleting the PV object leaves its disk${pv.spec?.csi ? ` ${pv.spec.csi.volumeHandle}` : ''} at the provider; delete it there once you are sure, or it keeps costing.`);
    steps.push({
      id: `delete:${pv.metadata.name}`, title: `Delete Released volume ${pv.metadata.name}`,
      action: { verb: 'delete', target }, requires: [{ type: 'volume-released', volume: target }], until: { type: 'gone', target },
      undo: retain ? 'create a PV for the same disk (volumeHandle) to get it back' : 'none: its disk is deleted',
    });
  }
  const cost = estimate(prices, lines);
  const parked = estimate(prices, parkedLines);
  const scope = req.namespace ?? 'all namespaces';
  return {
    plan: {
      operation: 'reclaim', subject: { kind: 'Namespace', name: req.namespace ?? 'all' }, namespace: req.namespace ?? CLUSTER_JOURNAL_NAMESPACE,
      request: { namespace: req.namespace ?? null, snapshotClass: req.snapshotClass ?? null, includeParked: Boolean(req.includeParked) },
      summary: [
        cost.lines.length ? `${count(cost.lines.length, 'unused volume')} in ${scope}, ${totalGiB(cost)} GiB, about ${cost.monthly} ${cost.currency} a month.` : `Nothing to reclaim in ${scope}.`,
        ...(parked.lines.length ? [`${count(parked.lines.length, 'parked claim')} kept, ${totalGiB(parked)} GiB, about ${parked.monthly} ${parked.currency} a month: their StatefulSet is scaled to 0 or autoscaled and comes back to them (--include-parked deletes them too).`] : []),
      ],
      warnings, afterwards: [], steps, cost, ...(parked.lines.length ? { parked } : {}),
    },
    refusals: [],
  };
}

function claimBytes(claim: PersistentVolumeClaim): number {
  return parseQuantity(claim.status?.capacity?.storage ?? claim.spec?.resources?.requests?.storage) ?? 0;
}

function line(model: ClusterModel, prices: PriceTable, what: string, bytes: number, className: string | undefined): CostLine {
  return costLine(prices, className ? model.storageClasses.get(className) : undefined, what, bytes);
}

/** Released, and its claim is gone: no one can bind it back by accident, and no one owns it. */
function isAbandoned(model: ClusterModel, pv: PersistentVolume): boolean {
  if (pv.status?.phase !== 'Released' || !model.sees('PersistentVolumeClaim')) return false;
  const ref = pv.spec?.claimRef;
  const claim = ref?.name ? model.claims.get(ref.namespace, ref.name) : undefined;
  return !claim || (ref?.uid !== undefined && claim.metadata.uid !== ref.uid);
}
