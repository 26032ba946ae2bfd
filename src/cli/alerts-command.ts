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
  runbookUrl: string;
  output: string;
}

/** Checked here, not with commander's choices: a bad value is then one line, like every other
 *  input error, without the help hint commander appends. */
function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new InputError(`${flag} ${value}: expected ${allowed.join(' or ')}`);
  return value as T;
}


/** Each alert appends `#anchor`, so the base must be an http(s) address without a fragment. */
function runbookFlag(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || !['http:', 'https:'].includes(url.protocol) || /[#\s\u0000-\u001f\u007f-\u009f]/.test(value)) {
    throw new InputError(`--runbook-url ${value}: expected an http(s) address without a #fragment`);
  }
  return value;
}

/** Bad flags throw InputError, which run() reports in one line with exit 2. */
export function printAlerts(flags: AlertsFlags, io: IO): void {
  const format = oneOf('--format', flags.format, FORMATS);
  const output = oneOf('-o', flags.output, OUTPUTS);
  const options = { runbookBase: runbookFlag(flags.runbookUrl) };
  const document = format === 'rules'
    ? { groups: alertRuleGroups(options) }
    : prometheusRule({ ...options, name: 'stsvol', namespace: namespaceName(flags.namespace) });
  // lineWidth 0: a PromQL line folded by the printer would still parse, but no longer read as written.
  io.stdout.write(output === 'json' ? `${JSON.stringify(document, null, 2)}\n` : stringify(document, { lineWidth: 0 }));
}

/** Success leaves run()'s exit code at OK (0), so unlike the cluster commands this one needs no setter. */
export function addAlertsCommand(program: Command, io: IO): void {
  program.command('alerts')
    .description('print Prometheus alerting rules for StatefulSet storage: volumes filling up, critical findings, the operator\'s health')
    .option('--format <format>', 'prometheusrule (a PrometheusRule for the Prometheus Operator) or rules (a plain Prometheus rule file)', 'prometheusrule')
    .option('-n, --namespace <ns>', 'namespace of the PrometheusRule', 'monitoring')
    .option('--runbook-url <base>', 'address of the README the runbook_url annotations point into', DEFAULT_RUNBOOK_BASE)
    .option('-o, --output <format>', 'yaml or json', 'yaml')
    .action((flags: AlertsFlags) => printAlerts(flags, io));
}
