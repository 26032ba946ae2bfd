// The terminal report: findings grouped by workload, worst group first, each with what is wrong,
// the evidence that says so, and the remedy in order. Colour only on a terminal.

import type { Finding, Severity } from '../checks/finding.ts';
import { severityRank } from '../checks/finding.ts';
import type { ObjectRef } from '../model/types.ts';
import type { Paint } from './io.ts';
import type { DoctorReport } from './report.ts';


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

function clip(text: string, width: number | undefined): string {
  return width && text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

function refText(r: ObjectRef): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

function groupKey(r: ObjectRef): string {
  return `${r.kind}/${r.namespace ?? ''}/${r.name}`;
}

function groups(findings: Finding[]): Finding[][] {
  const byWorkload = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = groupKey(f.workload);
    byWorkload.set(key, [...(byWorkload.get(key) ?? []), f]);
  }
  const worst = (g: Finding[]) => Math.min(...g.map((f) => severityRank(f.severity)));
  return [...byWorkload.values()].sort((a, b) => worst(a) - worst(b) || b.length - a.length || groupKey(a[0]!.workload).localeCompare(groupKey(b[0]!.workload)));
}

function countsText(s: { critical: number; warning: number; info: number }): string {
  return (['critical', 'warning', 'info'] as const).filter((k) => s[k]).map((k) => `${s[k]} ${k}`).join(', ');
}

function renderFinding(f: Finding, paint: Paint, detail: TextDetail): string[] {
  const lines = [`  ${paint(['bold', COLOUR[f.severity]], LABEL[f.severity])} ${paint('bold', f.check)}  ${refText(f.object)}`, `    ${f.message}`];
  for (const e of f.evidence.slice(0, detail.evidence)) lines.push(paint('dim', clip(`    · ${e.time ? `${e.time} ` : ''}${refText(e.object)}: ${e.text}`, detail.width)));
  f.remediation.forEach((step, i) => {
    if (detail.stepText || !step.command) lines.push(`    ${i + 1}. ${step.text}`);
    if (step.command) lines.push(`    ${detail.stepText ? '   ' : `${i + 1}. `}${paint('green', `$ ${step.command}`)}`);
    if (step.safeWhen) lines.push(`       ${paint('yellow', `only when: ${step.safeWhen}`)}`);
  });
  return lines;
}

export function renderText(report: DoctorReport, paint: Paint, detail: TextDetail = COMPACT): string {
  const s = report.summary;
  const source = s.source === 'live' ? 'live cluster' : `offline input, clock: ${s.clock}`;
  const lines: string[] = [
    `${paint('bold', 'stsvol doctor')}  ${source}, now ${s.now}${s.namespace ? `, namespace ${s.namespace}` : ''}`,
    `${s.objects.Node} nodes, ${s.objects.Pod} pods, ${s.objects.PersistentVolumeClaim} claims, ${s.objects.PersistentVolume} volumes, ${s.objects.StatefulSet} StatefulSets`,
  ];
  for (const n of report.notices.filter((n) => n.weakens.length)) {
    lines.push(paint('yellow', `note: ${n.message}; weaker checks: ${n.weakens.join(', ')}`));
  }
  lines.push('');
  if (!report.findings.length) {
    lines.push(paint('green', `No findings: ${s.checksRun.length} checks ran clean.`));
    return `${lines.join('\n')}\n`;
  }
  for (const group of groups(report.findings)) {
    const summary = countsText({ critical: 0, warning: 0, info: 0, ...Object.fromEntries(['critical', 'warning', 'info'].map((k) => [k, group.filter((f) => f.severity === k).length])) });
    lines.push(`${paint('bold', refText(group[0]!.workload))}  (${summary})`);
    for (const f of group) lines.push(...renderFinding(f, paint, detail), '');
  }
  lines.push(`${s.total} findings: ${countsText(s)}.${s.failed ? ` Exit 1: findings at or above --fail-on ${s.failOn}.` : ''}${detail.stepText ? '' : ' -o wide explains each step.'}`);
  return `${lines.join('\n')}\n`;
}
