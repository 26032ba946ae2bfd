// The audit for people: on a terminal, StatefulSets worst score first, each item with why it matters
// and the fix; as Markdown for a ticket or a pull request. Text from the cluster passes through
// safeText (and, in Markdown, has its table separators escaped).

import { AUDIT_CATALOG, type AuditId } from '../checks/audit/catalog.ts';
import type { CostReport, CostRow } from '../checks/audit/cost.ts';
import type { Finding, Severity } from '../checks/finding.ts';
import { refKey } from '../checks/incidents.ts';
import type { ObjectRef } from '../model/types.ts';
import { safeText } from '../model/safe-text.ts';
import type { AuditReport } from './audit.ts';
import type { Output, Paint } from './io.ts';
import { clip, count, wrap } from './layout.ts';
import { remedyLines } from './render-text.ts';

const LABEL: Record<Severity, string> = { critical: 'CRITICAL', warning: 'WARNING ', info: 'INFO    ' };
const COLOUR: Record<Severity, 'red' | 'yellow' | 'cyan'> = { critical: 'red', warning: 'yellow', info: 'cyan' };
const EVIDENCE_CLIP = 160;

function refText(r: ObjectRef): string {
  return safeText(r.kind === 'Cluster' ? 'Cluster' : `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`);
}

function scoreColour(score: number): 'green' | 'yellow' | 'red' {
  return score >= 90 ? 'green' : score >= 60 ? 'yellow' : 'red';
}

function findingsOf(report: AuditReport, workload: ObjectRef): Finding<AuditId>[] {
  return report.findings.filter((f) => refKey(f.workload) === refKey(workload));
}

function findingLines(f: Finding<AuditId>, paint: Paint, width: number | undefined): string[] {
  const entry = AUDIT_CATALOG[f.check];
  return [
    `  ${paint(['bold', COLOUR[f.severity]], LABEL[f.severity])} ${paint('bold', f.check)}  ${safeText(entry.title)}`,
    ...wrap(safeText(f.message), width, '    '),
    ...f.evidence.slice(0, 1).map((e) => paint('dim', clip(`    · ${refText(e.object)}: ${safeText(e.text)}`, width ?? EVIDENCE_CLIP))),
    ...wrap(entry.why, width, '    why: ', '         ').map((l) => paint('dim', l)),
    ...remedyLines(f.remediation, '    ', paint, width),
  ];
}

function money(n: number | undefined, currency: string): string {
  return n === undefined ? '—' : `${n.toFixed(2)} ${currency}`;
}

function costTable(rows: CostRow[], currency: string): string[] {
  const lines = rows.map((r) => [safeText(r.name), `${r.provisionedGiB} GiB`, r.usedGiB === undefined ? '—' : `${r.usedGiB} GiB`, money(r.monthly, currency), money(r.wasteMonthly, currency)]);
  const header = ['', 'provisioned', 'used', 'per month', 'waste'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  return [header, ...lines].map((l) => `    ${l.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`);
}

function costLines(cost: CostReport, width: number | undefined): string[] {
  const c = cost.currency;
  return [
    `Cost per month (${c}${cost.region ? `; ${cost.region}` : ''}; ${cost.source}):`,
    `  total ${money(cost.total.monthly, c)}, of which waste ${money(cost.total.wasteMonthly, c)} (provisioned but unused, where usage is known), leftovers ${money(cost.total.leftoversMonthly, c)}; snapshots ${money(cost.total.snapshotsMonthly, c)}${cost.total.unpriced ? `; ${count(cost.total.unpriced, 'claim')} of a class without a known price (--prices FILE)` : ''}`,
    '  by StatefulSet:', ...costTable(cost.byStatefulSet, c),
    '  by namespace:', ...costTable(cost.byNamespace, c),
    '  by class:', ...costTable(cost.byClass, c),
    '  leftovers and snapshots:', ...costTable([cost.leftovers.released, cost.leftovers.beyondReplicas, cost.leftovers.parked, cost.snapshots], c),
    ...Object.entries(cost.references).flatMap(([k, v]) => wrap(`${k}: ${v}`, width, '  prices of ', '    ')),
  ];
}

export function writeAuditText(out: Output, report: AuditReport, paint: Paint, width: number | undefined): void {
  const s = report.summary;
  const lines = [
    ...wrap(`${s.source === 'live' ? 'live cluster' : 'offline input'}${s.namespace ? `, namespace ${s.namespace}` : ''}, now ${s.now}`, width, `${paint('bold', 'stsvol audit')}  `, '  '),
    `${paint(['bold', scoreColour(s.score)], `Cluster score ${s.score}/100`)}: ${count(report.workloads.filter((w) => w.workload.kind === 'StatefulSet').length, 'StatefulSet')} audited, ${[s.critical ? `${s.critical} critical` : '', s.warning ? `${s.warning} warning` : '', s.info ? `${s.info} info` : ''].filter(Boolean).join(', ') || 'nothing to report'}${s.suppressed ? `; ${count(s.suppressed, 'finding')} suppressed by the ignore file` : ''}`,
    ...report.notices.filter((n) => n.weakens.length).map((n) => paint('yellow', `note: ${safeText(n.message)}; weaker checks: ${n.weakens.join(', ')}`)),
    ...s.usage.problems.slice(0, 3).map((p) => paint('yellow', `note: volume usage not read: ${safeText(p)}`)),
    '',
  ];
  for (const w of report.workloads) {
    const findings = findingsOf(report, w.workload);
    lines.push(`${paint('bold', refText(w.workload))}  ${paint(['bold', scoreColour(w.score)], `${w.score}/100`)}  (${count(w.checks, 'check')}${findings.length ? `, ${count(findings.length, 'finding')}` : ', all passed'})`);
    for (const f of findings) lines.push(...findingLines(f, paint, width), '');
    if (!findings.length) lines.push('');
  }
  if (report.suppressed.length) {
    lines.push(paint('bold', 'Suppressed (accepted risks):'));
    for (const x of report.suppressed) lines.push(...wrap(`${x.finding.check} ${refText(x.finding.object)}: ${safeText(x.reason)}${x.expires ? ` (until ${x.expires})` : ''}`, width, '  - ', '    '));
    lines.push('');
  }
  for (const r of report.expiredIgnores) lines.push(paint('yellow', `note: an ignore entry for ${r.check}${r.object ? ` ${r.object}` : ''} expired on ${r.expires}: it suppresses nothing now`));
  if (report.cost) lines.push(...costLines(report.cost, width), '');
  lines.push(...wrap(`${s.failUnder !== undefined ? `Exit ${s.failed ? 1 : 0}: score ${s.score} ${s.score < s.failUnder ? 'is below' : 'meets'} --fail-under ${s.failUnder}. ` : ''}stsvol explain CHECK says how a check decides; docs/audit.md how scores are weighted.`, width, ''));
  out.write(`${lines.join('\n')}\n`);
}

/** Markdown for tickets and pull requests: cells escaped, commands in code spans. */
function md(text: string): string {
  return safeText(text).replaceAll('|', '\\|').replaceAll('\n', ' ');
}

export function writeAuditMarkdown(out: Output, report: AuditReport): void {
  const s = report.summary;
  const lines = [
    '# stsvol audit',
    '',
    `**Cluster score ${s.score}/100** — ${s.source === 'live' ? 'live cluster' : 'offline input'}, ${s.now}. ${s.critical} critical, ${s.warning} warning, ${s.info} info${s.suppressed ? `, ${s.suppressed} suppressed` : ''}.`,
    '',
    '| workload | score | checks | failed |',
    '|---|---:|---:|---:|',
    ...report.workloads.map((w) => `| ${md(refText(w.workload))} | ${w.score} | ${w.checks} | ${w.failed} |`),
    '',
  ];
  for (const w of report.workloads) {
    const findings = findingsOf(report, w.workload);
    if (!findings.length) continue;
    lines.push(`## ${md(refText(w.workload))} — ${w.score}/100`, '');
    for (const f of findings) {
      lines.push(`- **${f.severity}** \`${f.check}\` ${md(f.message)}`, `  - why: ${md(AUDIT_CATALOG[f.check].why)}`);
      for (const step of f.remediation) lines.push(`  - ${step.way ? `(${md(step.way)}) ` : ''}${md(step.text)}${step.command ? ` \`${step.command.replaceAll('`', "'")}\`` : ''}${step.safeWhen ? ` — only when: ${md(step.safeWhen)}` : ''}`);
    }
    lines.push('');
  }
  if (report.suppressed.length) {
    lines.push('## Suppressed', '', ...report.suppressed.map((x) => `- \`${x.finding.check}\` ${md(refText(x.finding.object))}: ${md(x.reason)}${x.expires ? ` (until ${x.expires})` : ''}`), '');
  }
  if (report.cost) {
    const c = report.cost;
    const table = (title: string, rows: CostRow[]) => [`### ${title}`, '', '| | provisioned | used | per month | waste |', '|---|---:|---:|---:|---:|', ...rows.map((r) => `| ${md(r.name)} | ${r.provisionedGiB} GiB | ${r.usedGiB ?? '—'}${r.usedGiB === undefined ? '' : ' GiB'} | ${money(r.monthly, c.currency)} | ${money(r.wasteMonthly, c.currency)} |`), ''];
    lines.push(`## Cost per month (${c.currency}${c.region ? `, ${md(c.region)}` : ''})`, '', `Total ${money(c.total.monthly, c.currency)}; waste ${money(c.total.wasteMonthly, c.currency)}; leftovers ${money(c.total.leftoversMonthly, c.currency)}; snapshots ${money(c.total.snapshotsMonthly, c.currency)}. Prices: ${md(c.source)}.`, '',
      ...table('By StatefulSet', c.byStatefulSet), ...table('By namespace', c.byNamespace), ...table('By class', c.byClass),
      ...table('Leftovers and snapshots', [c.leftovers.released, c.leftovers.beyondReplicas, c.leftovers.parked, c.snapshots]));
  }
  out.write(`${lines.join('\n')}\n`);
}
