// The stsvol command line (also `kubectl stsvol`). `run` takes its arguments, streams and cluster
// transport as parameters so tests drive it in-process exactly as a user would.
//
// No stack trace, ever: bad input is one line and exit 2, an unreachable cluster one line and
// exit 3, a bug one line and exit 70 with the way to get the trace (STSVOL_DEBUG=1).

import { pathToFileURL } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { CHECK_IDS } from '../checks/catalog.ts';
import { SEVERITIES } from '../checks/finding.ts';
import { ClusterError, firstLine, InputError } from '../model/errors.ts';
import { ApiError } from '../model/kube-api.ts';
import { doctor, type DoctorFlags } from './doctor.ts';
import { audit, type AuditFlags } from './audit.ts';
import { dashboard, type DashboardFlags } from './dashboard.ts';
import { AUDIT_IDS } from '../checks/audit/catalog.ts';
import { EXIT } from './exit-codes.ts';
import { processIO, stopSignal, type IO } from './io.ts';
import { kubeTransportFactory, type TransportFactory } from './load.ts';
import { safeText } from '../model/safe-text.ts';
import { writeSnapshot, type SnapshotFlags } from './snapshot.ts';
import { OutputError } from './output-file.ts';
import { printCatalog, printExplanation } from './catalog-command.ts';
import { VERSION } from '../model/about.ts';
import { addOperationCommands } from './operations.ts';
import { addAlertsCommand } from './alerts-command.ts';
import { addOperatorCommand } from './operator-command.ts';

/** Repeatable flag; with `split`, also comma-separated (check ids have no commas; paths may). */
const repeatable = (split: boolean) => (value: string, previous: string[] = []) => [...previous, ...(split ? value.split(',').filter(Boolean) : [value])];

function clusterOptions(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, or in-cluster)')
    .option('--context <name>', 'kubeconfig context to use (default: the current context)')
    .option('-n, --namespace <ns>', 'only this namespace (cluster-scoped objects are always read)')
    .option('-A, --all-namespaces', 'every namespace (the default)')
    .option('--request-timeout <duration>', 'give up on a single request to the cluster after this long (30s, 2m; 0 waits forever)', '30s');
}

function program(io: IO, transports: TransportFactory, setCode: (code: number) => void): Command {
  const root = new Command('stsvol')
    .description('Keeps the storage of Kubernetes StatefulSets healthy.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    // A subcommand's options follow it: "ops abandon X -n ns" gives -n to abandon, not to ops.
    .enablePositionalOptions()
    .configureOutput({ writeOut: (t) => io.stdout.write(t), writeErr: (t) => io.stderr.write(t) })
    .exitOverride();

  clusterOptions(root.command('doctor'))
    .description('find the storage failures of StatefulSets, with evidence and safe remedies')
    .option('--from <path>', 'analyse files or directories written by kubectl get -o yaml|json or stsvol snapshot (- for standard input), instead of a live cluster (repeatable)', repeatable(false))
    .option('--now <time>', 'the analysis time, RFC3339 (offline default: when the snapshot was taken, else its newest believable timestamp)')
    .addOption(new Option('-o, --output <format>', 'output format: text (grouped, with remedies), wide (more evidence), table (one line per finding), json, yaml').choices(['text', 'wide', 'table', 'json', 'yaml']).default('text'))
    .addOption(new Option('--severity <severity>', 'show only findings at least this severe (the exit code still counts all of them: --fail-on)').choices([...SEVERITIES]))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at least this severe').choices([...SEVERITIES, 'none']).default('warning'))
    .option('--check <id>', `run only these checks (repeatable or comma-separated): ${CHECK_IDS.join(', ')}`, repeatable(true))
    .action(async (flags: DoctorFlags) => setCode(await doctor(flags, io, transports)));

  clusterOptions(root.command('audit'))
    .description('score the storage of every StatefulSet against the inspection checklist: backups, reclaim policies, zones, spread, budgets, attach headroom; --cost prices it')
    .option('--from <path>', 'audit files or directories written by kubectl get -o yaml|json or stsvol snapshot (- for standard input), instead of a live cluster (repeatable)', repeatable(false))
    .option('--now <time>', 'the analysis time, RFC3339 (offline default: when the snapshot was taken)')
    .addOption(new Option('-o, --output <format>', 'output format: text, json, yaml, markdown (for tickets and pull requests)').choices(['text', 'json', 'yaml', 'markdown']).default('text'))
    .option('--fail-under <score>', 'exit 1 when the cluster score is below this (0-100)')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at least this severe').choices([...SEVERITIES, 'none']).default('none'))
    .option('--check <id>', `run only these checks (repeatable or comma-separated): ${AUDIT_IDS.join(', ')}`, repeatable(true))
    .option('--skip <id>', 'run every check but these (repeatable or comma-separated)', repeatable(true))
    .option('--ignore <file>', 'accepted risks: findings to suppress, each with a reason and an optional expiry (docs/audit.md)')
    .option('--cost', 'add what the storage costs per month: by StatefulSet, namespace and class, waste, leftovers, snapshots')
    .option('--prices <file>', 'with --cost: your prices (YAML/JSON), instead of the built-in list prices')
    .option('--backup-max-age <duration>', 'a backup older than this is stale', '24h')
    .option('--overprovisioned-below <percent>', 'a StatefulSet whose volumes all use less than this is overprovisioned', '20%')
    .option('--prometheus <url>', 'live: read volume usage from this Prometheus (the maximum over --usage-window) instead of the kubelets')
    .option('--usage-window <duration>', 'with --prometheus: the window usage is the maximum over', '7d')
    .action(async (flags: AuditFlags) => setCode(await audit(flags, io, transports)));

  clusterOptions(root.command('snapshot'))
    .description('write the objects doctor reads from a live cluster into one file that --from reads back (only the fields stsvol reads: never Secrets, ConfigMaps, container args or environment)')
    .option('-f, --file <file>', 'file to write (default: standard output, also -)')
    .option('-o, --output <format>', 'json or yaml (default: from the file name; json for standard output)')
    .addOption(new Option('--format <format>', 'the old name of -o').choices(['json', 'yaml']).hideHelp())
    .option('--with-usage', 'also record how full each claim\'s volume is (from the kubelets through the node proxy, or --prometheus), for stsvol audit --from')
    .option('--prometheus <url>', 'with --with-usage: read usage from this Prometheus (the maximum over --usage-window)')
    .option('--usage-window <duration>', 'with --prometheus: the window usage is the maximum over', '7d')
    .action(async (flags: SnapshotFlags) => setCode(await writeSnapshot(flags, io, transports)));

  root.command('checks')
    .description('list the checks doctor runs; with a check, explain it')
    .argument('[check]', 'a check id, e.g. stale-pv-reuse')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json', 'yaml']).default('text'))
    .action((check: string | undefined, flags: { output: 'text' | 'json' | 'yaml' }) => setCode(check ? printExplanation(check, flags.output, io) : printCatalog(flags.output, io)));

  root.command('explain')
    .description('explain a check: what it looks at, how long it waits, why it matters, where it comes from, the fix')
    .argument('<check>', 'a check id, e.g. stale-pv-reuse')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json', 'yaml']).default('text'))
    .action((check: string, flags: { output: 'text' | 'json' | 'yaml' }) => setCode(printExplanation(check, flags.output, io)));

  clusterOptions(root.command('dashboard'))
    .description('serve a read-only web view of every StatefulSet\'s storage: topology, findings, usage, operations (live, or --from a dump); --export writes one offline page')
    .option('--from <path>', 'serve files or directories written by kubectl get -o yaml|json or stsvol snapshot, instead of a live cluster (repeatable)', repeatable(false))
    .option('--now <time>', 'with --from: the analysis time, RFC3339')
    .option('--address <ip>', 'listen on this address; any but loopback requires a bearer token', '127.0.0.1')
    .option('--port <port>', 'listen on this port (0: any free port)', '8484')
    .option('--token <token>', 'the bearer token the page and the API require (default: generated for a non-loopback --address)')
    .option('--export <file.html>', 'write one self-contained page (no server, no network) and exit')
    .option('--usage-interval <duration>', 'live: read volume usage from the kubelets this often (0: never)', '1m')
    .option('--prices <file>', 'your storage prices (YAML/JSON) instead of the built-in list prices')
    .action(async (flags: DashboardFlags) => setCode(await dashboard(flags, io, transports, stopSignal(io))));

  addOperationCommands(root, clusterOptions, io, transports, async (code) => setCode(await code));
  addAlertsCommand(root, io);
  addOperatorCommand(root, io, async (code) => setCode(await code));
  return root;
}


export async function run(argv: string[], io: IO = processIO(), transports: TransportFactory = kubeTransportFactory): Promise<number> {
  let code: number = EXIT.OK;
  try {
    await program(io, transports, (c) => (code = c)).parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    return failure(err, io);
  }
}

function failure(err: unknown, io: IO): number {
  if (err instanceof CommanderError) {
    // Help and version end with code 0; commander already printed its message.
    return err.exitCode === 0 ? EXIT.OK : EXIT.INPUT;
  }
  // An answer of the API server no command step handled (a 400 to a list, a 404 on a path a proxy
  // does not serve) is a cluster that cannot be used for this, as doctor says of the same answers.
  const known: [new (...args: never[]) => Error, number][] = [[InputError, EXIT.INPUT], [ClusterError, EXIT.CLUSTER], [ApiError, EXIT.CLUSTER], [OutputError, EXIT.OUTPUT]];
  for (const [type, exit] of known) {
    if (err instanceof type) {
      io.stderr.write(`stsvol: error: ${safeText(err.message)}\n`);
      return exit;
    }
  }
  return internalError(err, io.stderr, io.env);
}

/** One line, and the trace only when asked for. */
export function internalError(err: unknown, stderr: IO['stderr'], env: IO['env']): number {
  const message = err instanceof Error ? err.message : String(err);
  const where = err instanceof Error ? /\n\s+at .*?([^/\\(]+:\d+):\d+\)?/.exec(err.stack ?? '')?.[1] : undefined;
  stderr.write(`stsvol: internal error: ${safeText(firstLine(message))}${where ? ` (at ${where})` : ''}; this is a bug in stsvol, please report it; STSVOL_DEBUG=1 prints the trace\n`);
  if (env.STSVOL_DEBUG && err instanceof Error) stderr.write(`${err.stack}\n`);
  return EXIT.INTERNAL;
}

/** The process entry point (bin/stsvol.js and `node src/cli/main.ts`). */
export async function main(argv: string[]): Promise<never> {
  const io = processIO();
  const crash = (err: unknown) => process.exit(internalError(err, io.stderr, process.env));
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  const code = await run(argv, io);
  await io.flush();
  const failed = io.failure();
  if (failed && code !== EXIT.OUTPUT) io.stderr.write(`stsvol: error: cannot write the output: ${failed.code}${failed.code === 'ENOSPC' ? ' (no space left on the device)' : ''}\n`);
  // Exit at once: a credential plugin that never answered may still hold the event loop.
  process.exit(failed ? EXIT.OUTPUT : code);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv.slice(2));
