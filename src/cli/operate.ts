// What resize, scale, recover and reclaim share: find a journal to resume or make a plan, check it
// against the server (dry-run), show it, and change nothing unless --apply; then confirm, journal,
// execute with progress, and end with an exit code that says whether it is done (0), refused (4) or
// stopped with the journal kept (5).

import { isDeepStrictEqual } from 'node:util';
import { ApiError, KubeApi } from '../executor/api.ts';
import { execute, type StepEvent } from '../executor/execute.ts';
import { Journal, journalName, listJournals, type JournalRecord } from '../executor/journal.ts';
import { ClusterModel } from '../model/cluster-model.ts';
import { ClusterError, firstLine, InputError } from '../model/errors.ts';
import { loadLive, type WritableTransport } from '../model/live.ts';
import type { Plan, PlanResult, Refusal } from '../plans/plan.ts';
import { EXIT } from './exit-codes.ts';
import { painter, type IO } from './io.ts';
import { checkClusterFlags, type ClusterFlags, type TransportFactory } from './load.ts';
import { progressWriter, writePlan } from './render-plan.ts';
import { parseRequestTimeout } from '../model/request-timeout.ts';

export interface OperateFlags extends ClusterFlags {
  apply?: boolean;
  yes?: boolean;
  output: 'text' | 'json' | 'yaml';
  /** Longest wait for one step (a Go duration). */
  timeout: string;
}

export interface Operation {
  name: Plan['operation'];
  /** The request as given, normalised; the same request resumes the same journal. */
  request: Record<string, unknown>;
  plan(model: ClusterModel, api: KubeApi): Promise<PlanResult> | PlanResult;
}

export interface OperateContext {
  namespace: string;
  api: KubeApi;
}

/** The namespace the operation works in: -n, else the kubeconfig context's, else default. */
export async function operationContext(flags: ClusterFlags, transports: TransportFactory, io: IO): Promise<OperateContext> {
  checkClusterFlags(flags);
  const transport = await transports(flags);
  if (!('request' in transport)) throw new ClusterError('this transport cannot write to a cluster');
  const writable = transport as WritableTransport & { namespace?: string };
  const api = new KubeApi(writable, { onRetry: (what, attempt, delay) => io.stderr.write(`stsvol: retrying in ${(delay / 1000).toFixed(1)}s (attempt ${attempt + 1}): ${what}\n`) });
  return { namespace: flags.namespace ?? writable.namespace ?? 'default', api };
}

export async function operate(op: Operation, flags: OperateFlags, io: IO, ctx: OperateContext): Promise<number> {
  const waitMs = parseRequestTimeout(flags.timeout);
  const paint = painter(io.stdout, io.env);
  const journals = await listJournals(ctx.api, undefined).catch((err: unknown) => {
    if (err instanceof ApiError && err.status === 403) return listJournals(ctx.api, ctx.namespace);
    throw err;
  });
  const resumable = journals.find((j) => j.plan.operation === op.name && isDeepStrictEqual(normalised(j.plan.request), normalised(op.request)));
  let plan: Plan;
  let refusals: Refusal[] = [];
  if (resumable) {
    plan = resumable.plan;
  } else {
    const { snapshot } = await loadLive(ctx.api.transport, { namespace: ctx.namespace });
    ({ plan, refusals } = await op.plan(new ClusterModel(snapshot, io.now()), ctx.api));
    plan = { ...plan, request: op.request };
    refusals = [...refusals, ...conflicts(plan, journals), ...(refusals.length ? [] : await serverDryRun(plan, ctx.api))];
  }
  const header = resumable
    ? `Resume ${op.name} of ${plan.subject.kind.toLowerCase()}/${plan.subject.name} from journal ${resumable.namespace}/${resumable.name} (started ${resumable.state.startedAt}${resumable.state.stopped ? `; stopped: ${resumable.state.stopped}` : ''})`
    : `Plan: ${op.name} ${plan.subject.kind.toLowerCase()}/${plan.subject.name}`;
  const json = flags.output !== 'text';
  if (json) io.stdout.write(`${JSON.stringify({ type: 'plan', plan, refusals, resume: Boolean(resumable) }, null, flags.apply ? undefined : 2)}\n`);
  else writePlan(io.stdout, plan, refusals, paint, header);
  if (refusals.length) return EXIT.REFUSED;
  if (!flags.apply) {
    if (!json) io.stdout.write(`\nDry run: nothing was changed.${plan.steps.length ? ` Run again with --apply to ${resumable ? 'resume' : 'execute'} it.` : ''}\n`);
    return EXIT.OK;
  }
  if (plan.steps.length === 0) return EXIT.OK;
  if (!flags.yes && !(await confirmed(io, `Apply these ${plan.steps.length} steps?`))) {
    io.stderr.write('stsvol: not applied (answer y, or pass --yes)\n');
    return EXIT.REFUSED;
  }
  const journal = resumable ? await Journal.resume(ctx.api, resumable, new Date(io.now())) : await createJournal(ctx.api, plan, io);
  if (!journal) return EXIT.REFUSED;
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  const show = json ? (e: StepEvent) => io.stdout.write(`${JSON.stringify(e)}\n`) : progressWriter(io.stderr.isTTY ? io.stderr : io.stdout, paint);
  try {
    const result = await execute(plan, {
      api: ctx.api, journal, onEvent: show, signal: abort.signal, waitMs, pollMs: 1000,
      now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    });
    if (json) io.stdout.write(`${JSON.stringify({ type: 'result', ...result, journal: `${plan.namespace}/${journal.name}` })}\n`);
    if (result.status === 'done') {
      if (!json) {
        io.stdout.write(`Done: ${op.name} of ${plan.subject.kind.toLowerCase()}/${plan.subject.name} completed; its journal is removed.\n`);
        for (const line of plan.afterwards) io.stdout.write(`  - ${line}\n`);
      }
      return EXIT.OK;
    }
    io.stderr.write(`stsvol: stopped at ${result.step}: ${firstLine(result.reason)}\nstsvol: the journal ${plan.namespace}/${journal.name} is kept: run the same command again to resume\n`);
    return EXIT.STOPPED;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

function normalised(request: Record<string, unknown>): unknown {
  return JSON.parse(JSON.stringify(request));
}

/** Another operation on the same subject, or on the same StatefulSet, is in progress. */
function conflicts(plan: Plan, journals: JournalRecord[]): Refusal[] {
  const name = journalName(plan);
  return journals
    .filter((j) => (j.name === name && j.namespace === plan.namespace) || (plan.subject.kind === 'StatefulSet' && j.plan.subject.kind === 'StatefulSet' && j.plan.subject.name === plan.subject.name && j.namespace === plan.namespace))
    .map((j) => ({ code: 'operation-in-progress', message: `${j.plan.operation} ${JSON.stringify(j.plan.request)} on ${j.plan.subject.kind.toLowerCase()}/${j.plan.subject.name} is in progress (journal ${j.namespace}/${j.name}, started ${j.state.startedAt}): run that command again to finish it first` }));
}

/** Each patch and create of the plan, sent with dryRun=All: admission (quota, expansion rules,
 *  validation) answers before anything changes. */
async function serverDryRun(plan: Plan, api: KubeApi): Promise<Refusal[]> {
  const refusals: Refusal[] = [];
  for (const step of plan.steps) {
    const a = step.action;
    try {
      if (a.verb === 'patch') await api.mergePatch(a.target.kind, a.target.namespace, a.target.name, a.patch, true);
      if (a.verb === 'create') await api.create(a.manifest.kind, a.manifest.metadata.namespace, a.manifest, true);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404 && a.verb === 'create') continue; // a kind not served: the step says so when it runs
      if (err instanceof ApiError) refusals.push({ code: 'server-dry-run', message: `${step.title}: the API server refuses it: ${firstLine(err).replace(/^\S+ \S+: /, '')}` });
      else throw err;
    }
  }
  return refusals;
}

async function createJournal(api: KubeApi, plan: Plan, io: IO): Promise<Journal | undefined> {
  try {
    return await Journal.create(api, plan, new Date(io.now()));
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 409)) throw err;
    io.stderr.write(`stsvol: journal ${plan.namespace}/${journalName(plan)} appeared meanwhile: another stsvol started an operation on ${plan.subject.name} (stsvol ops)\n`);
    return undefined;
  }
}

async function confirmed(io: IO, question: string): Promise<boolean> {
  if (!io.confirm) throw new InputError('--apply needs --yes when standard input is not a terminal');
  return io.confirm(question);
}
