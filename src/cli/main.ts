// The stsvol command line (also `kubectl stsvol`). `run` takes its arguments, streams and cluster
// transport as parameters so tests drive it in-process exactly as a user would.

import { pathToFileURL } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { CHECK_IDS } from '../checks/catalog.ts';
import { SEVERITIES } from '../checks/finding.ts';
import { ClusterError, InputError } from '../model/errors.ts';
import { doctor, type DoctorFlags } from './doctor.ts';
import { EXIT } from './exit-codes.ts';
import { processIO, type IO } from './io.ts';
import { kubeTransportFactory, type TransportFactory } from './load.ts';
import { writeSnapshot, type SnapshotFlags } from './snapshot.ts';
import { printCatalog } from './catalog-command.ts';

const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',').filter(Boolean)];

function clusterOptions(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, or in-cluster)')
    .option('--context <name>', 'kubeconfig context to use (default: the current context)')
    .option('-n, --namespace <ns>', 'only this namespace (cluster-scoped objects are always read)')
    .option('-A, --all-namespaces', 'every namespace (the default)');
}

function program(io: IO, transports: TransportFactory, setCode: (code: number) => void): Command {
  const root = new Command('stsvol')
    .description('Keeps the storage of Kubernetes StatefulSets healthy.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (t) => io.stdout.write(t), writeErr: (t) => io.stderr.write(t) })
    .exitOverride();

  clusterOptions(root.command('doctor'))
    .description('find the storage failures of StatefulSets, with evidence and safe remedies')
    .option('--from <path>', 'analyse files or directories written by kubectl get -o yaml|json or stsvol snapshot, instead of a live cluster (repeatable)', collect)
    .option('--now <time>', 'the analysis time, RFC3339 (offline default: when the snapshot was taken, else its newest timestamp)')
    .addOption(new Option('-o, --output <format>', 'output format: text (compact), wide (every step explained), json, yaml').choices(['text', 'wide', 'json', 'yaml']).default('text'))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at least this severe').choices([...SEVERITIES, 'none']).default('warning'))
    .option('--check <id>', `run only these checks (repeatable or comma-separated): ${CHECK_IDS.join(', ')}`, collect)
    .action(async (flags: DoctorFlags) => setCode(await doctor(flags, io, transports)));

  clusterOptions(root.command('snapshot'))
    .description('write the objects doctor reads from a live cluster into one file that --from reads back (never Secrets or ConfigMaps)')
    .requiredOption('-o, --output <file>', 'file to write (.yaml/.yml: YAML, otherwise JSON)')
    .action(async (flags: SnapshotFlags) => setCode(await writeSnapshot(flags, io, transports)));

  root.command('checks')
    .description('list the check catalog')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json', 'yaml']).default('text'))
    .action((flags: { output: 'text' | 'json' | 'yaml' }) => setCode(printCatalog(flags.output, io)));
  return root;
}

export const VERSION = '0.1.0';

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
  if (err instanceof InputError) {
    io.stderr.write(`stsvol: error: ${err.message}\n`);
    return EXIT.INPUT;
  }
  if (err instanceof ClusterError) {
    io.stderr.write(`stsvol: error: ${err.message}\n`);
    return EXIT.CLUSTER;
  }
  io.stderr.write(`stsvol: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return EXIT.INTERNAL;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await run(process.argv.slice(2));
}
