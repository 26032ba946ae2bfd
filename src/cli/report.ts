// The doctor report: the JSON/YAML contract (docs/json-schema.md). Stable: fields are added, never
// renamed or removed; findings come worst first.

import { checksNeeding, type CheckId } from '../checks/catalog.ts';
import type { CheckFailure } from '../checks/check.ts';
import { SEVERITIES, severityRank, type Finding, type RemediationStep, type Severity } from '../checks/finding.ts';
import { incidentCount, incidentsOf } from '../checks/incidents.ts';
import type { Clock, ClockSource } from '../model/clock.ts';
import type { ClusterModel } from '../model/cluster-model.ts';
import type { ObjectRef } from '../model/types.ts';
import { KIND_NOTICES, type Notice, type Snapshot } from '../model/snapshot.ts';
import { firstLine } from '../model/errors.ts';
import { toRfc3339 } from '../model/time.ts';

export const REPORT_API_VERSION = 'stsvol.io/v1';

/** Without these a report cannot call a cluster healthy: they are where the seeds' failures live. */
export const ESSENTIAL_KINDS = ['Pod', 'PersistentVolumeClaim', 'PersistentVolume', 'Node'] as const;

export interface ReportNotice extends Notice {
  /** The checks that see less because of it. */
  weakens: CheckId[];
}

/** Findings that name one cause (a lost node, a quota, a class). */
export interface ReportIncident {
  cause: ObjectRef;
  title: string;
  /** Indexes into the report's findings. */
  findings: number[];
  /** The one action that addresses all of them, when there is one (a node recovered as a whole). */
  remediation: RemediationStep[];
}

export interface DoctorReport {
  apiVersion: typeof REPORT_API_VERSION;
  kind: 'DoctorReport';
  /** Worst first; with --severity, only those at that severity or above. */
  findings: Finding[];
  incidents: ReportIncident[];
  summary: {
    /** Counts are of every finding, shown or not. */
    total: number;
    critical: number;
    warning: number;
    info: number;
    byCheck: Partial<Record<CheckId, number>>;
    /** One per shared cause, one per finding without one. */
    incidents: number;
    /** --severity: the findings listed are those at it or above. */
    shownSeverity?: Severity;
    checksRun: CheckId[];
    failOn: Severity | 'none';
    failed: boolean;
    /** False when an essential kind (Pods, claims, volumes, nodes) could not be read: no finding
     *  then does not mean healthy. `unread` names them. */
    complete: boolean;
    unread: string[];
    source: 'live' | 'offline';
    now: string;
    clock: ClockSource;
    clockReason: string;
    namespace?: string;
    objects: Record<string, number>;
  };
  notices: ReportNotice[];
}

export interface ReportContext {
  source: 'live' | 'offline';
  clock: Clock;
  namespace?: string;
  checksRun: CheckId[];
  failOn: Severity | 'none';
  shownSeverity?: Severity;
}

export function failsGate(findings: readonly Pick<Finding, 'severity'>[], failOn: Severity | 'none'): boolean {
  if (failOn === 'none') return false;
  return findings.some((f) => severityRank(f.severity) <= severityRank(failOn));
}

function objectCounts(s: Snapshot): Record<string, number> {
  return {
    Node: s.nodes.length, Pod: s.pods.length, PersistentVolumeClaim: s.claims.length, PersistentVolume: s.volumes.length,
    StorageClass: s.storageClasses.length, VolumeAttachment: s.attachments.length, StatefulSet: s.statefulSets.length, Event: s.events.length,
  };
}

export function failureNotice(failure: CheckFailure): ReportNotice {
  const on = failure.object ? ' on this object' : '';
  return {
    kind: failure.object?.kind ?? '',
    reason: 'check-failed',
    ...(failure.object ? { object: failure.object } : {}),
    message: `check ${failure.check} failed${on} (${firstLine(failure.error)}): a bug in stsvol; the rest of the report stands (STSVOL_DEBUG=1 shows where)`,
    weakens: [failure.check],
  };
}

export function buildReport(findings: Finding[], failures: CheckFailure[], model: ClusterModel, ctx: ReportContext): DoctorReport {
  const snapshot = model.snapshot;
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length])) as Record<Severity, number>;
  const byCheck: Partial<Record<CheckId, number>> = {};
  for (const f of findings) byCheck[f.check] = (byCheck[f.check] ?? 0) + 1;
  const unread = ESSENTIAL_KINDS.filter((k) => !model.sees(k));
  const shown = ctx.shownSeverity ? findings.filter((f) => severityRank(f.severity) <= severityRank(ctx.shownSeverity!)) : findings;
  const index = new Map(shown.map((f, i) => [f, i]));
  return {
    apiVersion: REPORT_API_VERSION,
    kind: 'DoctorReport',
    findings: shown,
    incidents: incidentsOf(model, shown).map((i) => ({ cause: i.cause, title: i.title, findings: i.findings.map((f) => index.get(f)!), remediation: i.remediation })),
    summary: {
      total: findings.length,
      ...bySeverity,
      byCheck,
      incidents: incidentCount(findings),
      ...(ctx.shownSeverity ? { shownSeverity: ctx.shownSeverity } : {}),
      checksRun: ctx.checksRun,
      failOn: ctx.failOn,
      failed: failsGate(findings, ctx.failOn),
      complete: unread.length === 0,
      unread,
      source: ctx.source,
      now: toRfc3339(ctx.clock.now),
      clock: ctx.clock.source,
      clockReason: ctx.clock.reason,
      ...(ctx.namespace ? { namespace: ctx.namespace } : {}),
      objects: objectCounts(snapshot),
    },
    notices: [
      ...snapshot.notices.map((n) => ({ ...n, weakens: KIND_NOTICES.has(n.reason) ? checksNeeding(n.kind).filter((id) => ctx.checksRun.includes(id)) : [] })),
      ...failures.map(failureNotice),
    ],
  };
}

/** Findings about a namespace: its objects, and cluster-scoped objects related to it (its PVs). */
export function inNamespace(findings: Finding[], namespace: string): Finding[] {
  return findings.filter((f) => f.object.namespace === namespace || (!f.object.namespace && f.related.some((r) => r.namespace === namespace)));
}
