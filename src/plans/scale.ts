// `stsvol scale`: seed 000 as a plan. A scale-up is checked, per new ordinal, against everything the
// seed hit: leftover claims that would come back with old data, open volumes the binder would hand
// to a new claim, attach limits, zones, quota; and it is priced. A scale-down lets the controller
// remove pods in order, then keeps the claims or deletes them (after a snapshot, if asked), never
// one a pod uses or one at an ordinal the StatefulSet runs.

import { openVolumesWithData } from '../checks/recipes/prebind.ts';
import { QUARANTINE_NAMESPACE, QUARANTINED_ANNOTATION, ZONE_LABEL } from '../model/annotations.ts';
import { isNodeReady, type ClusterModel } from '../model/cluster-model.ts';
import { InputError } from '../model/errors.ts';
import { claimName, firstOrdinal, ordinalRange, replicasOf } from '../model/ordinals.ts';
import { parseQuantity } from '../model/quantity.ts';
import type { PersistentVolume, StatefulSet, StorageClass } from '../model/types.ts';
import type { CostLine, Expectation, Plan, PlanResult, Refusal, Step, Target } from './plan.ts';
import { costLine, estimate, totalGiB, type PriceTable } from './pricing.ts';
import { quotaRefusals } from './quota.ts';
import { byName, statefulSetNamed, targetOf, unchangedGuard } from './targets.ts';

export interface ScaleRequest {
  namespace: string;
  statefulSet: string;
  replicas: number;
  /** Scale-up: reserve open volumes of the class for a claim that never exists, so no new claim binds one. */
  quarantine?: boolean;
  /** Scale-up: leftover claims at the new ordinals are wanted back, data and all. */
  reuseClaims?: boolean;
  /** Scale-down: delete the claims of the removed ordinals (default: keep them). */
  deleteClaims?: boolean;
  /** Scale-down with deleteClaims: snapshot each claim first with this VolumeSnapshotClass. */
  snapshotClass?: string;
}

interface Template {
  name: string;
  storage: string;
  bytes: number;
  cls?: StorageClass;
}

export function planScale(model: ClusterModel, req: ScaleRequest, prices: PriceTable, today: string): PlanResult {
  if (!Number.isInteger(req.replicas) || req.replicas < 0) throw new InputError(`--replicas ${req.replicas}: not a number of replicas`);
  const sts = statefulSetNamed(model, req.namespace, req.statefulSet);
  const current = replicasOf(sts);
  const target = targetOf('StatefulSet', sts);
  const templates = templatesOf(model, sts);
  const guard = unchangedGuard(sts);
  const base: Plan = {
    operation: 'scale', subject: byName(target), namespace: req.namespace,
    request: { statefulSet: sts.metadata.name, replicas: req.replicas, quarantine: Boolean(req.quarantine), reuseClaims: Boolean(req.reuseClaims), deleteClaims: Boolean(req.deleteClaims), snapshotClass: req.snapshotClass ?? null },
    summary: [], warnings: [], afterwards: [], steps: [],
  };
  if (req.replicas === current) return { plan: { ...base, summary: [`statefulset ${sts.metadata.name} already has ${current} replicas: nothing to do.`] }, refusals: [] };
  const scaleSteps = scaleTo(target, req.replicas, guard);
  if (req.replicas > current) return scaleUp(model, sts, templates, req, prices, base, scaleSteps);
  if (req.snapshotClass && !req.deleteClaims) throw new InputError('--snapshot-class is for --delete-claims: kept claims need no snapshot');
  return scaleDown(model, sts, templates, req, today, base, scaleSteps);
}

function templatesOf(model: ClusterModel, sts: StatefulSet): Template[] {
  return (sts.spec?.volumeClaimTemplates ?? []).map((t) => {
    const storage = t.spec?.resources?.requests?.storage ?? '0';
    const className = t.spec?.storageClassName;
    return { name: t.metadata?.name ?? '', storage, bytes: parseQuantity(storage) ?? 0, cls: className ? model.storageClasses.get(className) : model.defaultStorageClass() };
  });
}

function scaleTo(sts: Target, replicas: number, guard: Expectation): Step[] {
  return [
    {
      id: 'replicas', title: `Set statefulset ${sts.name} to ${replicas} replicas`,
      action: { verb: 'patch', target: sts, patch: { spec: { replicas } } }, requires: [guard],
      until: { type: 'statefulset-replicas', sts: byName(sts), replicas },
      undo: `set the replicas back (stsvol scale statefulset/${sts.name} --replicas <previous>)`,
    },
    {
      id: 'settled', title: `Wait until ${sts.name} runs ${replicas} Ready replicas`, action: { verb: 'none' }, requires: [],
      until: { type: 'statefulset-settled', sts: byName(sts), replicas }, undo: 'nothing changes in this step',
    },
  ];
}

function newOrdinals(sts: StatefulSet, replicas: number): number[] {
  const { end } = ordinalRange(sts);
  const out: number[] = [];
  for (let o = end; o < firstOrdinal(sts) + replicas; o++) out.push(o);
  return out;
}

function scaleUp(model: ClusterModel, sts: StatefulSet, templates: Template[], req: ScaleRequest, prices: PriceTable, base: Plan, scaleSteps: Step[]): PlanResult {
  const ordinals = newOrdinals(sts, req.replicas);
  const refusals: Refusal[] = [];
  const summary = [`Scale statefulset ${sts.metadata.name} from ${replicasOf(sts)} to ${req.replicas}: new ordinals ${ordinals.join(', ')}.`];
  const steps: Step[] = [];
  const lines: CostLine[] = [];
  for (const t of templates) {
    let fresh = 0;
    for (const o of ordinals) {
      const leftover = model.claims.get(req.namespace, claimName(sts, t.name, o));
      if (leftover) {
        const where = leftover.spec?.volumeName ? ` on volume ${leftover.spec.volumeName}` : '';
        if (req.reuseClaims) summary.push(`Claim ${leftover.metadata.name} exists${where}: replica ${o} gets it back with its data (--reuse-claims).`);
        else refusals.push({ code: 'leftover-claim', message: `claim ${leftover.metadata.name} is left from an earlier scale-down${where}: replica ${o} would start on its old data. Pass --reuse-claims if that is wanted, or remove it first (stsvol reclaim -n ${req.namespace})` });
        continue;
      }
      fresh++;
      lines.push(costLine(prices, t.cls, `claim ${claimName(sts, t.name, o)} (${t.storage}, class ${t.cls?.metadata.name ?? '?'})`, t.bytes));
    }
    const className = t.cls?.metadata.name ?? '';
    if (fresh > 0) {
      const open = openVolumesWithData(model, className);
      if (open.length && !req.quarantine) {
        refusals.push({ code: 'open-volumes', message: `${open.length} Available volume(s) of class ${className} hold data from earlier claims (${open.slice(0, 5).map((v) => v.metadata.name).join(', ')}${open.length > 5 ? ', …' : ''}): the binder may give one to a new claim instead of a fresh disk (seed 000). Pass --quarantine to reserve them for no claim first (their data stays)` });
      }
      if (req.quarantine) steps.push(...open.map(quarantineStep));
      refusals.push(...quotaRefusals(model, { namespace: req.namespace, className, bytes: fresh * t.bytes, claims: fresh }));
      const capacity = attachCapacity(model, t.cls);
      summary.push(capacity.text);
      if (capacity.headroom !== undefined && capacity.headroom < ordinals.length) {
        refusals.push({ code: 'attach-limit', message: `the Ready nodes can attach ${capacity.headroom} more volume(s) of ${t.cls?.provisioner} and the new replicas need ${ordinals.length} for "${t.name}": add nodes first (scheduler: "node(s) exceed max volume count")` });
      }
      const zones = zoneRefusal(model, t.cls);
      if (zones) refusals.push(zones);
    }
  }
  const cost = estimate(prices, lines);
  const unpriced = cost.lines.filter((l) => l.monthly === undefined).length;
  summary.push(cost.lines.length ? `New volumes: ${cost.lines.length}, ${totalGiB(cost)} GiB, about ${cost.monthly} ${cost.currency} a month${unpriced ? ` (${unpriced} without a known price: --prices FILE)` : ''}.` : 'No new volumes.');
  return { plan: { ...base, summary, steps: [...steps, ...scaleSteps], cost }, refusals };
}

function quarantineStep(pv: PersistentVolume): Step {
  const target = targetOf('PersistentVolume', pv);
  const claim = { namespace: QUARANTINE_NAMESPACE, name: pv.metadata.name };
  return {
    id: `quarantine:${pv.metadata.name}`, title: `Quarantine volume ${pv.metadata.name} (reserve it for ${QUARANTINE_NAMESPACE}/${pv.metadata.name}, a claim that never exists)`,
    action: { verb: 'patch', target, patch: { metadata: { annotations: { [QUARANTINED_ANNOTATION]: 'true' } }, spec: { claimRef: { ...claim, uid: null, resourceVersion: null } } } },
    requires: [], until: { type: 'volume-reserved', volume: target, claim },
    undo: `pre-bind it to the claim that should have its data: kubectl patch pv ${pv.metadata.name} -p '{"spec":{"claimRef":{"namespace":"<ns>","name":"<claim>"}}}'`,
  };
}

/** Free attachment slots of the class's driver on Ready, schedulable nodes; undefined when a node has no limit. */
function attachCapacity(model: ClusterModel, cls: StorageClass | undefined): { headroom?: number; text: string } {
  const driver = cls?.provisioner;
  if (!driver || !model.sees('CSINode')) return { text: 'Attach limits: unknown (no class or CSINodes hidden).' };
  let headroom = 0;
  let unlimited = false;
  const byZone = new Map<string, number>();
  for (const node of model.nodes.values()) {
    if (!isNodeReady(node) || node.spec?.unschedulable) continue;
    const limit = model.csiNodes.get(node.metadata.name)?.spec?.drivers?.find((d) => d.name === driver)?.allocatable?.count;
    if (limit === undefined) {
      unlimited = true;
      continue;
    }
    const used = model.attachmentsOnNode(node.metadata.name).filter((va) => va.spec.attacher === driver).length;
    const free = Math.max(0, limit - used);
    headroom += free;
    const zone = node.metadata.labels?.[ZONE_LABEL] ?? '(no zone)';
    byZone.set(zone, (byZone.get(zone) ?? 0) + free);
  }
  const zones = [...byZone].map(([z, n]) => `${z} ${n}`).join(', ');
  if (unlimited) return { text: `Attach limits: some Ready nodes report no limit for ${driver}${zones ? `; the others have free slots: ${zones}` : ''}.` };
  return { headroom, text: `Free attach slots for ${driver} on Ready nodes: ${headroom}${zones ? ` (${zones})` : ''}.` };
}

/** A class restricted to zones where no Ready node runs cannot serve a new replica. */
function zoneRefusal(model: ClusterModel, cls: StorageClass | undefined): Refusal | undefined {
  const allowed = new Set(cls?.allowedTopologies?.flatMap((t) => t.matchLabelExpressions ?? []).filter((e) => e.key === ZONE_LABEL || e.key.endsWith('/zone')).flatMap((e) => e.values) ?? []);
  if (!allowed.size) return undefined;
  const nodeZones = new Set([...model.nodes.values()].filter(isNodeReady).map((n) => n.metadata.labels?.[ZONE_LABEL]).filter((z): z is string => Boolean(z)));
  if ([...allowed].some((z) => nodeZones.has(z))) return undefined;
  return { code: 'zones', message: `class ${cls!.metadata.name} provisions only in zones ${[...allowed].join(', ')}, and no Ready node runs there (nodes are in ${[...nodeZones].join(', ') || 'no zone'})` };
}

function scaleDown(model: ClusterModel, sts: StatefulSet, templates: Template[], req: ScaleRequest, today: string, base: Plan, scaleSteps: Step[]): PlanResult {
  const { end } = ordinalRange(sts);
  const removed: number[] = [];
  for (let o = firstOrdinal(sts) + req.replicas; o < end; o++) removed.push(o);
  const summary = [`Scale statefulset ${sts.metadata.name} from ${replicasOf(sts)} to ${req.replicas}: the controller removes ${removed.map((o) => `${sts.metadata.name}-${o}`).reverse().join(', ')}, highest first.`];
  const warnings: string[] = [];
  const steps = [...scaleSteps];
  const retention = sts.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled;
  if (retention === 'Delete') warnings.push(`Its persistentVolumeClaimRetentionPolicy.whenScaled is Delete: the controller deletes the claims of removed replicas itself, and their data with them.`);
  const claims = templates.flatMap((t) => removed.map((o) => ({ o, claim: model.claims.get(req.namespace, claimName(sts, t.name, o)) }))).filter((c) => c.claim);
  if (!req.deleteClaims) {
    summary.push(claims.length ? `Claims kept (their data stays for a later scale-up): ${claims.map((c) => c.claim!.metadata.name).join(', ')}.` : 'No claims to keep.');
  } else {
    for (const { o, claim } of claims.reverse()) {
      const target = targetOf('PersistentVolumeClaim', claim!);
      const requires: Expectation[] = [{ type: 'claim-unused', claim: byName(target) }, { type: 'statefulset-replicas-at-most', sts: byName(targetOf('StatefulSet', sts)), replicas: o - firstOrdinal(sts) }];
      if (req.snapshotClass) steps.push(snapshotStep(target, req.snapshotClass, today));
      steps.push({
        id: `delete:${claim!.metadata.name}`, title: `Delete claim ${claim!.metadata.name}${req.snapshotClass ? ' (its snapshot is ready)' : ''}`,
        action: { verb: 'delete', target }, requires: req.snapshotClass ? [...requires, { type: 'snapshot-ready', snapshot: snapshotTarget(target, today) }] : requires,
        until: { type: 'gone', target }, undo: req.snapshotClass ? `restore from snapshot ${snapshotTarget(target, today).name} (a claim with dataSource)` : 'none: the data is gone with the claim unless its volume is Retain',
      });
    }
    summary.push(`Claims deleted after their pods are gone${req.snapshotClass ? `, each after a VolumeSnapshot of class ${req.snapshotClass}` : ''}: ${claims.map((c) => c.claim!.metadata.name).join(', ') || 'none'}.`);
  }
  return { plan: { ...base, summary, warnings, steps }, refusals: [] };
}

function snapshotTarget(claim: Target, today: string): Target {
  return { kind: 'VolumeSnapshot', namespace: claim.namespace, name: `${claim.name}-${today}`.slice(0, 253) };
}

export function snapshotStep(claim: Target, snapshotClass: string, today: string): Step {
  const snapshot = snapshotTarget(claim, today);
  return {
    id: `snapshot:${claim.name}`, title: `Snapshot claim ${claim.name} as ${snapshot.name}`,
    action: {
      verb: 'create',
      manifest: { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: snapshot.name, namespace: claim.namespace, labels: { 'app.kubernetes.io/managed-by': 'stsvol' } }, spec: { volumeSnapshotClassName: snapshotClass, source: { persistentVolumeClaimName: claim.name } } },
    },
    requires: [], until: { type: 'snapshot-ready', snapshot }, undo: `kubectl delete volumesnapshot ${snapshot.name} -n ${claim.namespace}`,
  };
}
