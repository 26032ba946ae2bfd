// stsvol doctor: load, check, report, and an exit code a CI pipeline can gate on.

import { CHECK_IDS, isCheckId, type CheckId } from '../checks/catalog.ts';
import type { Severity } from '../checks/finding.ts';
import { runChecks } from '../checks/index.ts';
import { InputError } from '../model/errors.ts';
import { EXIT } from './exit-codes.ts';
import { serialize } from './format.ts';
import { painter, type IO } from './io.ts';
import { loadModel, type LoadFlags, type TransportFactory } from './load.ts';
import { COMPACT, WIDE, renderText } from './render-text.ts';
import { buildReport, inNamespace } from './report.ts';

export interface DoctorFlags extends LoadFlags {
  output: 'text' | 'wide' | 'json' | 'yaml';
  failOn: Severity | 'none';
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
  const all = runChecks(model, checks);
  const findings = flags.namespace ? inNamespace(all, flags.namespace) : all;
  const report = buildReport(findings, model.snapshot, { source, now: model.now, clock, namespace: flags.namespace, checksRun: checks, failOn: flags.failOn });
  const paint = painter(io.stdout, io.env);
  if (flags.output === 'text' || flags.output === 'wide') io.stdout.write(renderText(report, paint, flags.output === 'wide' ? WIDE : COMPACT));
  else io.stdout.write(serialize(report, flags.output));
  return report.summary.failed ? EXIT.FINDINGS : EXIT.OK;
}
