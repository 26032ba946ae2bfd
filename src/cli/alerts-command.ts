// stsvol alerts: prints the Prometheus alerting rules of src/operator/alerts.ts, as a PrometheusRule
// for the Prometheus Operator (`stsvol alerts | kubectl apply -f -`) or as a plain rule file.

import type { Command } from 'commander';
import { stringify } from 'yaml';
import { InputError } from '../model/errors.ts';
import { namespaceName } from '../model/names.ts';
import { alertRuleGroups, DEFAULT_RUNBOOK_BASE, prometheusRule } from '../operator/alerts.ts';
import type { IO } from './io.ts';

const FORMATS = ['prometheusrule', 'rules'] as const;
const OUTPUTS = ['yaml', 'json'] as const;

interface AlertsFlags {
  format: string;
  namespace: string;
  runbookBase?: string;
  /** The old name of --runbook-base, kept working. */
  runbookUrl?: string;
  operator?: boolean;
  output: string;
}

/** Checked here, not with commander's choices: a bad value is then one line, like every other
 *  input error, without the help hint commander appends. */
function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new InputError(`${flag} ${value}: expected ${allowed.join(' or ')}`);
  return value as T;
}


/** Each alert appends `page.md#anchor`, so the base must be an http(s) address of a folder (ending
 *  in /) without a fragment. */
function runbookFlag(flag: string, value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || !['http:', 'https:'].includes(url.protocol) || /[#\s\u0000-\u001f\u007f-\u009f]/.test(value)) {
    throw new InputError(`${flag} ${value}: expected an http(s) address without a #fragment`);
  }
  return value.endsWith('/') ? value : `${value}/`;
}

/** --runbook-url named the README once; its folder now holds the docs the alerts link. */
function docsBase(flags: AlertsFlags, io: IO): string {
  if (flags.runbookBase !== undefined) return runbookFlag('--runbook-base', flags.runbookBase);
  if (flags.runbookUrl === undefined) return DEFAULT_RUNBOOK_BASE;
  io.stderr.write('stsvol: warning: --runbook-url is deprecated: use --runbook-base, the address of the docs folder (the README\'s folder + docs/)\n');
  return runbookFlag('--runbook-url', flags.runbookUrl.replace(/README\.md$/, 'docs/'));
}

/** Bad flags throw InputError, which run() reports in one line with exit 2. */
export function printAlerts(flags: AlertsFlags, io: IO): void {
  const format = oneOf('--format', flags.format, FORMATS);
  const output = oneOf('-o', flags.output, OUTPUTS);
  const options = { docsBase: docsBase(flags, io), operator: Boolean(flags.operator) };
  const document = format === 'rules'
    ? { groups: alertRuleGroups(options) }
    : prometheusRule({ ...options, name: 'stsvol', namespace: namespaceName(flags.namespace) });
  // lineWidth 0: a PromQL line folded by the printer would still parse, but no longer read as written.
  io.stdout.write(output === 'json' ? `${JSON.stringify(document, null, 2)}\n` : stringify(document, { lineWidth: 0 }));
}

/** Success leaves run()'s exit code at OK (0), so unlike the cluster commands this one needs no setter. */
export function addAlertsCommand(program: Command, io: IO): void {
  program.command('alerts')
    .description('print Prometheus alerting rules for StatefulSet storage: volumes filling up; with --operator also critical findings and the operator\'s health')
    .option('--format <format>', 'prometheusrule (a PrometheusRule for the Prometheus Operator) or rules (a plain Prometheus rule file)', 'prometheusrule')
    .option('-n, --namespace <ns>', 'namespace of the PrometheusRule', 'monitoring')
    .option('--operator', 'the stsvol operator runs and Prometheus scrapes it: add the alerts on its findings, its forecast and its health')
    .option('--runbook-base <url>', `address of the docs folder the runbook_url annotations point into (default ${DEFAULT_RUNBOOK_BASE})`)
    .option('--runbook-url <url>', 'deprecated: the README address; use --runbook-base')
    .option('-o, --output <format>', 'yaml or json', 'yaml')
    .action((flags: AlertsFlags) => printAlerts(flags, io));
}
