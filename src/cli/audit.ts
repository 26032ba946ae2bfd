// stsvol audit: the inspection checklist as scored checks (src/checks/audit), live or from a dump,
// with the accepted risks of an ignore file set apart, and (--cost) what the storage costs. Exit
// codes as doctor's: 1 when --fail-under or --fail-on says so, 3 when Pods, claims, volumes or nodes
// could not be read, 2 for bad input.

import { parse } from 'yaml';
import { AUDIT_CATALOG, AUDIT_IDS, isAuditId, type AuditId } from '../checks/audit/catalog.ts';
import { costOf, type CostReport } from '../checks/audit/cost.ts';
import { applyIgnores, type IgnoreRule, type Suppressed } from '../checks/audit/ignore.ts';
import { runAudit } from '../checks/audit/index.ts';
import { DEFAULT_AUDIT_OPTIONS, type AuditOptions } from '../checks/audit/scope.ts';
import { findingsInNamespace, judgedInNamespace, score, type WorkloadScore } from '../checks/audit/score.ts';
import { SEVERITIES, type Finding, type Severity } from '../checks/finding.ts';
import { firstLine, InputError } from '../model/errors.ts';
import { readSmallFile } from '../model/input-files.ts';
import { KIND_NOTICES } from '../model/snapshot.ts';
import { parseRequestTimeout } from '../model/request-timeout.ts';
import { toRfc3339 } from '../model/time.ts';
import { EXIT } from './exit-codes.ts';
import { writeDocument } from './format.ts';
import { painter, type IO } from './io.ts';
import { terminalWidth } from './layout.ts';
import { loadModel, type LoadFlags, type TransportFactory } from './load.ts';
import { recordUsage, usageFromKubelets, usageFromPrometheus } from './observed-usage.ts';
import { priceTable } from './prices.ts';
import { writeAuditMarkdown, writeAuditText } from './render-audit.ts';
import { ESSENTIAL_KINDS, failsGate } from './report.ts';
import type { Notice } from '../model/snapshot.ts';

export interface AuditFlags extends LoadFlags {
  output: 'text' | 'json' | 'yaml' | 'markdown';
  failUnder?: string;
  failOn: Severity | 'none';
  check?: string[];
  skip?: string[];
  ignore?: string;
  cost?: boolean;
  prices?: string;
  backupMaxAge: string;
  overprovisionedBelow: string;
  prometheus?: string;
  usageWindow: string;
}

export const AUDIT_REPORT_VERSION = 'stsvol.io/v1';

export interface AuditReport {
  apiVersion: typeof AUDIT_REPORT_VERSION;
  kind: 'AuditReport';
  summary: {
    /** The cluster's score, 0–100 (docs/audit.md). */
    score: number;
    critical: number;
    warning: number;
    info: number;
    suppressed: number;
    checksRun: AuditId[];
    failUnder?: number;
    failOn: Severity | 'none';
    failed: boolean;
    complete: boolean;
    unread: string[];
    source: 'live' | 'offline';
    now: string;
    clockReason: string;
    namespace?: string;
    backupMaxAge: string;
    overprovisionedBelow: number;
    /** Where volume usage came from, and for how many claims. */
    usage: { source: string; claims: number; problems: string[] };
  };
  /** Worst score first. */
  workloads: WorkloadScore[];
  findings: Finding<AuditId>[];
  suppressed: Suppressed[];
  /** Ignore entries past their expiry: they suppress nothing now. */
  expiredIgnores: IgnoreRule[];
  cost?: CostReport;
  notices: AuditNotice[];
}

/** What the audit could not see, and which of its checks see less because of it. */
export type AuditNotice = Notice & { weakens: AuditId[] };

function ids(flag: string, list: string[] | undefined): AuditId[] {
  const unknown = (list ?? []).filter((id) => !isAuditId(id));
  if (unknown.length) throw new InputError(`${flag}: unknown audit check ${unknown.map((u) => `"${u}"`).join(', ')} (stsvol audit --help lists them)`);
  return [...new Set(list ?? [])] as AuditId[];
}

function percent(flag: string, text: string): number {
  const m = /^(\d{1,3})%$/.exec(text);
  const n = m ? Number(m[1]) : NaN;
  if (!(n >= 1 && n <= 100)) throw new InputError(`${flag} ${text}: expected a percentage from 1% to 100%`);
  return n / 100;
}

function failUnderOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,3}$/.test(text) || Number(text) > 100) throw new InputError(`--fail-under ${text}: expected a score from 0 to 100`);
  return Number(text);
}

/** The window of a Prometheus range selector: a number and a unit. */
function windowOf(text: string): string {
  if (!/^\d{1,4}[smhdw]$/.test(text)) throw new InputError(`--usage-window ${text}: expected a Prometheus duration such as 7d or 24h`);
  return text;
}

/** The ignore file: a list of { check, namespace?, object?, reason, expires? }, each with a reason. */
export function readIgnoreFile(path: string): IgnoreRule[] {
  let doc: unknown;
  try {
    doc = parse(readSmallFile(path, '--ignore'));
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`--ignore ${path}: ${firstLine(err)}`);
  }
  const list = (doc as { ignore?: unknown } | null)?.ignore;
  if (!Array.isArray(list)) throw new InputError(`--ignore ${path}: expected a list under "ignore:" (docs/audit.md)`);
  return list.map((entry, i) => {
    const e = entry as Record<string, unknown>;
    const where = `--ignore ${path}: entry ${i + 1}`;
    if (typeof e?.check !== 'string' || (e.check !== '*' && !isAuditId(e.check))) throw new InputError(`${where}: "check" must be an audit check id or "*"`);
    if (typeof e.reason !== 'string' || !e.reason.trim()) throw new InputError(`${where}: "reason" is required (why the risk is accepted)`);
    for (const key of ['namespace', 'object', 'expires']) if (e[key] !== undefined && typeof e[key] !== 'string') throw new InputError(`${where}: "${key}" must be a string`);
    if (typeof e.object === 'string' && !/^[A-Za-z]+\/.+$/.test(e.object)) throw new InputError(`${where}: "object" must be Kind/name (StatefulSet/pg)`);
    if (typeof e.expires === 'string' && Number.isNaN(Date.parse(e.expires))) throw new InputError(`${where}: "expires" is not a date (YYYY-MM-DD)`);
    return { check: e.check, reason: e.reason, ...(e.namespace ? { namespace: e.namespace as string } : {}), ...(e.object ? { object: e.object as string } : {}), ...(e.expires ? { expires: e.expires as string } : {}) };
  });
}

export async function audit(flags: AuditFlags, io: IO, transports: TransportFactory): Promise<number> {
  const only = ids('--check', flags.check);
  const skipped = ids('--skip', flags.skip);
  const checks = (only.length ? only : AUDIT_IDS).filter((id) => !skipped.includes(id));
  const options: AuditOptions = { ...DEFAULT_AUDIT_OPTIONS, backupMaxAgeMs: parseRequestTimeout(flags.backupMaxAge), overprovisionedBelow: percent('--overprovisioned-below', flags.overprovisionedBelow) };
  if (options.backupMaxAgeMs <= 0) throw new InputError(`--backup-max-age ${flags.backupMaxAge}: must be longer than 0`);
  const failUnder = failUnderOf(flags.failUnder);
  const window = windowOf(flags.usageWindow);
  const ignores = flags.ignore ? readIgnoreFile(flags.ignore) : [];
  const prices = flags.cost ? priceTable(flags.prices) : undefined;

  const { model, source, clock } = await loadModel(flags, io, transports);
  const usageRead = source === 'live'
    ? flags.prometheus ? await usageFromPrometheus(flags.prometheus, window, clock.now) : await usageFromKubelets(model, await transports(flags), clock.now)
    : undefined;
  const usageClaims = usageRead ? recordUsage(model.snapshot, usageRead.usage) : model.snapshot.claims.filter((c) => c.metadata.annotations?.['stsvol.io/observed-usage']).length;

  const run = runAudit(model, options, checks);
  const { kept, suppressed, expired } = applyIgnores(findingsInNamespace(run.findings, flags.namespace), ignores, clock.now);
  const scores = score(judgedInNamespace(run.judged, flags.namespace), kept);
  const unread = ESSENTIAL_KINDS.filter((k) => !model.sees(k));
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, kept.filter((f) => f.severity === s).length])) as Record<Severity, number>;
  const failed = (failUnder !== undefined && scores.cluster < failUnder) || failsGate(kept, flags.failOn);
  const report: AuditReport = {
    apiVersion: AUDIT_REPORT_VERSION, kind: 'AuditReport',
    summary: {
      score: scores.cluster, ...counts, suppressed: suppressed.length, checksRun: checks, ...(failUnder !== undefined ? { failUnder } : {}), failOn: flags.failOn, failed,
      complete: unread.length === 0, unread, source, now: toRfc3339(clock.now), clockReason: clock.reason,
      ...(flags.namespace ? { namespace: flags.namespace } : {}), backupMaxAge: flags.backupMaxAge, overprovisionedBelow: options.overprovisionedBelow,
      usage: { source: usageRead ? (flags.prometheus ? `prometheus (max over ${window})` : 'kubelet (now)') : 'recorded in the input (stsvol snapshot --with-usage)', claims: usageClaims, problems: usageRead?.problems ?? [] },
    },
    workloads: scores.workloads,
    findings: kept,
    suppressed,
    expiredIgnores: expired,
    ...(prices ? { cost: costOf(model, prices) } : {}),
    notices: [
      ...model.snapshot.notices.map((n) => ({ ...n, weakens: KIND_NOTICES.has(n.reason) ? checks.filter((id) => (AUDIT_CATALOG[id].needs as readonly string[]).includes(n.kind)) : [] })),
      ...run.failures.map((f) => ({ kind: f.object?.kind ?? '', reason: 'check-failed' as const, ...(f.object ? { object: f.object } : {}), message: `audit check ${f.check} failed (${firstLine(f.error)}): a bug in stsvol; the rest of the report stands`, weakens: [f.check] })),
    ],
  };
  if (flags.output === 'text') writeAuditText(io.stdout, report, painter(io.stdout, io.env), terminalWidth(io.env, io.stdout));
  else if (flags.output === 'markdown') writeAuditMarkdown(io.stdout, report);
  else writeDocument(io.stdout, report as unknown as Record<string, unknown>, flags.output);
  if (failed) return EXIT.FINDINGS;
  if (!report.summary.complete) {
    io.stderr.write(`stsvol: error: ${unread.join(', ')} could not be read, so the audit is not complete\n`);
    return EXIT.CLUSTER;
  }
  return EXIT.OK;
}
