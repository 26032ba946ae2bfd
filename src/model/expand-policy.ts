// What a claim asked for with its auto-expansion annotations (or its StatefulSet's: a claim's own
// value wins). Parsing is strict: a policy that says something we cannot read is a problem reported
// on the claim, never a guess, because the action it drives (growing a disk) cannot be undone.

import {
  AUTO_EXPAND_ANNOTATION, EXPAND_COOLDOWN_ANNOTATION, EXPAND_INCREMENT_ANNOTATION, EXPAND_LEAD_TIME_ANNOTATION,
  EXPAND_MAX_SIZE_ANNOTATION, EXPAND_THRESHOLD_ANNOTATION,
} from './annotations.ts';
import { parseQuantity } from './quantity.ts';
import { parseDuration } from './time.ts';
import type { PersistentVolumeClaim, StatefulSet } from './types.ts';

export type Threshold = { usedPercent: number; freeBytes?: undefined } | { freeBytes: number; usedPercent?: undefined };
export type Increment = { percent: number; bytes?: undefined } | { bytes: number; percent?: undefined };

export interface ExpandPolicy {
  threshold: Threshold;
  increment: Increment;
  maxBytes: number;
  leadTimeMs: number;
  /** The user's least time between expansions; the provider's limit applies on top (decide.ts). */
  cooldownMs: number;
}

/** Defaults for what a claim leaves out: grow by a quarter at 80% used or when the trend says full
 *  within 6 hours (long enough for a resize and a human to notice if it fails). No default maximum. */
export const DEFAULTS = { threshold: '80%', increment: '25%', leadTime: '6h', cooldown: '0s' } as const;

/** Inodes have no "free bytes" form: a threshold given in bytes watches inodes at this fraction. */
export const INODE_USED_PERCENT_WITH_BYTE_THRESHOLD = 90;

export type PolicyResult = { policy: ExpandPolicy; problem?: undefined } | { problem: string; policy?: undefined };

/** undefined: the claim did not opt in. */
export function policyOf(claim: PersistentVolumeClaim, sts: StatefulSet | undefined): PolicyResult | undefined {
  const read = (key: string): string | undefined => claim.metadata.annotations?.[key] ?? sts?.metadata.annotations?.[key];
  if (read(AUTO_EXPAND_ANNOTATION) !== 'true') return undefined;
  try {
    const maxText = read(EXPAND_MAX_SIZE_ANNOTATION);
    if (!maxText) throw new PolicyProblem(`${EXPAND_MAX_SIZE_ANNOTATION} is required: auto-expansion needs a ceiling`);
    return {
      policy: {
        threshold: threshold(read(EXPAND_THRESHOLD_ANNOTATION) ?? DEFAULTS.threshold),
        increment: increment(read(EXPAND_INCREMENT_ANNOTATION) ?? DEFAULTS.increment),
        maxBytes: bytes(EXPAND_MAX_SIZE_ANNOTATION, maxText),
        leadTimeMs: duration(EXPAND_LEAD_TIME_ANNOTATION, read(EXPAND_LEAD_TIME_ANNOTATION) ?? DEFAULTS.leadTime),
        cooldownMs: duration(EXPAND_COOLDOWN_ANNOTATION, read(EXPAND_COOLDOWN_ANNOTATION) ?? DEFAULTS.cooldown),
      },
    };
  } catch (err) {
    if (err instanceof PolicyProblem) return { problem: err.message };
    throw err;
  }
}

class PolicyProblem extends Error {}

function percent(key: string, text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)%$/.exec(text.trim());
  if (!m) return undefined;
  const value = Number(m[1]);
  if (value <= 0 || value >= 100) throw new PolicyProblem(`${key}: ${text} must be between 0% and 100%`);
  return value;
}

function threshold(text: string): Threshold {
  const used = percent(EXPAND_THRESHOLD_ANNOTATION, text);
  return used !== undefined ? { usedPercent: used } : { freeBytes: bytes(EXPAND_THRESHOLD_ANNOTATION, text) };
}

function increment(text: string): Increment {
  const m = /^(\d+(?:\.\d+)?)%$/.exec(text.trim());
  if (m) {
    if (Number(m[1]) <= 0) throw new PolicyProblem(`${EXPAND_INCREMENT_ANNOTATION}: ${text} must be more than 0%`);
    return { percent: Number(m[1]) };
  }
  return { bytes: bytes(EXPAND_INCREMENT_ANNOTATION, text) };
}

function bytes(key: string, text: string): number {
  const value = parseQuantity(text);
  if (value === undefined || value <= 0) throw new PolicyProblem(`${key}: ${text} is not a size (e.g. 20Gi) or a percentage`);
  return value;
}

function duration(key: string, text: string): number {
  const value = parseDuration(text);
  if (value === undefined) throw new PolicyProblem(`${key}: ${text} is not a duration (e.g. 6h, 30m)`);
  return value;
}
