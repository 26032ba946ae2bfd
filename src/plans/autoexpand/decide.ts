// Should this claim grow now, and to what size? Pure: the model, the claim's policy and its usage
// history in, a decision out; the operator acts on it. The order of the questions is the order of
// their cost if answered wrongly: no trigger means nothing to do; a resize in flight or a cooldown
// means wait; a class, quota or ceiling that forbids it is a refusal to report, not to retry.

import { provisionerOf } from '../../checks/provisioners.ts';
import { EXPANDED_FROM_ANNOTATION, LAST_EXPANDED_ANNOTATION } from '../../model/annotations.ts';
import type { ClusterModel } from '../../model/cluster-model.ts';
import { formatBytes, parseQuantity } from '../../model/quantity.ts';
import { formatDuration, parseTime, toRfc3339 } from '../../model/time.ts';
import type { PersistentVolumeClaim } from '../../model/types.ts';
import { quotaRefusals } from '../quota.ts';
import { claimRefusals } from '../resize.ts';
import { CONFIRMING_SAMPLES, freeBytes, trendOf, usedPercent, type Trend, type UsageSample } from './forecast.ts';
import { INODE_USED_PERCENT_WITH_BYTE_THRESHOLD, type ExpandPolicy } from '../../model/expand-policy.ts';
import { modificationIntervalOf } from './provider-limits.ts';

const GiB = 2 ** 30;

export type RefusalCode = 'class-cannot-expand' | 'provisioner-cannot-expand' | 'resize-failing' | 'claim-not-bound' | 'quota' | 'max-size';

export type ExpansionDecision =
  | { action: 'none'; reason: string; trend: Trend }
  | { action: 'wait'; reason: string; trend: Trend }
  | { action: 'refuse'; code: RefusalCode; reason: string; trend: Trend }
  /** fileSystemBytes: the size of the file system decided on; samples of it or smaller describe the
   *  volume before this expansion. */
  | { action: 'expand'; fromBytes: number; toBytes: number; to: string; fileSystemBytes: number; reason: string; trend: Trend };

export function decideExpansion(model: ClusterModel, claim: PersistentVolumeClaim, policy: ExpandPolicy, allSamples: readonly UsageSample[]): ExpansionDecision {
  const history = currentSamples(claim, allSamples);
  const trend = trendOf(history);
  const trigger = triggerOf(policy, history, trend);
  if (!trigger) return { action: 'none', reason: history.length ? 'below its threshold and not filling within its lead time' : 'no usage sample yet', trend };
  const requested = parseQuantity(claim.spec?.resources?.requests?.storage) ?? 0;
  const capacity = parseQuantity(claim.status?.capacity?.storage) ?? 0;
  if (requested > capacity) return { action: 'wait', reason: `${trigger}, but a resize to ${formatBytes(requested)} is still in progress`, trend };
  const sc = model.storageClassOf(claim);
  const intervalMs = modificationIntervalOf(provisionerOf(claim, sc));
  const waitUntil = cooldownEnd(claim, Math.max(policy.cooldownMs, intervalMs));
  if (waitUntil !== undefined && waitUntil > model.now) {
    return { action: 'wait', reason: `${trigger}, but the last expansion was less than its cooldown ago: next one possible in ${formatDuration(waitUntil - model.now)} (at ${toRfc3339(waitUntil)})`, trend };
  }
  const current = Math.max(requested, capacity);
  if (current >= policy.maxBytes) return { action: 'refuse', code: 'max-size', reason: `${trigger}, but it is at its maximum of ${formatBytes(policy.maxBytes)} already`, trend };
  const toBytes = Math.min(targetBytes(policy, current, history.at(-1)!, trend, intervalMs), policy.maxBytes);
  const blocked = claimRefusals(model, claim, toBytes, formatBytes(toBytes))[0]
    ?? quotaRefusals(model, { namespace: claim.metadata.namespace ?? '', className: sc?.metadata.name ?? '', bytes: toBytes - requested, claims: 0 })[0];
  if (blocked) return { action: 'refuse', code: blocked.code as RefusalCode, reason: `${trigger}, but ${blocked.message}`, trend };
  return { action: 'expand', fromBytes: current, toBytes, to: formatBytes(toBytes), fileSystemBytes: history.at(-1)!.capacityBytes, reason: trigger, trend };
}

/** Without a recorded file-system size (an expansion by an older stsvol), a file system smaller
 *  than this share of the claim's capacity is taken for the one before a resize. */
const STALE_CAPACITY_SHARE = 0.8;

/** The samples that describe the volume as it is now: after the last expansion, and of a file
 *  system larger than the one that expansion was decided on. Samples of the old file system (taken
 *  while the resize is in flight, or served from the kubelet's stats cache for a minute after it)
 *  would read as full and grow the claim a second time: with an increment under about a fifth, a
 *  share of the new capacity cannot tell them apart, the recorded size can. */
function currentSamples(claim: PersistentVolumeClaim, history: readonly UsageSample[]): UsageSample[] {
  const annotations = claim.metadata.annotations;
  const last = parseTime(annotations?.[LAST_EXPANDED_ANNOTATION]) ?? Number.NEGATIVE_INFINITY;
  const before = Number(annotations?.[EXPANDED_FROM_ANNOTATION]);
  const capacity = parseQuantity(claim.status?.capacity?.storage) ?? 0;
  const grown = Number.isFinite(before) && before > 0 ? (s: UsageSample) => s.capacityBytes > before : (s: UsageSample) => s.capacityBytes >= STALE_CAPACITY_SHARE * capacity;
  return history.filter((s) => s.at > last && grown(s));
}

/** Why the claim should grow, or undefined. A threshold is crossed only when the latest samples
 *  agree; a forecast needs a trend, which needs several samples: one noisy sample moves nothing. */
function triggerOf(policy: ExpandPolicy, history: readonly UsageSample[], trend: Trend): string | undefined {
  const recent = history.slice(-CONFIRMING_SAMPLES);
  if (recent.length === CONFIRMING_SAMPLES) {
    const crossed = recent.map((s) => crossing(policy, s));
    if (crossed.every(Boolean)) return crossed.at(-1);
  }
  if (trend.fullInMs !== undefined && trend.fullInMs <= policy.leadTimeMs) {
    return `at its recent rate it is full in ${formatDuration(trend.fullInMs)}, within its lead time of ${formatDuration(policy.leadTimeMs)}`;
  }
  return undefined;
}

function crossing(policy: ExpandPolicy, s: UsageSample): string | undefined {
  const used = usedPercent(s);
  if (policy.threshold.usedPercent !== undefined && used >= policy.threshold.usedPercent) return `${used.toFixed(1)}% used, at or over its threshold of ${policy.threshold.usedPercent}%`;
  const free = freeBytes(s);
  if (policy.threshold.freeBytes !== undefined && free <= policy.threshold.freeBytes) return `${formatBytes(free)} free, at or under its threshold of ${formatBytes(policy.threshold.freeBytes)}`;
  const inodeLimit = policy.threshold.usedPercent ?? INODE_USED_PERCENT_WITH_BYTE_THRESHOLD;
  if (s.inodes && s.inodesUsed !== undefined && (100 * s.inodesUsed) / s.inodes >= inodeLimit) return `${((100 * s.inodesUsed) / s.inodes).toFixed(1)}% of its inodes used, at or over ${inodeLimit}% (a volume out of inodes is full)`;
  return undefined;
}

/** The end of the cooldown (the user's, or the provider's modification interval when longer).
 *  The start is read from the claim, so it survives the operator. */
function cooldownEnd(claim: PersistentVolumeClaim, cooldownMs: number): number | undefined {
  const last = parseTime(claim.metadata.annotations?.[LAST_EXPANDED_ANNOTATION]);
  return last === undefined ? undefined : last + cooldownMs;
}

/** The increment; where the provider allows one change per interval, at least enough to stay under
 *  the threshold until the interval and the lead time have passed at the current rate. */
function targetBytes(policy: ExpandPolicy, current: number, latest: UsageSample, trend: Trend, intervalMs: number): number {
  let target = current + (policy.increment.percent !== undefined ? (current * policy.increment.percent) / 100 : policy.increment.bytes);
  if (intervalMs > 0 && trend.bytesPerMs && trend.bytesPerMs > 0) {
    const used = latest.usedBytes + trend.bytesPerMs * (intervalMs + policy.leadTimeMs);
    const fileSystem = policy.threshold.usedPercent !== undefined ? (used * 100) / policy.threshold.usedPercent : used + policy.threshold.freeBytes;
    // A file system is a little smaller than its volume: scale by what this one loses.
    const overhead = latest.capacityBytes > 0 ? current / latest.capacityBytes : 1;
    target = Math.max(target, fileSystem * overhead);
  }
  return Math.ceil(target / GiB) * GiB;
}
