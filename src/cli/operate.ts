// What resize, scale, recover and reclaim share: find a journal to resume or make a plan, check it
// against the server (dry-run), show it, and change nothing unless --apply; then confirm, journal,
// execute with progress, and end with an exit code that says whether it is done (0), refused (4) or
// stopped with the journal kept (5). A plan can also be made from a dump (--from) or saved (--out)
// for review, and a saved plan applied (`stsvol apply`) once the cluster is found not to have moved.

import { isDeepStrictEqual } from 'node:util';
import { recreateRefusal } from '../executor/actions.ts';
import { execute, type StepEvent } from '../executor/execute.ts';
import { damagedText, Journal, journalName, listJournals, type Journals } from '../executor/journal.ts';
import { ClusterModel } from '../model/cluster-model.ts';
import { ClusterError, firstLine, InputError } from '../model/errors.ts';
import { ApiError, KubeApi, READ_RETRY, type KubeObject } from '../model/kube-api.ts';
import { loadLive, type WritableTransport } from '../model/live.ts';
import { DEFAULT_REQUEST_TIMEOUT_MS, parseRequestTimeout } from '../model/request-timeout.ts';
import { jsonText, safeText, yamlText } from '../model/safe-text.ts';
import { planAbandon } from '../plans/abandon.ts';
import type { JsonObject, Plan, Refusal } from '../plans/plan.ts';
import { BUILT_IN_PRICES, type PriceTable } from '../model/pricing.ts';
import { EXIT } from './exit-codes.ts';
import { painter, type IO } from './io.ts';
import { checkClusterFlags, loadModel, requestTimeoutOf, type ClusterFlags, type TransportFactory } from './load.ts';
import { OPERATIONS, type OperationRequest, type OperationSpec } from './operation-specs.ts';
import { checkPlanTarget, PLAN_FILE_VERSION, readPlanFile, stepsOf, writePlanFile, type PlanSource } from './plan-file.ts';
import { progressWriter, writePlan } from './render-plan.ts';

export interface OperateFlags extends ClusterFlags {
  apply?: boolean;
  yes?: boolean;
  output: 'text' | 'json' | 'yaml';
  /** Longest wait for one step (a Go duration). */
  timeout: string;
  /** Plan from these dumps instead of the live cluster (never applied from there). */
  from?: string[];
  now?: string;
  /** Save the plan to this file for `stsvol apply`. */
  out?: string;
}

/** What a command adds to the request's flags: the namespace it works in, known once the kubeconfig
 *  (or, offline, -n) is read. */
export type RequestFor = (namespace: string) => OperationRequest;

/** What planning may use besides the cluster. */
export interface PlanningFlags {
  prices: PriceTable;
  today: string;
}

export interface OperateContext {
  namespace: string;
  /** Where the plan was read from, for a saved plan. */
  source: PlanSource;
  /** Writes and the reads of steps: retried like a step half done is worth finishing. */
  api: KubeApi;
  /** The plan's reading of the cluster: as doctor reads it. */
  reader: KubeApi;
}

/** The namespace the operation works in: -n, else the kubeconfig context's, else default. */
export async function operationContext(flags: ClusterFlags, transports: TransportFactory, io: IO): Promise<OperateContext> {
  checkClusterFlags(flags);
  const transport = await transports(flags);
  if (!('request' in transport)) throw new ClusterError('this transport cannot write to a cluster');
  const writable = transport as WritableTransport & { namespace?: string };
  const timeoutMs = requestTimeoutOf(flags) ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const api = new KubeApi(writable, { timeoutMs, onRetry: (what, attempt, delay) => io.stderr.write(`stsvol: retrying in ${(delay / 1000).toFixed(1)}s (attempt ${attempt + 1}): ${what}\n`) });
  const named = writable as { context?: string; server?: string };
  return {
    namespace: flags.namespace ?? writable.namespace ?? 'default', api, reader: new KubeApi(writable, { retry: READ_RETRY, timeoutMs }),
    source: { type: 'live', context: named.context ?? '', server: named.server ?? '' },
  };
}

/** The journals this identity may read (all namespaces, else its own); damaged ones are reported
 *  and left out. */
async function visibleJournals(ctx: OperateContext, io: IO): Promise<Journals> {
  const journals = await listJournals(ctx.api, undefined).catch((err: unknown) => {
    if (err instanceof ApiError && err.status === 403) return listJournals(ctx.api, ctx.namespace);
    throw err;
  });
  for (const d of journals.damaged) io.stderr.write(`stsvol: warning: ${safeText(damagedText(d))}\n`);
  return journals;
}

export async function operate(spec: OperationSpec, requestFor: RequestFor, flags: OperateFlags, io: IO, transports: TransportFactory, planning: PlanningFlags): Promise<number> {
  if (flags.out !== undefined) {
    if (flags.apply) throw new InputError('--out saves the plan for stsvol apply: it does not go with --apply');
    checkPlanTarget(flags.out);
  }
  if (flags.from?.length) return planFromDump(spec, requestFor, flags, io, transports, planning);
  const ctx = await operationContext(flags, transports, io);
  const request = requestFor(ctx.namespace);
  spec.prepare?.(ctx.api);
  const journals = await visibleJournals(ctx, io);
  const resumable = journals.records.find((j) => j.plan.operation === spec.name && isDeepStrictEqual(normalised(j.plan.request), normalised(request)));
  if (resumable) {
    if (flags.out !== undefined) throw new InputError(`${spec.name} of ${resumable.plan.subject.kind.toLowerCase()}/${resumable.plan.subject.name} is in progress (journal ${resumable.namespace}/${resumable.name}): its journal is the plan; run without --out to resume it`);
    return showAndRun({
      plan: resumable.plan, refusals: [], verb: 'resume', journal: () => Journal.resume(ctx.api, resumable, new Date(io.now())),
      header: `Resume ${spec.name} of ${resumable.plan.subject.kind.toLowerCase()}/${resumable.plan.subject.name} from journal ${resumable.namespace}/${resumable.name} (started ${resumable.state.startedAt}${resumable.state.stopped ? `; stopped: ${resumable.state.stopped}` : ''})`,
      done: completed(resumable.plan),
    }, flags, io, ctx);
  }
  const { snapshot } = await loadLive(ctx.reader, readsOf(spec, request));
  const made = await spec.plan(new ClusterModel(snapshot, io.now()), request, { ...planning, api: ctx.api });
  const plan = { ...made.plan, request: request as unknown as JsonObject };
  const refusals = [...made.refusals, ...conflicts(plan, journals), ...(made.refusals.length ? [] : await serverDryRun(plan, ctx.api))];
  if (flags.out !== undefined) await savePlan(flags.out, { plan, refusals, source: ctx.source }, io);
  return showAndRun({ plan, refusals, header: `Plan: ${spec.name} ${plan.subject.kind.toLowerCase()}/${plan.subject.name}`, verb: 'execute', journal: () => createJournal(ctx.api, plan, io), done: completed(plan), saved: flags.out }, flags, io, ctx);
}

function readsOf(spec: OperationSpec, request: OperationRequest): { namespace?: string } {
  const namespace = spec.reads(request);
  return namespace === undefined ? {} : { namespace };
}

function completed(plan: Plan): string {
  return `${plan.operation} of ${plan.subject.kind.toLowerCase()}/${plan.subject.name} completed; its journal is removed`;
}

/** --from: the plan a dump gives, for rehearsal and review; nothing live is consulted (no journal,
 *  no dry run), so it is never applied from here: saved with --out, `stsvol apply` checks it live. */
async function planFromDump(spec: OperationSpec, requestFor: RequestFor, flags: OperateFlags, io: IO, transports: TransportFactory, planning: PlanningFlags): Promise<number> {
  if (flags.apply) throw new InputError('--from plans from a dump and changes nothing: save the plan with --out and apply it with stsvol apply, which checks it against the live cluster');
  const { model } = await loadModel(flags, io, transports);
  const request = requestFor(flags.namespace ?? 'default');
  const made = await spec.plan(model, request, planning);
  const plan = { ...made.plan, request: request as unknown as JsonObject };
  if (flags.out !== undefined) await savePlan(flags.out, { plan, refusals: made.refusals, source: { type: 'offline', files: flags.from! } }, io);
  const header = `Plan from a dump: ${spec.name} ${plan.subject.kind.toLowerCase()}/${plan.subject.name} (not checked against a live API server: no journal, no dry run; stsvol apply checks every step live)`;
  return showAndRun({ plan, refusals: made.refusals, header, verb: 'execute', journal: async () => undefined, done: completed(plan), saved: flags.out, offline: true }, flags, io);
}

async function savePlan(path: string, p: { plan: Plan; refusals: Refusal[]; source: PlanSource }, io: IO): Promise<void> {
  await writePlanFile(path, { apiVersion: PLAN_FILE_VERSION, kind: 'Plan', createdAt: new Date(io.now()).toISOString(), ...p });
}

/** `stsvol apply FILE`: the saved plan, applied only if the same request planned against the live
 *  cluster now gives the same steps (as `terraform apply` of a saved plan refuses a changed state),
 *  and the API server's dry run admits it; a journal of the same request in progress is resumed. */
export async function applyPlan(path: string, flags: OperateFlags, io: IO, transports: TransportFactory): Promise<number> {
  const file = readPlanFile(path);
  const spec = OPERATIONS[file.plan.operation];
  if (!spec) throw new InputError(`${path}: a plan of an operation stsvol does not know (${file.plan.operation})`);
  const ctx = await operationContext(flags, transports, io);
  const request = file.plan.request as unknown as OperationRequest;
  spec.prepare?.(ctx.api);
  const journals = await visibleJournals(ctx, io);
  const resumable = journals.records.find((j) => j.plan.operation === spec.name && isDeepStrictEqual(normalised(j.plan.request), normalised(request)));
  const applying = { ...flags, apply: true };
  if (resumable) {
    return showAndRun({
      plan: resumable.plan, refusals: [], verb: 'resume', journal: () => Journal.resume(ctx.api, resumable, new Date(io.now())),
      header: `Resume ${spec.name} of ${resumable.plan.subject.kind.toLowerCase()}/${resumable.plan.subject.name} from journal ${resumable.namespace}/${resumable.name} (the plan of ${path} is in progress)`,
      done: completed(resumable.plan),
    }, applying, io, ctx);
  }
  const { snapshot } = await loadLive(ctx.reader, readsOf(spec, request));
  const today = file.createdAt.slice(0, 10).replaceAll('-', '');
  const now = await spec.plan(new ClusterModel(snapshot, io.now()), request, { prices: BUILT_IN_PRICES, today, api: ctx.api });
  const moved = movedSince(file.plan, now.plan);
  const refusals = [
    ...file.refusals, ...now.refusals,
    ...(moved ? [{ code: 'cluster-moved', message: `the cluster moved since the plan was made (${file.createdAt}): ${moved}; make a new plan` }] : []),
    ...conflicts(file.plan, journals),
  ];
  if (!refusals.length) refusals.push(...await serverDryRun(file.plan, ctx.api));
  const from = file.source.type === 'offline' ? `a dump (${file.source.files.join(', ')})` : `context ${file.source.context || '?'}`;
  return showAndRun({
    plan: file.plan, refusals, verb: 'apply', journal: () => createJournal(ctx.api, file.plan, io), done: completed(file.plan),
    header: `Apply ${path}: ${spec.name} ${file.plan.subject.kind.toLowerCase()}/${file.plan.subject.name}, planned ${file.createdAt} from ${from}; planned again now, the same`,
  }, applying, io, ctx);
}

/** The first difference between the saved plan and the one the cluster gives now, in words. */
function movedSince(saved: Plan, now: Plan): string | undefined {
  const [a, b] = [stepsOf(saved), stepsOf(now)];
  const i = a.findIndex((step, n) => step !== b[n]);
  if (i < 0) return a.length === b.length ? undefined : `it now has ${b.length} steps, the saved plan ${a.length}`;
  const [was, is] = [saved.steps[i], now.steps[i]];
  if (!is) return `it now has ${b.length} steps, the saved plan ${a.length}`;
  if (was!.id !== is.id) return `step ${i + 1} is now ${is.id}, not ${was!.id}`;
  return `step ${i + 1} (${was!.id}) now ${is.title.charAt(0).toLowerCase()}${is.title.slice(1)}, with other conditions or targets than saved`;
}

export interface Runnable {
  plan: Plan;
  refusals: Refusal[];
  header: string;
  /** What --apply will do, for the dry run's last line. */
  verb: string;
  /** The journal the run writes, made or taken over only once the user confirmed. */
  journal: () => Promise<Journal | undefined>;
  done: string;
  /** The file the plan was saved to (--out). */
  saved?: string;
  /** Planned from a dump: shown, never run. */
  offline?: boolean;
}

/** Shows a plan; with --apply (and a confirmation) runs it with progress, and says how it ended. */
export async function showAndRun(r: Runnable, flags: OperateFlags, io: IO, ctx?: OperateContext): Promise<number> {
  const { plan, refusals } = r;
  const waitMs = parseRequestTimeout(flags.timeout);
  const paint = painter(io.stdout, io.env);
  const json = flags.output !== 'text';
  const document = { type: 'plan', plan, refusals, resume: r.verb === 'resume', ...(r.offline ? { offline: true } : {}), ...(r.saved ? { saved: r.saved } : {}) };
  // With --apply, JSON lines (the plan, one event per step, the result), whichever -o asked for.
  if (flags.output === 'yaml' && !flags.apply) io.stdout.write(yamlText(document));
  else if (json) io.stdout.write(`${jsonText(document, flags.apply ? undefined : 2)}\n`);
  else writePlan(io.stdout, plan, refusals, paint, r.header);
  if (r.saved && !json) io.stdout.write(`\nSaved to ${r.saved}${refusals.length ? ', with its refusals' : ''}: stsvol apply ${r.saved} applies it once it finds the cluster has not moved.\n`);
  if (refusals.length) return EXIT.REFUSED;
  if (!flags.apply || !ctx) {
    const next = r.offline || r.saved ? '' : plan.steps.length ? ` Run again with --apply to ${r.verb} it.` : '';
    if (!json) io.stdout.write(`\nDry run: nothing was changed.${next}\n`);
    return EXIT.OK;
  }
  if (plan.steps.length === 0 && r.verb !== 'abandon') return EXIT.OK;
  if (!flags.yes && !(await confirmed(io, plan.steps.length ? `Apply these ${plan.steps.length} steps?` : `${r.verb[0]!.toUpperCase()}${r.verb.slice(1)} it?`))) {
    io.stderr.write('stsvol: not applied (answer y, or pass --yes)\n');
    return EXIT.REFUSED;
  }
  const journal = await r.journal();
  if (!journal) return EXIT.REFUSED;
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  const show = json ? (e: StepEvent) => io.stdout.write(`${jsonText(e)}\n`) : progressWriter(io.stderr.isTTY ? io.stderr : io.stdout, paint);
  try {
    const result = await execute(plan, {
      api: ctx.api, journal, onEvent: show, signal: abort.signal, waitMs, pollMs: 1000,
      now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    });
    if (json) io.stdout.write(`${jsonText({ type: 'result', ...result, journal: `${plan.namespace}/${journal.name}` })}\n`);
    if (result.status === 'done') {
      if (!json) {
        io.stdout.write(`Done: ${r.done}.\n`);
        for (const line of plan.afterwards) io.stdout.write(`  - ${line}\n`);
      }
      return EXIT.OK;
    }
    io.stderr.write(`stsvol: stopped at ${result.step}: ${firstLine(result.reason)}\nstsvol: the journal ${plan.namespace}/${journal.name} is kept: run the same command again to resume, or stsvol ops abandon ${plan.subject.kind.toLowerCase()}/${plan.subject.name} to give it up\n`);
    return EXIT.STOPPED;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

function normalised(request: object): unknown {
  return JSON.parse(JSON.stringify(request));
}

/** Another operation on the same subject, or on the same StatefulSet, is in progress; or a damaged
 *  journal holds the name this one needs. */
function conflicts(plan: Plan, journals: Journals): Refusal[] {
  const name = journalName(plan);
  const damaged = journals.damaged.filter((d) => d.name === name && d.namespace === plan.namespace).map((d) => ({ code: 'journal-damaged', message: damagedText(d) }));
  return [...damaged, ...journals.records
    .filter((j) => (j.name === name && j.namespace === plan.namespace) || (plan.subject.kind === 'StatefulSet' && j.plan.subject.kind === 'StatefulSet' && j.plan.subject.name === plan.subject.name && j.namespace === plan.namespace))
    .map((j) => ({ code: 'operation-in-progress', message: `${j.plan.operation} ${JSON.stringify(j.plan.request)} on ${j.plan.subject.kind.toLowerCase()}/${j.plan.subject.name} is in progress (journal ${j.namespace}/${j.name}, started ${j.state.startedAt}): run that command again to finish it first` }))];
}

/** Each patch and create of the plan, and the StatefulSet as it will be created again, sent with
 *  dryRun=All: admission (quota, expansion rules, validation, policies) answers before anything
 *  changes. */
async function serverDryRun(plan: Plan, api: KubeApi): Promise<Refusal[]> {
  const refusals: Refusal[] = [];
  let recreateChecked = false;
  for (const step of plan.steps) {
    const a = step.action;
    try {
      if (a.verb === 'patch') await api.mergePatch(a.target.kind, a.target.namespace, a.target.name, a.patch, true);
      if (a.verb === 'create') await api.create(a.manifest.kind, a.manifest.metadata.namespace, a.manifest, true);
      if (a.verb === 'recreate' && !recreateChecked) {
        recreateChecked = true;
        const live = await api.read(a.target);
        const refusal = live && await recreateRefusal(api, live, a.sizes);
        if (refusal) refusals.push({ code: 'not-recreatable', message: `${refusal}; nothing was changed, and the original is never deleted while its copy would be refused` });
      }
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

/** `stsvol ops abandon KIND/NAME`: the journal of that subject, shown, and given up without leaving
 *  pods orphaned (plans/abandon.ts). */
export async function abandon(arg: string, flags: OperateFlags, io: IO, ctx: OperateContext): Promise<number> {
  const slash = arg.indexOf('/');
  const kind = slash > 0 ? arg.slice(0, slash).toLowerCase() : '';
  const name = arg.slice(slash + 1);
  if (!kind || !name) throw new InputError(`${arg}: expected KIND/NAME, as stsvol ops lists it`);
  const journals = await visibleJournals(ctx, io);
  const found = journals.records.find((j) => j.plan.subject.kind.toLowerCase() === kind && j.plan.subject.name === name && (j.plan.subject.kind === 'Node' || j.plan.subject.kind === 'VolumeAttachment' || j.plan.subject.kind === 'Namespace' || j.namespace === ctx.namespace));
  if (!found) throw new InputError(`${arg}: no operation in progress on it in namespace ${ctx.namespace} (stsvol ops -A lists them)`);
  const saved = found.saved.StatefulSet as KubeObject | undefined;
  const plan = planAbandon({
    namespace: found.namespace, name: found.name, plan: found.plan, state: found.state,
    ...(saved ? { savedStatefulSet: { kind: 'StatefulSet', namespace: saved.metadata.namespace, name: saved.metadata.name } } : {}),
  });
  const done = Object.entries(found.state.steps).filter(([, s]) => s !== 'acting').length;
  plan.summary.push(`Its journal: started ${found.state.startedAt}, ${done} of ${found.plan.steps.length} steps done${found.state.stopped ? `, stopped: ${found.state.stopped}` : ''}.`);
  return showAndRun({
    plan, refusals: [], header: `Abandon: ${found.plan.operation} ${found.plan.subject.kind.toLowerCase()}/${found.plan.subject.name}`, verb: 'abandon',
    journal: () => Journal.resume(ctx.api, found, new Date(io.now())), done: `${found.plan.operation} of ${found.plan.subject.kind.toLowerCase()}/${found.plan.subject.name} abandoned; its journal is removed`,
  }, flags, io, ctx);
}
