// The doctor report: the JSON/YAML contract (docs/json-schema.md). Stable: fields are added, never
// renamed or removed; findings come worst first.

import { checksNeeding, type CheckId } from '../checks/catalog.ts';
import { SEVERITIES, severityRank, type Finding, type Severity } from '../checks/finding.ts';
import type { ClockSource } from '../model/clock.ts';
import type { Notice, Snapshot } from '../model/snapshot.ts';
import { toRfc3339 } from '../model/time.ts';

export const REPORT_API_VERSION = 'stsvol.io/v1';

export interface ReportNotice extends Notice {
  weakens: CheckId[];
}

export interface DoctorReport {
  apiVersion: typeof REPORT_API_VERSION;
  kind: 'DoctorReport';
  findings: Finding[];
  summary: {
    total: number;
    critical: number;
    warning: number;
    info: number;
    byCheck: Partial<Record<CheckId, number>>;
    checksRun: CheckId[];
    failOn: Severity | 'none';
    failed: boolean;
    source: 'live' | 'offline';
    now: string;
    clock: ClockSource;
    namespace?: string;
    objects: Record<string, number>;
  };
  notices: ReportNotice[];
}

export interface ReportContext {
  source: 'live' | 'offline';
  now: number;
  clock: ClockSource;
  namespace?: string;
  checksRun: CheckId[];
  failOn: Severity | 'none';
}

export function failsGate(findings: Finding[], failOn: Severity | 'none'): boolean {
  if (failOn === 'none') return false;
  return findings.some((f) => severityRank(f.severity) <= severityRank(failOn));
}

function objectCounts(s: Snapshot): Record<string, number> {
  return {
    Node: s.nodes.length, Pod: s.pods.length, PersistentVolumeClaim: s.claims.length, PersistentVolume: s.volumes.length,
    StorageClass: s.storageClasses.length, VolumeAttachment: s.attachments.length, StatefulSet: s.statefulSets.length, Event: s.events.length,
  };
}

export function buildReport(findings: Finding[], snapshot: Snapshot, ctx: ReportContext): DoctorReport {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length])) as Record<Severity, number>;
  const byCheck: Partial<Record<CheckId, number>> = {};
  for (const f of findings) byCheck[f.check] = (byCheck[f.check] ?? 0) + 1;
  return {
    apiVersion: REPORT_API_VERSION,
    kind: 'DoctorReport',
    findings,
    summary: {
      total: findings.length,
      ...bySeverity,
      byCheck,
      checksRun: ctx.checksRun,
      failOn: ctx.failOn,
      failed: failsGate(findings, ctx.failOn),
      source: ctx.source,
      now: toRfc3339(ctx.now),
      clock: ctx.clock,
      ...(ctx.namespace ? { namespace: ctx.namespace } : {}),
      objects: objectCounts(snapshot),
    },
    notices: snapshot.notices.map((n) => ({ ...n, weakens: checksNeeding(n.kind).filter((id) => ctx.checksRun.includes(id)) })),
  };
}

/** Findings about a namespace: its objects, and cluster-scoped objects related to it (its PVs). */
export function inNamespace(findings: Finding[], namespace: string): Finding[] {
  return findings.filter((f) => f.object.namespace === namespace || (!f.object.namespace && f.related.some((r) => r.namespace === namespace)));
}
