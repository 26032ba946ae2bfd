// Per claim: used and capacity over time, the trend line and the auto-expansion policy. The samples
// come from whoever has them (injected): the live dashboard's own kubelet readings, or the single
// reading `stsvol snapshot --with-usage` recorded on the claim. No samples: say why, draw nothing.

import { observedUsage } from '../checks/audit/usage.ts';
import type { ClusterModel } from '../model/cluster-model.ts';
import { policyOf } from '../model/expand-policy.ts';
import { formatBytes } from '../model/quantity.ts';
import { formatDuration } from '../model/time.ts';
import type { PersistentVolumeClaim, StatefulSet } from '../model/types.ts';
import { decideExpansion } from '../plans/autoexpand/decide.ts';
import { trendOf, usedPercent, type UsageSample } from '../plans/autoexpand/forecast.ts';
import type { ClaimUsage, PolicyView, UsageSummary } from './types.ts';

const DAY_MS = 86_400_000;

export interface UsageHistory {
  /** In words, for the page: "kubelet, every 60 s" or "recorded in the dump". */
  readonly source: string;
  samplesOf(claim: PersistentVolumeClaim): readonly UsageSample[];
  /** Why a claim has no samples, when the source knows (its node's kubelet refused). */
  whyNone(claim: PersistentVolumeClaim, model: ClusterModel): string | undefined;
}

/** Offline: the one reading recorded on each claim, if any. */
export const RECORDED_USAGE: UsageHistory = {
  source: 'recorded in the input (stsvol snapshot --with-usage)',
  samplesOf(claim) {
    const u = observedUsage(claim);
    return u ? [{ at: Date.parse(u.at), usedBytes: u.usedBytes, capacityBytes: u.capacityBytes }] : [];
  },
  whyNone: () => 'no usage in the input: stsvol snapshot --with-usage records it',
};

export function claimUsage(model: ClusterModel, sts: StatefulSet, claim: PersistentVolumeClaim, history: UsageHistory): ClaimUsage {
  const samples = history.samplesOf(claim);
  const trend = trendOf(samples);
  const policy = policyView(model, sts, claim, samples);
  const base = { claim: claim.metadata.name, ...(claim.spec?.resources?.requests?.storage ? { requested: claim.spec.resources.requests.storage } : {}), source: history.source, ...(policy ? { policy } : {}) };
  if (!samples.length) return { ...base, points: [], noData: history.whyNone(claim, model) ?? 'no usage reading yet' };
  return {
    ...base,
    points: samples.map((s) => ({ at: s.at, usedBytes: s.usedBytes, capacityBytes: s.capacityBytes })),
    ...(trend.bytesPerMs !== undefined ? { bytesPerDay: trend.bytesPerMs * DAY_MS } : {}),
    ...(trend.fullInMs !== undefined ? { daysToFull: trend.fullInMs / DAY_MS } : {}),
  };
}

/** The fullest claim and its time to full: one cell of the overview. */
export function usageSummary(usages: readonly ClaimUsage[]): UsageSummary | undefined {
  let best: UsageSummary | undefined;
  for (const u of usages) {
    const last = u.points.at(-1);
    if (!last) continue;
    const percent = usedPercent(last);
    if (!best || percent > best.usedPercent) best = { claim: u.claim, usedPercent: percent };
  }
  if (!best) return undefined;
  const soonest = Math.min(...usages.map((u) => u.daysToFull ?? Infinity));
  return Number.isFinite(soonest) ? { ...best, daysToFull: soonest } : best;
}

function policyView(model: ClusterModel, sts: StatefulSet, claim: PersistentVolumeClaim, samples: readonly UsageSample[]): PolicyView | undefined {
  const result = policyOf(claim, sts);
  if (!result) return undefined;
  if (result.problem !== undefined) return { problem: result.problem };
  const p = result.policy;
  const decision = decideExpansion(model, claim, p, samples);
  return {
    threshold: p.threshold.usedPercent !== undefined ? `${p.threshold.usedPercent}% used` : `${formatBytes(p.threshold.freeBytes)} free`,
    increment: p.increment.percent !== undefined ? `${p.increment.percent}%` : formatBytes(p.increment.bytes),
    max: formatBytes(p.maxBytes),
    cooldown: formatDuration(p.cooldownMs),
    leadTime: formatDuration(p.leadTimeMs),
    decision: decision.reason,
    ...(decision.action === 'expand' ? { nextSize: decision.to } : {}),
  };
}
