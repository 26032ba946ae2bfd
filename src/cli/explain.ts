// `stsvol explain CHECK` (also `stsvol checks CHECK`): one check as `kubectl explain` gives a field,
// what it looks at, the waits it applies, why it matters, the write-up it comes from and the fix.
// docs/checks.md is the same text as Markdown, one heading (and anchor) per check, which the
// alerts' runbook links point at.

import { AUDIT_CATALOG, AUDIT_IDS, isAuditId, type AuditId } from '../checks/audit/catalog.ts';
import { CATALOG, CHECK_IDS, isCheckId, type CheckId } from '../checks/catalog.ts';
import { EXPLANATIONS, SEEDS } from '../checks/explanations.ts';
import { InputError } from '../model/errors.ts';
import { wrap } from './layout.ts';

export interface CheckExplanation {
  id: CheckId | AuditId;
  /** doctor (what is broken now) or audit (what prevents the next incident; weight: its share of a score). */
  command: 'doctor' | 'audit';
  weight?: number;
  severity: string;
  title: string;
  looksAt: string;
  reads: string[];
  why: string;
  thresholds: string[];
  seeds: { id: string; title: string; story: string }[];
  fix: string;
  docs: string;
}

/** The docs page every runbook link points into, relative to the docs base. */
export const CHECKS_PAGE = 'checks.md';
/** Audit's checks and its scoring. */
export const AUDIT_PAGE = 'audit.md';

export function checkNamed(name: string): CheckId | AuditId {
  if (isCheckId(name) || isAuditId(name)) return name;
  const near = [...CHECK_IDS, ...AUDIT_IDS].filter((id) => id.includes(name) || name.includes(id));
  throw new InputError(`unknown check "${name}"${near.length ? `: did you mean ${near.join(', ')}?` : ''} (stsvol checks lists them)`);
}

export function explanationOf(id: CheckId | AuditId, docsBase: string): CheckExplanation {
  if (isAuditId(id)) {
    const a = AUDIT_CATALOG[id];
    return {
      id, command: 'audit', weight: a.weight, severity: a.severity, title: a.title, looksAt: a.docs, reads: [...a.needs], why: a.why, thresholds: [],
      seeds: a.seeds.map((s) => ({ id: s, ...SEEDS[s] })), fix: a.fix, docs: `${docsBase}${AUDIT_PAGE}#${id}`,
    };
  }
  const c = CATALOG[id];
  const e = EXPLANATIONS[id];
  return {
    id, command: 'doctor', severity: c.severity, title: c.title, looksAt: c.docs, reads: [...c.needs], why: e.why, thresholds: e.thresholds,
    seeds: e.seeds.map((s) => ({ id: s, ...SEEDS[s] })), fix: e.fix, docs: `${docsBase}${CHECKS_PAGE}#${id}`,
  };
}

export function explanationText(x: CheckExplanation, width: number | undefined): string {
  const section = (title: string, body: string[]) => [title, ...body, ''];
  const prose = (text: string) => wrap(text, width, '  ');
  return [
    `${x.id}  (stsvol ${x.command}; ${x.severity} by default${x.weight !== undefined ? `, weight ${x.weight}` : ''})`,
    ...wrap(x.title, width, ''),
    '',
    ...section('WHAT IT LOOKS AT', [...prose(x.looksAt), ...prose(`Reads: ${x.reads.join(', ')}.`)]),
    ...section('WHY IT MATTERS', prose(x.why)),
    ...(x.thresholds.length ? section('WAITS BEFORE IT REPORTS', x.thresholds.flatMap((t) => wrap(t, width, '  - ', '    '))) : []),
    ...section('WHERE IT COMES FROM', x.seeds.flatMap((s) => wrap(`Seed ${s.id}, ${s.title.toLowerCase()}: ${s.story}`, width, '  - ', '    '))),
    ...section('THE FIX', [...prose(x.fix), ...prose('Each finding carries the exact steps for the objects it names (stsvol doctor).')]),
    `DOCS: ${x.docs}`,
  ].join('\n') + '\n';
}

/** docs/checks.md: every check under a heading named by its id, so its anchor is the id. */
export function checksMarkdown(): string {
  const parts = [
    '# Checks',
    '',
    '<!-- Generated from src/checks/catalog.ts and src/checks/explanations.ts: node scripts/checks-doc.ts -->',
    '',
    'Every check `stsvol doctor` runs, as `stsvol explain CHECK` prints it. The alerts of `stsvol alerts`',
    'link here, one anchor per check.',
    '',
    ...CHECK_IDS.map((id) => `- [\`${id}\`](#${id}): ${CATALOG[id].title}`),
    '',
  ];
  for (const id of CHECK_IDS) {
    const x = explanationOf(id, '');
    parts.push(
      `## ${id}`, '', `**${x.title}.** Default severity: ${x.severity}.`, '',
      `**What it looks at.** ${x.looksAt} Reads: ${x.reads.join(', ')}.`, '',
      `**Why it matters.** ${x.why}`, '',
      ...(x.thresholds.length ? ['**Waits before it reports.**', '', ...x.thresholds.map((t) => `- ${t}`), ''] : []),
      '**Where it comes from.**', '', ...x.seeds.map((s) => `- Seed ${s.id}, ${s.title.toLowerCase()}: ${s.story}`), '',
      `**The fix.** ${x.fix} Each finding carries the exact steps for the objects it names.`, '',
    );
  }
  return parts.join('\n');
}

/** The marked section of docs/audit.md that lists audit's checks: one heading (and anchor) each. */
export const AUDIT_SECTION = { start: '<!-- audit-checks:start (generated from src/checks/audit/catalog.ts: node scripts/checks-doc.ts) -->', end: '<!-- audit-checks:end -->' };

export function auditChecksMarkdown(): string {
  const parts = [
    AUDIT_SECTION.start, '',
    '| check | severity | weight | what it finds |', '|---|---|---|---|',
    ...AUDIT_IDS.map((id) => `| [\`${id}\`](#${id}) | ${AUDIT_CATALOG[id].severity} | ${AUDIT_CATALOG[id].weight} | ${AUDIT_CATALOG[id].title} |`),
    '',
  ];
  for (const id of AUDIT_IDS) {
    const x = explanationOf(id, '');
    parts.push(
      `### ${id}`, '', `**${x.title}.** Default severity: ${x.severity}; weight ${x.weight}.`, '',
      `**How it decides.** ${x.looksAt} Reads: ${x.reads.join(', ')}.`, '',
      `**Why it matters.** ${x.why}`, '',
      `**Where it comes from.** ${x.seeds.map((s) => `seed ${s.id} (${s.title.toLowerCase()})`).join('; ')}.`, '',
      `**The fix.** ${x.fix}`, '',
    );
  }
  parts.push(AUDIT_SECTION.end);
  return parts.join('\n');
}

/** docs/audit.md with its checks section written again from the catalog. */
export function withAuditChecks(doc: string): string {
  const start = doc.indexOf(AUDIT_SECTION.start);
  const end = doc.indexOf(AUDIT_SECTION.end);
  if (start < 0 || end < start) throw new Error('docs/audit.md has no audit-checks section');
  return doc.slice(0, start) + auditChecksMarkdown() + doc.slice(end + AUDIT_SECTION.end.length);
}
