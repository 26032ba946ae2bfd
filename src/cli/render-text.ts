// The terminal report: findings grouped by workload, worst group first, each with what is wrong,
// the evidence that says so, and the remedy in order. Colour only on a terminal. Every piece of
// text that came from the cluster passes through safeText; output is written group by group, in
// time linear in the number of findings.

import type { Finding, Severity } from '../checks/finding.ts';
import { severityRank } from '../checks/finding.ts';
import type { ObjectRef } from '../model/types.ts';
import type { Output, Paint } from './io.ts';
import type { DoctorReport, ReportNotice } from './report.ts';
import { safeText } from '../model/safe-text.ts';

const LABEL: Record<Severity, string> = { critical: 'CRITICAL', warning: 'WARNING ', info: 'INFO    ' };
const COLOUR: Record<Severity, 'red' | 'yellow' | 'cyan'> = { critical: 'red', warning: 'yellow', info: 'cyan' };

/** How much of each finding a terminal shows. Compact keeps an incident on one screen: the
 *  message, one line of evidence, and the commands with their safety conditions; -o wide adds the
 *  reasoning of every step and more evidence; -o json has everything. */
export interface TextDetail {
  evidence: number;
  stepText: boolean;
  width?: number;
}

export const COMPACT: TextDetail = { evidence: 1, stepText: false, width: 160 };
export const WIDE: TextDetail = { evidence: 5, stepText: true };

/** Notices of one kind shown before "and N more (-o json lists them all)". */
const NOTICES_SHOWN = 5;

function clip(text: string, width: number | undefined): string {
  return width && text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

function refText(r: ObjectRef): string {
  return safeText(`${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`);
}

function groupKey(r: ObjectRef): string {
  return `${r.kind}/${r.namespace ?? ''}/${r.name}`;
}

interface Group {
  workload: ObjectRef;
  findings: Finding[];
  worst: number;
}

function groups(findings: Finding[]): Group[] {
  const byWorkload = new Map<string, Group>();
  for (const f of findings) {
    const key = groupKey(f.workload);
    let group = byWorkload.get(key);
    if (!group) byWorkload.set(key, (group = { workload: f.workload, findings: [], worst: severityRank(f.severity) }));
    group.findings.push(f);
    group.worst = Math.min(group.worst, severityRank(f.severity));
  }
  return [...byWorkload.values()].sort((a, b) => a.worst - b.worst || b.findings.length - a.findings.length || (groupKey(a.workload) < groupKey(b.workload) ? -1 : 1));
}

function countsText(s: { critical: number; warning: number; info: number }): string {
  return (['critical', 'warning', 'info'] as const).filter((k) => s[k]).map((k) => `${s[k]} ${k}`).join(', ');
}

function renderFinding(f: Finding, paint: Paint, detail: TextDetail): string[] {
  const lines = [`  ${paint(['bold', COLOUR[f.severity]], LABEL[f.severity])} ${paint('bold', f.check)}  ${refText(f.object)}`, `    ${safeText(f.message)}`];
  for (const e of f.evidence.slice(0, detail.evidence)) lines.push(paint('dim', clip(`    · ${e.time ? `${safeText(e.time)} ` : ''}${refText(e.object)}: ${safeText(e.text)}`, detail.width)));
  f.remediation.forEach((step, i) => {
    if (detail.stepText || !step.command) lines.push(`    ${i + 1}. ${safeText(step.text)}`);
    if (step.command) lines.push(`    ${detail.stepText ? '   ' : `${i + 1}. `}${paint('green', `$ ${safeText(step.command)}`)}`);
    if (step.safeWhen) lines.push(`       ${paint('yellow', `only when: ${safeText(step.safeWhen)}`)}`);
  });
  return lines;
}

function noticeLines(notices: ReportNotice[], paint: Paint): string[] {
  const lines: string[] = [];
  for (const n of notices.filter((x) => x.weakens.length && x.reason !== 'check-failed')) {
    lines.push(paint('yellow', `note: ${safeText(n.message)}; weaker checks: ${n.weakens.join(', ')}`));
  }
  const perObject = (reason: ReportNotice['reason'], title: string) => {
    const list = notices.filter((n) => n.reason === reason);
    if (!list.length) return;
    lines.push(paint('yellow', `note: ${list.reduce((sum, n) => sum + (n.count ?? 1), 0)} ${title}:`));
    for (const n of list.slice(0, NOTICES_SHOWN)) {
      const where = [n.source, n.object ? refText(n.object) : undefined].filter(Boolean).map((w) => safeText(w!)).join(' ');
      lines.push(paint('yellow', `  ${where ? `${where}: ` : ''}${safeText(n.message)}`));
    }
    if (list.length > NOTICES_SHOWN) lines.push(paint('yellow', `  and ${list.length - NOTICES_SHOWN} more (-o json lists them all)`));
  };
  perObject('invalid', 'input object(s) skipped');
  perObject('check-failed', 'check failure(s)');
  for (const n of notices.filter((x) => x.reason === 'duplicate')) lines.push(paint('yellow', `note: ${safeText(n.message)}`));
  return lines;
}

export function writeText(out: Output, report: DoctorReport, paint: Paint, detail: TextDetail = COMPACT): void {
  const s = report.summary;
  const source = s.source === 'live' ? 'live cluster' : 'offline input';
  out.write(`${[
    `${paint('bold', 'stsvol doctor')}  ${source}${s.namespace ? `, namespace ${s.namespace}` : ''}, now ${s.now} (clock: ${safeText(s.clockReason)})`,
    `${s.objects.Node} nodes, ${s.objects.Pod} pods, ${s.objects.PersistentVolumeClaim} claims, ${s.objects.PersistentVolume} volumes, ${s.objects.StatefulSet} StatefulSets`,
    ...noticeLines(report.notices, paint),
    '',
  ].join('\n')}\n`);
  if (!report.findings.length) {
    out.write(`${s.complete
      ? paint('green', `No findings: ${s.checksRun.length} checks ran clean.`)
      : paint('yellow', `No findings in what could be read, but ${s.unread.join(', ')} could not be read: this is not a clean bill of health.`)}\n`);
    return;
  }
  for (const group of groups(report.findings)) {
    const counts = { critical: 0, warning: 0, info: 0 };
    for (const f of group.findings) counts[f.severity]++;
    const lines = [`${paint('bold', refText(group.workload))}  (${countsText(counts)})`];
    for (const f of group.findings) lines.push(...renderFinding(f, paint, detail), '');
    out.write(`${lines.join('\n')}\n`);
  }
  const incomplete = s.complete ? '' : ` ${s.unread.join(', ')} could not be read: there may be more.`;
  out.write(`${s.total} findings: ${countsText(s)}.${s.failed ? ` Exit 1: findings at or above --fail-on ${s.failOn}.` : ''}${incomplete}${detail.stepText ? '' : ' -o wide explains each step.'}\n`);
}
