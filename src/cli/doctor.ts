// stsvol doctor: load, check, report, and an exit code a CI pipeline can gate on.

import { CHECK_IDS, isCheckId, type CheckId } from '../checks/catalog.ts';
import type { Severity } from '../checks/finding.ts';
import { runChecks } from '../checks/index.ts';
import { InputError } from '../model/errors.ts';
import { EXIT } from './exit-codes.ts';
import { writeDocument } from './format.ts';
import { painter, type IO } from './io.ts';
import { loadModel, type LoadFlags, type TransportFactory } from './load.ts';
import { terminalWidth } from './layout.ts';
import { COMPACT, WIDE, writeTable, writeText } from './render-text.ts';
import { buildReport, inNamespace } from './report.ts';

export interface DoctorFlags extends LoadFlags {
  output: 'text' | 'wide' | 'table' | 'json' | 'yaml';
  failOn: Severity | 'none';
  /** Show only findings at this severity or above; --fail-on still judges them all. */
  severity?: Severity;
  check?: string[];
}

function selectedChecks(requested: string[] | undefined): CheckId[] {
  if (!requested?.length) return [...CHECK_IDS];
  const unknown = requested.filter((id) => !isCheckId(id));
  if (unknown.length) throw new InputError(`unknown check ${unknown.map((u) => `"${u}"`).join(', ')} (see stsvol checks)`);
  return [...new Set(requested)] as CheckId[];
}

export async function doctor(flags: DoctorFlags, io: IO, transports: TransportFactory): Promise<number> {
  const checks = selectedChecks(flags.check);
  const { model, source, clock } = await loadModel(flags, io, transports);
  const run = runChecks(model, checks);
  if (io.env.STSVOL_DEBUG) for (const f of run.failures) io.stderr.write(`stsvol: check ${f.check} failed: ${f.error instanceof Error ? f.error.stack : String(f.error)}\n`);
  const findings = flags.namespace ? inNamespace(run.findings, flags.namespace) : run.findings;
  const report = buildReport(findings, run.failures, model, { source, clock, namespace: flags.namespace, checksRun: checks, failOn: flags.failOn, shownSeverity: flags.severity });
  const width = terminalWidth(io.env, io.stdout);
  if (flags.output === 'text' || flags.output === 'wide') writeText(io.stdout, report, painter(io.stdout, io.env), { ...(flags.output === 'wide' ? WIDE : COMPACT), width });
  else if (flags.output === 'table') writeTable(io.stdout, report, width);
  else writeDocument(io.stdout, report as unknown as Record<string, unknown>, flags.output);
  if (report.summary.failed) return EXIT.FINDINGS;
  // Without its pods, claims, volumes or nodes a cluster is not a healthy one, whether RBAC hid them
  // or a dump left them out: the report says what it could, but the exit code must not say "clean".
  if (!report.summary.complete) {
    const unread = report.summary.unread.join(', ');
    io.stderr.write(source === 'live'
      ? `stsvol: error: ${unread} could not be read (see the notes), so the cluster cannot be called healthy\n`
      : `stsvol: error: the input holds no ${unread}, so the cluster cannot be called healthy; add them to the dump (kubectl get pods,pvc,pv,nodes -A -o yaml) or write one with stsvol snapshot\n`);
    return EXIT.CLUSTER;
  }
  return EXIT.OK;
}
