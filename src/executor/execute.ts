// Runs a plan, step by step, against the live cluster. For each step: skip it if it does not apply or
// is done already (which is how a resumed run passes what a killed one finished), check its
// preconditions right now, journal that it is acting, act, and wait until its outcome holds. Anything
// unexpected stops the run between steps with the journal kept; the same command resumes it.

import { ClusterError, firstLine } from '../model/errors.ts';
import { expectationText } from '../plans/describe.ts';
import type { Action, Expectation, Plan, Step } from '../plans/plan.ts';
import { ApiError, type KubeApi } from '../model/kube-api.ts';
import { perform, type Outcome } from './actions.ts';
import { judge, type Verdict } from './expectations.ts';
import type { Journal, StepState } from './journal.ts';

export type StepPhase = 'running' | 'waiting' | 'done' | 'skipped' | 'stopped';

export interface StepEvent {
  type: 'step';
  index: number;
  total: number;
  id: string;
  title: string;
  phase: StepPhase;
  detail?: string;
  elapsedMs: number;
}

export type RunResult = { status: 'done' } | { status: 'stopped'; step?: string; reason: string };

export interface ExecuteOptions {
  api: KubeApi;
  journal: Journal;
  onEvent: (e: StepEvent) => void;
  /** Aborted by Ctrl-C: the run stops between steps (and in waits), the journal kept. */
  signal?: AbortSignal;
  /** Asked before every step: a reason to stop now (the operator lost its leadership), or undefined. */
  mayAct?: () => string | undefined;
  /** Longest wait for a step's outcome when the step does not say. */
  waitMs: number;
  pollMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** A step cannot go on: the reason is for the user. */
class Stop extends Error {}

/** Writes that conflict with a concurrent change are judged again this many times. */
const CONFLICT_RETRIES = 5;

export async function execute(plan: Plan, o: ExecuteOptions): Promise<RunResult> {
  const total = plan.steps.length;
  // The journal keys state by step id: two steps of one id would share it, and the second be skipped as done.
  const repeated = plan.steps.find((s, i) => plan.steps.findIndex((t) => t.id === s.id) !== i);
  if (repeated) throw new Error(`the plan has two steps ${repeated.id}: it is not run`);
  for (const [i, step] of plan.steps.entries()) {
    const began = o.now();
    const emit = (phase: StepPhase, detail?: string) => o.onEvent({ type: 'step', index: i + 1, total, id: step.id, title: step.title, phase, ...(detail ? { detail } : {}), elapsedMs: o.now() - began });
    if (o.signal?.aborted) return stop(o, step, 'interrupted', emit);
    const forbidden = o.mayAct?.();
    if (forbidden) return stop(o, step, forbidden, emit);
    try {
      const state = o.journal.stateOf(step.id);
      if (state === 'done' || state === 'skipped') {
        emit(state, 'recorded in the journal');
        continue;
      }
      await runStep(step, o, emit, state === 'acting');
    } catch (err) {
      if (err instanceof Stop || err instanceof ClusterError || err instanceof ApiError) return stop(o, step, err.message, emit);
      throw err;
    }
  }
  await o.journal.remove();
  return { status: 'done' };
}

async function stop(o: ExecuteOptions, step: Step, reason: string, emit: (p: StepPhase, d?: string) => void): Promise<RunResult> {
  emit('stopped', reason);
  try {
    await o.journal.stopped(`${step.id}: ${reason}`, new Date(o.now()));
  } catch {
    // The journal keeps its last state; the stop message says enough.
  }
  return { status: 'stopped', step: step.id, reason };
}

async function runStep(step: Step, o: ExecuteOptions, emit: (p: StepPhase, d?: string) => void, resumed: boolean): Promise<void> {
  const now = () => new Date(o.now());
  // A step that only waits changes nothing: judged again on resume, it needs no journal write. A
  // step that acts is journaled done or skipped, so a resumed run never takes it again when its
  // `when` holds later for another reason (the StatefulSet away for another replica).
  const mark = step.action.verb === 'none' ? async () => undefined : (state: StepState) => o.journal.mark(step.id, state, now());
  if (step.when && !(await judge(step.when, o.api, o.now(), o.journal)).holds) {
    await mark('skipped');
    emit('skipped', `not needed: ${expectationText(step.when)} does not hold`);
    return;
  }
  if (step.until && (await judge(step.until, o.api, o.now(), o.journal)).holds) {
    await mark('done');
    emit('done', resumed ? 'found done on resume' : 'already so');
    return;
  }
  emit('running');
  const blocked = (await act(step, o, now)) === 'blocked';
  if (step.until) await waitFor(step, o, emit, blocked);
  await mark('done');
  emit('done');
}

async function act(step: Step, o: ExecuteOptions, now: () => Date): Promise<Outcome> {
  for (let attempt = 0; ; attempt++) {
    let pinned: string | undefined;
    for (const requirement of step.requires) {
      const verdict = await judge(requirement, o.api, o.now(), o.journal);
      if (!verdict.holds) throw new Stop(`${expectationText(requirement)}: no (${verdict.detail ?? 'it does not hold'})`);
      if (verdict.resourceVersion && isAbout(requirement, step.action)) pinned = verdict.resourceVersion;
    }
    if (attempt === 0 && step.action.verb !== 'none') await o.journal.mark(step.id, 'acting', now());
    try {
      const outcome = await perform(step.action, o.api, o.journal, now(), pinned);
      if (outcome === 'done' || outcome === 'blocked') return outcome;
      // 'changed': the object is not the planned one any more; whether that means done is the outcome's call.
      if (step.until && (await judge(step.until, o.api, o.now(), o.journal)).holds) return 'done';
      throw new Stop(`${step.title}: the object changed since the plan was made`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && attempt < CONFLICT_RETRIES) continue;
      if (err instanceof ApiError) throw new Stop(`${step.title}: ${firstLine(err)}`);
      throw err;
    }
  }
}

/** A requirement judged on the very object the action writes: the volume a binder may bind, the
 *  StatefulSet whose guard read it unchanged. */
function isAbout(e: Expectation, action: Action): boolean {
  const subject = e.type === 'volume-open' || e.type === 'volume-released' ? e.volume : e.type === 'statefulset-unchanged' ? e.sts : undefined;
  const target = 'target' in action ? action.target : undefined;
  return Boolean(subject && target) && subject!.kind === target!.kind && subject!.name === target!.name && subject!.namespace === target!.namespace;
}

/** The first look after acting comes soon (most controllers answer within a fraction of a second);
 *  the interval then doubles up to pollMs, so a long wait costs no more requests than before. */
const FIRST_POLL_MS = 50;

async function waitFor(step: Step, o: ExecuteOptions, emit: (p: StepPhase, d?: string) => void, blocked: boolean): Promise<void> {
  const deadline = o.now() + (step.waitSeconds !== undefined ? step.waitSeconds * 1000 : o.waitMs);
  let verdict: Verdict = await judge(step.until!, o.api, o.now(), o.journal);
  for (let poll = Math.min(FIRST_POLL_MS, o.pollMs); !verdict.holds; poll = Math.min(o.pollMs, poll * 2)) {
    if (verdict.failed) throw new Stop(`${expectationText(step.until!)}: ${verdict.detail}`);
    if (o.now() >= deadline) throw new Stop(`gave up waiting: ${expectationText(step.until!)} (${verdict.detail ?? 'not yet'})`);
    if (o.signal?.aborted) throw new Stop('interrupted while waiting');
    emit('waiting', verdict.detail);
    await o.sleep(poll);
    // An eviction a PodDisruptionBudget refused is asked for again while waiting.
    if (blocked) blocked = (await perform(step.action, o.api, o.journal, new Date(o.now()))) === 'blocked';
    verdict = await judge(step.until!, o.api, o.now(), o.journal);
  }
}
