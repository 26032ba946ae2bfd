// `stsvol scale`: seed 000 as a plan. A scale-up is checked, per new ordinal, against everything the
// seed hit: leftover claims that would come back with old data, open volumes the binder would hand
// to a new claim, attach limits, zones, quota; and it is priced. A scale-down lets the controller
// remove pods in order, then keeps the claims or deletes them (after a snapshot, if asked), never
// one a pod uses or one at an ordinal the StatefulSet runs.

import { csiDriverOf, NO_PROVISIONER } from '../checks/provisioners.ts';
import { bindableVolumes, fitsOpen, intendedFor, type ClaimWish } from '../checks/recipes/prebind.ts';
import { QUARANTINE_NAMESPACE, QUARANTINED_ANNOTATION, REUSE_INTENDED_ANNOTATION, ZONE_LABEL } from '../model/annotations.ts';
import { isNodeReady, type ClusterModel } from '../model/cluster-model.ts';
import { InputError } from '../model/errors.ts';
import { claimName, firstOrdinal, memberName, ordinalRange, replicasOf } from '../model/ordinals.ts';
import { parseQuantity } from '../model/quantity.ts';
import type { PersistentVolume, PersistentVolumeClaim, StatefulSet, StorageClass } from '../model/types.ts';
import type { CostLine, Expectation, Plan, PlanResult, Refusal, Step, Target } from './plan.ts';
import { costLine, estimate, totalGiB, type PriceTable } from '../model/pricing.ts';
import { quotaRefusals } from './quota.ts';
import { snapshotOf, snapshotReady, snapshotStep } from './snapshots.ts';
import { byName, statefulSetNamed, targetOf, unchangedGuard } from './targets.ts';
import { count } from '../model/words.ts';

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

/** spec.replicas is an int32: the API refuses more. */
export const MAX_REPLICAS = 2 ** 31 - 1;

interface Template {
  name: string;
  storage: string;
  bytes: number;
  accessModes: string[];
  volumeMode?: string;
  cls?: StorageClass;
}

export function planScale(model: ClusterModel, req: ScaleRequest, prices: PriceTable, today: string): PlanResult {
  if (!Number.isInteger(req.replicas) || req.replicas < 0) throw new InputError(`--replicas ${req.replicas}: not a number of replicas`);
  if (req.replicas > MAX_REPLICAS) throw new InputError(`--replicas ${req.replicas}: more than a StatefulSet can have (${MAX_REPLICAS}, the API's int32)`);
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
  if (req.replicas > current) return scaleUp(model, sts, templates, req, prices, base, guard);
  if (req.snapshotClass && !req.deleteClaims) throw new InputError('--snapshot-class is for --delete-claims: kept claims need no snapshot');
  return scaleDown(model, sts, req, today, base, scaleTo(target, req.replicas, [guard]));
}

function templatesOf(model: ClusterModel, sts: StatefulSet): Template[] {
  return (sts.spec?.volumeClaimTemplates ?? []).map((t) => {
    const storage = t.spec?.resources?.requests?.storage ?? '0';
    const className = t.spec?.storageClassName;
    return {
      name: t.metadata?.name ?? '', storage, bytes: parseQuantity(storage) ?? 0, accessModes: t.spec?.accessModes ?? [], volumeMode: t.spec?.volumeMode,
      cls: className ? model.storageClasses.get(className) : model.defaultStorageClass(),
    };
  });
}

function scaleTo(sts: Target, replicas: number, requires: Expectation[]): Step[] {
  return [
    {
      id: 'replicas', title: `Set statefulset ${sts.name} to ${count(replicas, 'replica')}`,
      action: { verb: 'patch', target: sts, patch: { spec: { replicas } } }, requires,
      until: { type: 'statefulset-replicas', sts: byName(sts), replicas },
      undo: `set the replicas back (stsvol scale statefulset/${sts.name} --replicas <previous>)`,
    },
    {
      id: 'settled', title: `Wait until ${sts.name} runs ${count(replicas, 'Ready replica')}`, action: { verb: 'none' }, requires: [],
      until: { type: 'statefulset-settled', sts: byName(sts), replicas }, undo: 'nothing changes in this step',
    },
  ];
}

/** New ordinals are named one by one up to this many, beyond counted: a StatefulSet may be scaled to
 *  two billion replicas, and a plan must not hold a line for each. */
const NAMED_ORDINALS = 100;

function scaleUp(model: ClusterModel, sts: StatefulSet, templates: Template[], req: ScaleRequest, prices: PriceTable, base: Plan, guard: Expectation): PlanResult {
  const { end } = ordinalRange(sts);
  const last = firstOrdinal(sts) + req.replicas;
  const added = last - end;
  const named = added <= NAMED_ORDINALS ? Array.from({ length: added }, (_, i) => end + i) : undefined;
  const refusals: Refusal[] = [];
  const summary = [`Scale statefulset ${sts.metadata.name} from ${replicasOf(sts)} to ${req.replicas}: new ordinals ${named ? named.join(', ') : `${end} to ${last - 1} (${added})`}.`];
  const steps: Step[] = [];
  const lines: CostLine[] = [];
  /** Judged again right before the replicas change: what the binder could give a new claim then. */
  const requires: Expectation[] = [guard];
  let newVolumes = 0;
  /** Attachments the new replicas need, per CSI driver: one per claim, new or reused. */
  const attachNeed = new Map<string, number>();
  for (const t of templates) {
    // The claims that exist at the new ordinals, from the claims (never by counting through ordinals).
    const leftovers = [...(model.members(sts).claims.get(t.name) ?? [])].filter(([o]) => o >= end && o < last).sort(([a], [b]) => a - b);
    for (const [o, leftover] of leftovers) {
      const where = leftover.spec?.volumeName ? ` on volume ${leftover.spec.volumeName}` : '';
      if (req.reuseClaims) summary.push(`Claim ${leftover.metadata.name} exists${where}: replica ${o} gets it back with its data (--reuse-claims).`);
      else refusals.push({ code: 'leftover-claim', message: `claim ${leftover.metadata.name} is left from an earlier scale-down${where}: replica ${o} would start on its old data. Pass --reuse-claims if that is wanted, or remove it first (stsvol reclaim -n ${req.namespace})` });
    }
    for (const [o, pv] of preboundAt(model, sts, t.name, end, last)) {
      const intended = pv.metadata.annotations?.[REUSE_INTENDED_ANNOTATION] === intendedFor(req.namespace, claimName(sts, t.name, o));
      const text = `volume ${pv.metadata.name} is reserved for claim ${claimName(sts, t.name, o)} (pre-bound: claimRef without uid)`;
      if (intended || req.reuseClaims) summary.push(`The ${text}: replica ${o} starts on the data it holds.`);
      else refusals.push({ code: 'prebound-volume', message: `${text}: replica ${o} would start on the data it holds. Pass --reuse-claims if that is wanted, or reserve the volume elsewhere first` });
    }
    const fresh = added - leftovers.length;
    newVolumes += fresh;
    const reused = new Set(leftovers.map(([o]) => o));
    const className = t.cls?.metadata.name ?? '?';
    if (named) for (const o of named.filter((n) => !reused.has(n))) lines.push(costLine(prices, t.cls, `claim ${claimName(sts, t.name, o)} (${t.storage}, class ${className})`, t.bytes));
    else if (fresh > 0) lines.push(costLine(prices, t.cls, `${fresh} claims of template "${t.name}" (${t.storage} each, class ${className})`, fresh * t.bytes));
    const driver = t.cls ? csiDriverOf(t.cls.provisioner) : undefined;
    if (driver) attachNeed.set(driver, (attachNeed.get(driver) ?? 0) + added);
    if (fresh === 0) continue;
    const volumes = openVolumeRefusal(model, t, t.cls?.metadata.name ?? '', Boolean(req.quarantine), summary);
    if (volumes.refusal) refusals.push(volumes.refusal);
    requires.push({ type: 'no-new-open-volumes', wish: wishOf(t), known: volumes.known });
    steps.push(...volumes.quarantine.map(quarantineStep));
    refusals.push(...quotaRefusals(model, { namespace: req.namespace, className: t.cls?.metadata.name ?? '', bytes: fresh * t.bytes, claims: fresh }));
    const zones = zoneRefusal(model, t.cls);
    if (zones) refusals.push(zones);
  }
  for (const [driver, need] of attachNeed) {
    const capacity = attachCapacity(model, driver);
    summary.push(capacity.text);
    if (capacity.headroom !== undefined && capacity.headroom < need) {
      refusals.push({ code: 'attach-limit', message: `the Ready nodes can attach ${count(capacity.headroom, 'more volume')} of ${driver} and the new replicas need ${need} (one per claim, over every claim template): add nodes first (scheduler: "node(s) exceed max volume count")` });
    }
  }
  const cost = estimate(prices, lines);
  const unpriced = cost.lines.filter((l) => l.monthly === undefined).length;
  summary.push(newVolumes ? `New volumes: ${newVolumes}, ${totalGiB(cost)} GiB, about ${cost.monthly} ${cost.currency} a month${unpriced ? ` (${count(unpriced, 'line')} without a known price: --prices FILE)` : ''}.` : 'No new volumes.');
  return { plan: { ...base, summary, steps: [...steps, ...scaleTo(targetOf('StatefulSet', sts), req.replicas, requires)], cost }, refusals };
}

function wishOf(t: Template): ClaimWish {
  return { className: t.cls?.metadata.name ?? '', bytes: t.bytes, accessModes: t.accessModes, ...(t.volumeMode ? { volumeMode: t.volumeMode } : {}) };
}

/** Volumes pre-bound by name to a claim a new ordinal will make: the binder gives it exactly that
 *  volume, whatever it holds. Found from the volumes, never by counting through the ordinals. */
function preboundAt(model: ClusterModel, sts: StatefulSet, template: string, from: number, to: number): [number, PersistentVolume][] {
  const prefix = `${template}-${sts.metadata.name}-`;
  const found: [number, PersistentVolume][] = [];
  for (const pv of model.volumes.values()) {
    const ref = pv.spec?.claimRef;
    if (pv.status?.phase !== 'Available' || !ref?.name || ref.uid || ref.namespace !== sts.metadata.namespace || !ref.name.startsWith(prefix)) continue;
    const ordinal = /^\d{1,10}$/.test(ref.name.slice(prefix.length)) ? Number(ref.name.slice(prefix.length)) : -1;
    if (ordinal >= from && ordinal < to) found.push([ordinal, pv]);
  }
  return found.sort(([a], [b]) => a - b);
}

/** Open volumes the binder would give a new claim of this template instead of a fresh disk (seed
 *  000). Refused until quarantined, whatever they hold: an earlier claim's data, or contents nobody
 *  here knows. In a class without a provisioner, open volumes made by hand are the design (static
 *  local volumes): they are named, not refused. */
function openVolumeRefusal(model: ClusterModel, t: Template, className: string, quarantine: boolean, summary: string[]): { refusal?: Refusal; quarantine: PersistentVolume[]; known: string[] } {
  const bindable = bindableVolumes(model, wishOf(t));
  const staticClass = t.cls?.provisioner === NO_PROVISIONER;
  const risky = bindable.filter((b) => !(staticClass && b.contents === 'unknown'));
  const planned = bindable.filter((b) => staticClass && b.contents === 'unknown');
  if (planned.length) summary.push(`Class ${className} has no provisioner: new claims of "${t.name}" bind the static volumes made for them: ${planned.map((b) => b.text).join(', ')}.`);
  // Open now and accepted by this plan (static ones, ones no Ready node reaches): not a change when seen again.
  const riskyNames = new Set(risky.map((b) => b.pv.metadata.name));
  const known = [...model.volumes.values()].filter((pv) => fitsOpen(pv, wishOf(t)) && !riskyNames.has(pv.metadata.name)).map((pv) => pv.metadata.name);
  if (!risky.length) return { quarantine: [], known };
  if (quarantine) return { quarantine: risky.map((b) => b.pv), known };
  const named = risky.slice(0, 5).map((b) => b.text).join('; ');
  return {
    quarantine: [], known,
    refusal: { code: 'open-volumes', message: `${count(risky.length, 'Available volume')} of class ${className} fit a new claim of "${t.name}": ${named}${risky.length > 5 ? '; …' : ''}. The binder may give one to a new replica instead of a fresh disk (seed 000). Pass --quarantine to reserve them for no claim first (their data stays)` },
  };
}

function quarantineStep(pv: PersistentVolume): Step {
  const target = targetOf('PersistentVolume', pv);
  const claim = { namespace: QUARANTINE_NAMESPACE, name: pv.metadata.name };
  return {
    id: `quarantine:${pv.metadata.name}`, title: `Quarantine volume ${pv.metadata.name} (reserve it for ${QUARANTINE_NAMESPACE}/${pv.metadata.name}, a claim that never exists)`,
    action: { verb: 'patch', target, patch: { metadata: { annotations: { [QUARANTINED_ANNOTATION]: 'true' } }, spec: { claimRef: { ...claim, uid: null, resourceVersion: null } } } },
    // Judged on the version the patch is written with: a claim the binder gave it meanwhile is never
    // overwritten (that claim would go Lost).
    requires: [{ type: 'volume-open', volume: target }], until: { type: 'volume-reserved', volume: target, claim },
    undo: `pre-bind it to the claim that should have its data: kubectl patch pv ${pv.metadata.name} -p '{"spec":{"claimRef":{"namespace":"<ns>","name":"<claim>"}}}'`,
  };
}

/** Free attachment slots of a CSI driver on Ready, schedulable nodes; undefined when a node has no
 *  limit. An in-tree class counts against its CSI driver's limit (CSI migration), by that name. */
function attachCapacity(model: ClusterModel, driver: string): { headroom?: number; text: string } {
  if (!model.sees('CSINode')) return { text: 'Attach limits: unknown (CSINodes hidden).' };
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

/** The claims of the ordinals a scale-down removes, highest ordinal first: read from the claims that
 *  exist, never by counting through ordinals (a StatefulSet may claim two billion replicas). */
function removedClaims(model: ClusterModel, sts: StatefulSet, replicas: number): { ordinal: number; claim: PersistentVolumeClaim }[] {
  const { end } = ordinalRange(sts);
  const from = firstOrdinal(sts) + replicas;
  const found: { ordinal: number; claim: PersistentVolumeClaim }[] = [];
  for (const byOrdinal of model.members(sts).claims.values()) {
    for (const [ordinal, claim] of byOrdinal) if (ordinal >= from && ordinal < end) found.push({ ordinal, claim });
  }
  return found.sort((a, b) => b.ordinal - a.ordinal || (a.claim.metadata.name < b.claim.metadata.name ? -1 : 1));
}

/**
 * A scale-down, in the order the data needs. whenScaled: Delete makes each removed pod the owner of
 * its claims, and the garbage collector deletes them with the pod (the StatefulSet controller's
 * claimOwnerMatchesSetAndPod): a snapshot must be ReadyToUse before the replicas change, because
 * external-snapshotter refuses a source claim that is being deleted. Under whenScaled: Retain the
 * claims outlive their pods, so a snapshot is taken after the pod stopped (its data at rest) and
 * before stsvol deletes the claim. The retention policy deleting data is never a side effect the
 * user did not ask for: without --delete-claims such a scale-down is refused.
 */
function scaleDown(model: ClusterModel, sts: StatefulSet, req: ScaleRequest, today: string, base: Plan, scaleSteps: Step[]): PlanResult {
  const name = sts.metadata.name;
  const leaving = [...model.members(sts).pods.keys()].filter((o) => o >= firstOrdinal(sts) + req.replicas && o < ordinalRange(sts).end).sort((a, b) => b - a);
  const summary = [`Scale statefulset ${name} from ${replicasOf(sts)} to ${req.replicas}: the controller removes ${leaving.length ? leaving.map((o) => memberName(sts, o)).join(', ') : 'the replicas above'}, highest first.`];
  const warnings: string[] = [];
  const claims = removedClaims(model, sts, req.replicas);
  const names = claims.map((c) => c.claim.metadata.name).join(', ');
  const retentionDeletes = sts.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled === 'Delete';
  if (!req.deleteClaims) {
    if (retentionDeletes && claims.length) {
      return {
        plan: { ...base, summary: [...summary, `Its persistentVolumeClaimRetentionPolicy.whenScaled is Delete: the controller deletes ${names} with their pods.`] },
        refusals: [{ code: 'retention-deletes-claims', message: `statefulset ${name} has persistentVolumeClaimRetentionPolicy.whenScaled: Delete, so this scale-down deletes claims ${names} and ${dataFate(model, claims)}. Pass --delete-claims to accept that (add --snapshot-class CLASS to keep a snapshot of each first), or set whenScaled to Retain before scaling down` }],
      };
    }
    summary.push(claims.length ? `Claims kept (their data stays for a later scale-up): ${names}.` : 'No claims to keep.');
    return { plan: { ...base, summary, steps: scaleSteps }, refusals: [] };
  }
  if (!claims.length) return { plan: { ...base, summary: [...summary, 'No claims to delete.'], steps: scaleSteps }, refusals: [] };
  const snapshots = req.snapshotClass ? claims.map((c) => snapshotStep(targetOf('PersistentVolumeClaim', c.claim), req.snapshotClass!, today)) : [];
  const deletes = claims.map((c) => deleteClaimStep(sts, c.ordinal, c.claim, req, today, retentionDeletes));
  if (retentionDeletes) {
    summary.push(`Its persistentVolumeClaimRetentionPolicy.whenScaled is Delete: the controller deletes ${names} with their pods, and ${dataFate(model, claims)}.`);
    if (req.snapshotClass) {
      summary.push(`First each claim is snapshotted with class ${req.snapshotClass}, and the replicas change only once every snapshot is ready to use.`);
      warnings.push('The snapshots are taken while the replicas still run: they hold what a power cut would leave on disk. Quiesce the application first (flush, read-only) if it needs a clean copy.');
    }
    return { plan: { ...base, summary, warnings, steps: [...snapshots, ...scaleSteps, ...deletes] }, refusals: [] };
  }
  summary.push(`Claims deleted once their pods are gone${req.snapshotClass ? `, each after a VolumeSnapshot of class ${req.snapshotClass} taken with its pod stopped` : ''}: ${names}; ${dataFate(model, claims)}.`);
  const steps = [...scaleSteps];
  claims.forEach((_, i) => steps.push(...(snapshots[i] ? [snapshots[i]!] : []), deletes[i]!));
  return { plan: { ...base, summary, warnings, steps }, refusals: [] };
}

function deleteClaimStep(sts: StatefulSet, ordinal: number, claim: PersistentVolumeClaim, req: ScaleRequest, today: string, retentionDeletes: boolean): Step {
  const target = targetOf('PersistentVolumeClaim', claim);
  const snapshot = req.snapshotClass ? snapshotOf(target, today) : undefined;
  const requires: Expectation[] = [{ type: 'claim-unused', claim: byName(target) }, { type: 'statefulset-excludes-ordinal', sts: byName(targetOf('StatefulSet', sts)), ordinal }];
  return {
    id: `delete:${claim.metadata.name}`,
    title: retentionDeletes ? `Claim ${claim.metadata.name} is deleted (by the StatefulSet controller; by stsvol if it has not)` : `Delete claim ${claim.metadata.name}${snapshot ? ' (its snapshot is ready)' : ''}`,
    action: { verb: 'delete', target }, requires: snapshot ? [...requires, snapshotReady(target, today)] : requires,
    until: { type: 'gone', target }, undo: snapshot ? `restore from snapshot ${snapshot.name} (a claim with dataSource)` : 'none: the data is gone with the claim unless its volume is Retain',
  };
}

/** What deleting these claims does to their data, by their volumes' reclaim policy. */
function dataFate(model: ClusterModel, claims: { claim: PersistentVolumeClaim }[]): string {
  const retained = claims.filter((c) => model.volumeOf(c.claim)?.spec?.persistentVolumeReclaimPolicy === 'Retain').map((c) => c.claim.metadata.name);
  if (!retained.length) return 'their disks are deleted with them (reclaimPolicy Delete)';
  if (retained.length === claims.length) return 'their volumes stay Released with the data (reclaimPolicy Retain) until deleted';
  return `the disks of all but ${retained.join(', ')} (reclaimPolicy Retain: kept Released) are deleted with them`;
}
