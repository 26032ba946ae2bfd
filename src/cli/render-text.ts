// The terminal report. Findings that share a cause (a lost node, a quota, a class) are one
// incident under that cause; the others are grouped by workload; groups with the most criticals
// come first. Each finding says what is wrong, the evidence, and its remedy as data says it: the
// steps done first, then the alternatives ("one of these ways"), each step's condition before its
// command, and every command whole on a line of its own. It ends with the criticals again, short.
// Every piece of text that came from the cluster passes through safeText.

import { remedyOutline, severityRank, type Finding, type RemediationStep, type Severity } from '../checks/finding.ts';
import { refKey, worstFirst } from '../checks/incidents.ts';
import type { ObjectRef } from '../model/types.ts';
import { safeText } from '../model/safe-text.ts';
import type { Output, Paint } from './io.ts';
import { clip, count, wrap } from './layout.ts';
import type { DoctorReport, ReportIncident, ReportNotice } from './report.ts';

const LABEL: Record<Severity, string> = { critical: 'CRITICAL', warning: 'WARNING ', info: 'INFO    ' };
const COLOUR: Record<Severity, 'red' | 'yellow' | 'cyan'> = { critical: 'red', warning: 'yellow', info: 'cyan' };

/** How much evidence a finding shows, cut to a line or whole; `width` wraps prose (undefined: a
 *  pipe, no wrapping). */
export interface TextDetail {
  evidence: number;
  clipEvidence: boolean;
  width?: number;
}

export const COMPACT: TextDetail = { evidence: 1, clipEvidence: true };
export const WIDE: TextDetail = { evidence: 5, clipEvidence: false };

/** Notices of one kind shown before "and N more (-o json lists them all)". */
const NOTICES_SHOWN = 5;
/** Evidence lines are clipped in the compact form; a pipe gets this many characters. */
const EVIDENCE_CLIP = 160;

function refText(r: ObjectRef): string {
  return safeText(`${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`);
}

interface Group {
  header: string;
  /** Findings of one cause, said once in the list at the end. */
  incident: boolean;
  findings: Finding[];
  /** The incident's own remedy, given once above its findings. */
  remediation: RemediationStep[];
}

/** Incidents of two or more findings, then the other findings by workload; most criticals first. */
function groups(report: DoctorReport): Group[] {
  const inIncident = new Set<Finding>();
  const result: Group[] = [];
  for (const incident of report.incidents.filter((i) => i.findings.length > 1)) {
    const findings = incident.findings.map((i) => report.findings[i]!);
    for (const f of findings) inIncident.add(f);
    result.push({ header: incidentHeader(incident, findings), incident: true, findings, remediation: incident.remediation });
  }
  const byWorkload = new Map<string, Group>();
  for (const f of report.findings) {
    if (inIncident.has(f)) continue;
    const key = refKey(f.workload);
    let group = byWorkload.get(key);
    if (!group) byWorkload.set(key, (group = { header: refText(f.workload), incident: false, findings: [], remediation: [] }));
    group.findings.push(f);
  }
  return worstFirst([...result, ...byWorkload.values()]);
}

function incidentHeader(incident: ReportIncident, findings: Finding[]): string {
  const workloads = [...new Map(findings.map((f) => [refKey(f.workload), refText(f.workload)])).values()];
  return `${safeText(incident.title[0]!.toUpperCase() + incident.title.slice(1))}: one cause of ${count(findings.length, 'finding')} in ${workloads.join(', ')}`;
}

function countsText(s: { critical: number; warning: number; info: number }): string {
  return (['critical', 'warning', 'info'] as const).filter((k) => s[k]).map((k) => `${s[k]} ${k}`).join(', ');
}

function severityCounts(findings: Finding[]): { critical: number; warning: number; info: number } {
  const counts = { critical: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** One step: its text (wrapped), its condition, then its command alone on its lines. */
function stepLines(label: string, step: RemediationStep, indent: string, paint: Paint, width: number | undefined): string[] {
  const hang = indent + ' '.repeat(label.length + 1);
  const lines = wrap(safeText(step.text), width, `${indent}${label} `, hang);
  if (step.safeWhen) lines.push(...wrap(safeText(step.safeWhen), width, `${hang}only when: `, `${hang}${' '.repeat(11)}`).map((l) => paint('yellow', l)));
  if (step.command) lines.push(paint('green', `${hang}  ${safeText(step.command)}`));
  return lines;
}

export function remedyLines(steps: readonly RemediationStep[], indent: string, paint: Paint, width: number | undefined): string[] {
  return remedyOutline(steps).flatMap((line) => {
    const at = line.depth ? `${indent}   ` : indent;
    if (line.kind === 'step') return stepLines(line.label, line, at, paint, width);
    if (!line.label) return [`${at}${line.text}`];
    return wrap(safeText(line.text), width, `${at}${line.label} `).map((l) => paint('bold', l));
  });
}

function findingLines(f: Finding, paint: Paint, detail: TextDetail): string[] {
  const [first, ...rest] = wrap(`${f.check}  ${refText(f.object)}`, detail.width && detail.width - LABEL[f.severity].length - 3, '');
  const lines = [`  ${paint(['bold', COLOUR[f.severity]], LABEL[f.severity])} ${paint('bold', first!)}`, ...rest.map((l) => `    ${l}`)];
  lines.push(...wrap(safeText(f.message), detail.width, '    '));
  for (const e of f.evidence.slice(0, detail.evidence)) {
    const text = `· ${e.time ? `${safeText(e.time)} ` : ''}${refText(e.object)}: ${safeText(e.text)}`;
    if (detail.clipEvidence) lines.push(paint('dim', clip(`    ${text}`, detail.width ?? EVIDENCE_CLIP)));
    else lines.push(...wrap(text, detail.width, '    ', '      ').map((l) => paint('dim', l)));
  }
  lines.push(...remedyLines(f.remediation, '    ', paint, detail.width));
  return lines;
}

function noticeLines(notices: ReportNotice[], paint: Paint, width: number | undefined): string[] {
  const lines: string[] = [];
  for (const n of notices.filter((x) => x.weakens.length && x.reason !== 'check-failed')) {
    lines.push(...wrap(`${safeText(n.message)}; weaker checks: ${n.weakens.join(', ')}`, width, 'note: ', '  ').map((l) => paint('yellow', l)));
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

function headerLines(report: DoctorReport, paint: Paint, width: number | undefined): string[] {
  const s = report.summary;
  const source = s.source === 'live' ? 'live cluster' : 'offline input';
  const o = s.objects;
  return [
    ...wrap(`${source}${s.namespace ? `, namespace ${s.namespace}` : ''}, now ${s.now} (clock: ${safeText(s.clockReason)})`, width, `${paint('bold', 'stsvol doctor')}  `, '  '),
    [count(o.Node ?? 0, 'node'), count(o.Pod ?? 0, 'pod'), count(o.PersistentVolumeClaim ?? 0, 'claim'), count(o.PersistentVolume ?? 0, 'volume'), count(o.StatefulSet ?? 0, 'StatefulSet')].join(', '),
    ...noticeLines(report.notices, paint, width),
    '',
  ];
}

/** The criticals once more, one line each (an incident once), so the report ends where to begin. */
function startHere(groupsShown: Group[], paint: Paint, width: number | undefined): string[] {
  const lines: string[] = [];
  for (const g of groupsShown) {
    const criticals = g.findings.filter((f) => f.severity === 'critical');
    if (!criticals.length) continue;
    if (g.incident) {
      lines.push(clip(`  - ${g.header}`, width));
      continue;
    }
    for (const f of criticals) lines.push(clip(`  - ${f.check}  ${refText(f.object)}: ${safeText(f.message)}`, width));
  }
  return lines.length ? ['', paint(['bold', 'red'], `Start here (${count(lines.length, 'critical incident')}):`), ...lines] : [];
}

export function writeText(out: Output, report: DoctorReport, paint: Paint, detail: TextDetail = COMPACT): void {
  const s = report.summary;
  out.write(`${headerLines(report, paint, detail.width).join('\n')}\n`);
  if (!report.findings.length) {
    const hidden = s.total ? ` (${count(s.total, 'finding')} below --severity ${s.shownSeverity})` : '';
    out.write(`${s.total
      ? paint('green', `No findings at --severity ${s.shownSeverity} or above${hidden}.`)
      : s.complete
        ? paint('green', `No findings: ${count(s.checksRun.length, 'check')} ran clean.`)
        : paint('yellow', `No findings in what could be read, but ${s.unread.join(', ')} could not be read: this is not a clean bill of health.`)}\n`);
    return;
  }
  const shown = groups(report);
  for (const group of shown) {
    const lines = wrap(`${group.header}  (${countsText(severityCounts(group.findings))})`, detail.width, '', '  ').map((l) => paint('bold', l));
    if (group.remediation.length) lines.push(...remedyLines(group.remediation, '  ', paint, detail.width));
    lines.push('');
    for (const f of group.findings) lines.push(...findingLines(f, paint, detail), '');
    out.write(`${lines.join('\n')}\n`);
  }
  const incomplete = s.complete ? '' : ` ${s.unread.join(', ')} could not be read: there may be more.`;
  const filtered = report.findings.length < s.total ? ` Shown: ${report.findings.length} at --severity ${s.shownSeverity} or above.` : '';
  const tail = wrap(
    `${count(s.total, 'finding')} in ${count(s.incidents, 'incident')}: ${countsText(s)}.${filtered}${s.failed ? ` Exit 1: findings at or above --fail-on ${s.failOn}.` : ''}${incomplete}${detail.clipEvidence ? ' -o wide shows more evidence; -o table one line per finding.' : ''}`, detail.width, '');
  tail.push(...startHere(shown, paint, detail.width));
  out.write(`${tail.join('\n')}\n`);
}

/** kubectl-get style: one line per finding, worst first. Names are never cut (a name cut is a
 *  name that cannot be looked up); the message gets what is left of the terminal, at least this. */
const MIN_MESSAGE = 30;

export function writeTable(out: Output, report: DoctorReport, width: number | undefined): void {
  if (!report.findings.length) {
    out.write(report.summary.total ? `No findings at --severity ${report.summary.shownSeverity} or above.\n` : 'No findings.\n');
    return;
  }
  const incidentOf = new Map<Finding, string>();
  for (const i of report.incidents.filter((x) => x.findings.length > 1)) for (const n of i.findings) incidentOf.set(report.findings[n]!, `${i.cause.kind.toLowerCase()}/${i.cause.name}`);
  const rows = [...report.findings].sort((a, b) => severityRank(a.severity) - severityRank(b.severity)).map((f) => [
    f.severity.toUpperCase(), f.check, f.object.namespace ?? '-', safeText(`${f.object.kind.toLowerCase()}/${f.object.name}`), safeText(incidentOf.get(f) ?? '-'), safeText(f.message),
  ]);
  const header = ['SEVERITY', 'CHECK', 'NAMESPACE', 'OBJECT', 'CAUSE', 'MESSAGE'];
  const widths = header.slice(0, -1).map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const prefix = widths.reduce((sum, w) => sum + w + 3, 0);
  const room = width ? Math.max(MIN_MESSAGE, width - prefix) : undefined;
  const line = (cells: string[]) => cells.map((c, i) => (i < widths.length ? c.padEnd(widths[i]!) : clip(c, room))).join('   ');
  out.write(`${[header, ...rows].map(line).join('\n')}\n`);
}
