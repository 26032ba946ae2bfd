// Accepted risks: an ignore file names findings by check, namespace and object, with a reason and
// an optional expiry. A matching finding is suppressed (reported as such, with the reason, and
// scored as passed); an expired entry suppresses nothing and is reported, so an acceptance cannot
// outlive the decision behind it silently.

import { parseTime } from '../../model/time.ts';
import type { ObjectRef } from '../../model/types.ts';
import type { Finding } from '../finding.ts';
import type { AuditId } from './catalog.ts';

export interface IgnoreRule {
  /** A check id, or "*" for any. */
  check: string;
  namespace?: string;
  /** "Kind/name" (kind in any case): the finding's object or its workload. */
  object?: string;
  reason: string;
  /** RFC3339 date or time; after it the entry no longer applies. */
  expires?: string;
}

export interface Suppressed {
  finding: Finding<AuditId>;
  reason: string;
  expires?: string;
}

function names(ref: ObjectRef, object: string): boolean {
  const slash = object.indexOf('/');
  return slash > 0 && ref.kind.toLowerCase() === object.slice(0, slash).toLowerCase() && ref.name === object.slice(slash + 1);
}

function matches(rule: IgnoreRule, f: Finding<AuditId>): boolean {
  if (rule.check !== '*' && rule.check !== f.check) return false;
  if (rule.namespace !== undefined && rule.namespace !== (f.object.namespace ?? f.workload.namespace ?? (f.workload.kind === 'Namespace' ? f.workload.name : undefined))) return false;
  return rule.object === undefined || names(f.object, rule.object) || names(f.workload, rule.object);
}

export function isExpired(rule: IgnoreRule, now: number): boolean {
  const until = rule.expires === undefined ? undefined : parseTime(/^\d{4}-\d{2}-\d{2}$/.test(rule.expires) ? `${rule.expires}T23:59:59Z` : rule.expires);
  return until !== undefined && until < now;
}

export function applyIgnores(findings: readonly Finding<AuditId>[], rules: readonly IgnoreRule[], now: number): { kept: Finding<AuditId>[]; suppressed: Suppressed[]; expired: IgnoreRule[] } {
  const live = rules.filter((r) => !isExpired(r, now));
  const kept: Finding<AuditId>[] = [];
  const suppressed: Suppressed[] = [];
  for (const f of findings) {
    const rule = live.find((r) => matches(r, f));
    if (rule) suppressed.push({ finding: f, reason: rule.reason, ...(rule.expires ? { expires: rule.expires } : {}) });
    else kept.push(f);
  }
  return { kept, suppressed, expired: rules.filter((r) => isExpired(r, now)) };
}
