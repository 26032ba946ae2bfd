// The operation commands: resize, scale, recover, reclaim (each a planner behind operate()), and
// ops, which lists the journals of operations in progress.

import { Command, Option } from 'commander';
import { damagedText, listJournals } from '../executor/journal.ts';
import { InputError } from '../model/errors.ts';
import { parseQuantity } from '../model/quantity.ts';
import { parseRequestTimeout } from '../model/request-timeout.ts';
import type { RecoverRequest } from '../plans/recover.ts';
import { MAX_REPLICAS } from '../plans/scale.ts';
import { nameOf } from '../plans/targets.ts';
import { EXIT } from './exit-codes.ts';
import { writeDocument } from './format.ts';
import type { IO } from './io.ts';
import type { TransportFactory } from './load.ts';
import { abandon, applyPlan, operate, operationContext, type OperateFlags } from './operate.ts';
import { OPERATIONS } from './operation-specs.ts';
import { priceTable } from './prices.ts';
import { safeText } from '../model/safe-text.ts';

type Run = (code: Promise<number>) => Promise<void>;

const repeatable = (value: string, previous: string[] = []) => [...previous, value];

function operationOptions(cmd: Command): Command {
  return cmd
    .option('--apply', 'make the changes (default: show the plan and change nothing)')
    .option('--from <path>', 'plan from files written by kubectl get -o yaml|json or stsvol snapshot instead of the live cluster (repeatable); nothing is applied from a dump', repeatable)
    .option('--now <time>', 'with --from: the time the plan is made at, RFC3339 (default: when the dump was taken)')
    .option('--out <file>', 'save the plan (JSON) for review and for stsvol apply, which applies it once the cluster has not moved')
    .option('-y, --yes', 'with --apply: do not ask for confirmation')
    .addOption(new Option('-o, --output <format>', 'text, or json/yaml: the plan as a document; with --apply, JSON lines (the plan, one event per step, the result)').choices(['text', 'json', 'yaml']).default('text'))
    .option('--timeout <duration>', 'give up waiting for one step after this long (the journal is kept)', '10m');
}

const today = (io: IO) => new Date(io.now()).toISOString().slice(0, 10).replaceAll('-', '');

function sizeFlag(text: string): string {
  if (parseQuantity(text) === undefined || !/^\d/.test(text)) throw new InputError(`--to ${text}: not a storage size (e.g. 20Gi)`);
  return text;
}

function replicasFlag(text: string): number {
  if (!/^\d+$/.test(text)) throw new InputError(`--replicas ${text}: not a whole number`);
  if (text.length > 10 || Number(text) > MAX_REPLICAS) throw new InputError(`--replicas ${text}: more than a StatefulSet can have (${MAX_REPLICAS}, the API's int32)`);
  return Number(text);
}

function secondsFlag(name: string, text: string): number {
  const seconds = Math.ceil(parseRequestTimeout(text) / 1000);
  if (seconds <= 0) throw new InputError(`${name} ${text}: must be longer than 0`);
  return seconds;
}

export function addOperationCommands(root: Command, clusterOptions: (c: Command) => Command, io: IO, transports: TransportFactory, run: Run): void {
  const planning = (prices?: string) => ({ prices: priceTable(prices), today: today(io) });

  operationOptions(clusterOptions(root.command('resize')))
    .description('grow the volumes of a StatefulSet, and its claim template, without downtime')
    .argument('<statefulset>', 'statefulset/NAME or NAME')
    .requiredOption('--to <size>', 'the new size of every claim of the template, e.g. 20Gi')
    .option('--template <name>', 'the claim template (needed when there are several)')
    .option('--remount-after <duration>', 'restart a replica whose file system still waits for a remount after this long', '2m')
    .action((arg: string, flags: OperateFlags & { to: string; template?: string; remountAfter: string }) => run((async () => {
      const request = { statefulSet: nameOf(arg, 'statefulset', ['sts', 'statefulsets']), to: sizeFlag(flags.to), template: flags.template, remountAfterSeconds: secondsFlag('--remount-after', flags.remountAfter) };
      return operate(OPERATIONS.resize, (namespace) => ({ ...request, namespace }), flags, io, transports, planning());
    })()));

  operationOptions(clusterOptions(root.command('scale')))
    .description('scale a StatefulSet safely: a scale-up checked for old volumes, attach limits, zones and quota, and priced; a scale-down that keeps or deletes the claims, as asked')
    .argument('<statefulset>', 'statefulset/NAME or NAME')
    .requiredOption('--replicas <n>', 'the new number of replicas')
    .option('--quarantine', 'scale-up: first reserve Available volumes with old data for no claim, so no new replica binds one')
    .option('--reuse-claims', 'scale-up: claims left at the new ordinals are wanted back, data and all')
    .option('--delete-claims', 'scale-down: delete the claims of the removed replicas once their pods are gone (default: keep)')
    .option('--snapshot-class <name>', 'with --delete-claims: take a VolumeSnapshot of each claim first')
    .option('--prices <file>', 'price table (YAML/JSON) for the cost estimate, instead of the built-in list prices')
    .action((arg: string, flags: OperateFlags & { replicas: string; quarantine?: boolean; reuseClaims?: boolean; deleteClaims?: boolean; snapshotClass?: string; prices?: string }) => run((async () => {
      const request = { statefulSet: nameOf(arg, 'statefulset', ['sts', 'statefulsets']), replicas: replicasFlag(flags.replicas), quarantine: flags.quarantine, reuseClaims: flags.reuseClaims, deleteClaims: flags.deleteClaims, snapshotClass: flags.snapshotClass };
      return operate(OPERATIONS.scale, (namespace) => ({ ...request, namespace }), flags, io, transports, planning(flags.prices));
    })()));

  operationOptions(clusterOptions(root.command('recover')))
    .description('recover a pod, the pods of a node, or a volume attachment stuck on a dead node: the node is fenced first')
    .argument('<target>', 'pod/NAME, node/NAME or volumeattachment/NAME')
    .option('--node-is-down', 'you confirm the machine behind the node is powered off (recorded in the journal)')
    .action((arg: string, flags: OperateFlags & { nodeIsDown?: boolean }) => run((async () => {
      const { kind, name } = recoverTarget(arg);
      return operate(OPERATIONS.recover, (namespace): RecoverRequest => ({ kind, name, namespace, nodeIsDown: flags.nodeIsDown }), flags, io, transports, planning());
    })()));

  operationOptions(clusterOptions(root.command('reclaim')))
    .description('list, price and (with --apply) delete the claims scale-downs left and the Released volumes')
    .option('--snapshot-class <name>', 'take a VolumeSnapshot of each claim before deleting it')
    .option('--include-parked', 'also delete parked claims: those of a StatefulSet scaled to 0, or above the replicas of an autoscaled one')
    .option('--prices <file>', 'price table (YAML/JSON), instead of the built-in list prices')
    .action((flags: OperateFlags & { snapshotClass?: string; includeParked?: boolean; prices?: string }) => run((async () => {
      const requestFor = (namespace: string) => ({ namespace: flags.allNamespaces ? null : namespace, snapshotClass: flags.snapshotClass, includeParked: Boolean(flags.includeParked) });
      return operate(OPERATIONS.reclaim, requestFor, flags, io, transports, planning(flags.prices));
    })()));

  clusterOptions(root.command('apply'))
    .description('apply a plan saved with --out, once planning it again against the live cluster gives the same steps')
    .argument('<plan-file>', 'the file --out wrote')
    .option('-y, --yes', 'do not ask for confirmation')
    .addOption(new Option('-o, --output <format>', 'text, or json (JSON lines: the plan, one event per step, the result)').choices(['text', 'json']).default('text'))
    .option('--timeout <duration>', 'give up waiting for one step after this long (the journal is kept)', '10m')
    .action((file: string, flags: OperateFlags) => run(applyPlan(file, flags, io, transports)));

  // The program's options are positional (main.ts): the options after "abandon" are its own, not
  // taken by "ops", which has the same ones.
  const ops = clusterOptions(root.command('ops'))
    .description('list the operations in progress (their journals); ops abandon KIND/NAME gives one up');
  operationOptions(clusterOptions(ops.command('abandon')))
    .description('give up an operation: create its StatefulSet again from the journal if an orphan delete left it missing, then remove the journal')
    .argument('<subject>', 'what the operation is about: statefulset/NAME, pod/NAME, node/NAME, volumeattachment/NAME, namespace/NAME')
    .action((arg: string, flags: OperateFlags) => run((async () => {
      const ctx = await operationContext(flags, transports, io);
      return abandon(arg, flags, io, ctx);
    })()));
  ops
    .addOption(new Option('-o, --output <format>', 'text, json or yaml').choices(['text', 'json', 'yaml']).default('text'))
    .action((flags: OperateFlags) => run((async () => {
      const ctx = await operationContext(flags, transports, io);
      const journals = await listJournals(ctx.api, flags.namespace);
      for (const d of journals.damaged) io.stderr.write(`stsvol: warning: ${safeText(damagedText(d))}\n`);
      const rows = journals.records.map((j) => ({
        namespace: j.namespace, journal: j.name, operation: j.plan.operation, subject: `${j.plan.subject.kind.toLowerCase()}/${j.plan.subject.name}`, request: j.plan.request,
        started: j.state.startedAt, updated: j.state.updatedAt, done: Object.values(j.state.steps).filter((s) => s !== 'acting').length, steps: j.plan.steps.length, ...(j.state.stopped ? { stopped: j.state.stopped } : {}),
      }));
      if (flags.output !== 'text') writeDocument(io.stdout, { operations: rows, damaged: journals.damaged }, flags.output);
      else if (!rows.length) io.stdout.write(journals.damaged.length ? 'No other operation in progress.\n' : 'No operation in progress.\n');
      else for (const r of rows) io.stdout.write(safeText(`${r.namespace}/${r.journal}: ${r.operation} ${r.subject}, ${r.done}/${r.steps} steps, started ${r.started}, updated ${r.updated}${r.stopped ? `, stopped: ${r.stopped}` : ''}`) + '\n');
      return EXIT.OK;
    })()));
}

function recoverTarget(arg: string): { kind: RecoverRequest['kind']; name: string } {
  const m = /^(pod|po|pods|node|no|nodes|volumeattachment|volumeattachments)\/(.+)$/.exec(arg);
  if (!m) throw new InputError(`${arg}: expected pod/NAME, node/NAME or volumeattachment/NAME`);
  const kind = m[1]!.startsWith('po') ? 'pod' : m[1]!.startsWith('no') ? 'node' : 'volumeattachment';
  return { kind, name: m[2]! };
}
