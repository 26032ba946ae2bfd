// StatefulSet template sync: once the claims of an opted-in StatefulSet grew, its claim template is
// brought to their size through the resize executor of `stsvol resize` (orphan delete and re-create
// from the journal's copy), so new replicas get the new size. The journal is the same one the CLI
// keeps: an operator killed half-way, or a leader change, resumes it instead of starting again.

import { execute } from '../executor/execute.ts';
import { apiFeatures } from '../executor/features.ts';
import { isDamaged, Journal, journalName, listJournals, readJournal, type JournalRecord } from '../executor/journal.ts';
import type { ClusterModel } from '../model/cluster-model.ts';
import { firstLine } from '../model/errors.ts';
import { templatesToSync, type TemplateSync } from '../plans/autoexpand/template-sync.ts';
import type { Plan } from '../plans/plan.ts';
import { helmFollowUp, isGitOpsManaged } from '../plans/owners.ts';
import { planResize } from '../plans/resize.ts';
import type { ActingDeps } from './acting.ts';
import { sleep } from './sleep.ts';

/** Marks the journals the operator started, so it resumes its own and leaves a person's alone. */
export const OPERATOR_ORIGIN = 'stsvol-operator';

export interface TemplateSyncDeps extends ActingDeps {
  /** The operator stops: a sync in progress stops between steps, its journal kept. */
  signal: AbortSignal;
}

/** A StatefulSet whose sync was refused is left alone this long before it is planned again, and
 *  the others go first meanwhile. */
const RETRY_REFUSED_MS = 10 * 60_000;

export class TemplateSyncer {
  private busy = false;
  private resumed = false;
  private running?: AbortController;
  private readonly refusedAt = new Map<string, number>();
  private readonly d: TemplateSyncDeps;

  constructor(deps: TemplateSyncDeps) {
    this.d = deps;
  }

  /** Starts at most one sync at a time, in the background: a re-create waits on controllers for
   *  seconds, and the checks and expansions go on meanwhile. */
  reconcile(model: ClusterModel): void {
    if (this.busy || !this.d.isLeader()) return;
    this.busy = true;
    this.next(model).catch((err: unknown) => this.d.log('error', 'template sync failed', { error: firstLine(err) })).finally(() => {
      this.busy = false;
    });
  }

  /** A sync must not go on under a leader that is no longer one: it stops between steps, and the
   *  next leader resumes its journal. */
  leadershipLost(): void {
    this.resumed = false;
    this.running?.abort();
  }

  private async next(model: ClusterModel): Promise<void> {
    if (!this.resumed) {
      // A new leader first finishes what a previous one (or this one, before a crash) began.
      const listed = await listJournals(this.d.api, undefined);
      for (const d of listed.damaged) this.d.log('warn', 'damaged journal left alone', { journal: `${d.namespace}/${d.name}`, problem: d.problem });
      const journals = listed.records.filter((j) => j.plan.request.by === OPERATOR_ORIGIN);
      for (const j of journals) await this.run(j.plan, j);
      this.resumed = true;
    }
    const now = Date.now();
    const sync = templatesToSync(model).find((t) => now - (this.refusedAt.get(t.statefulSet.metadata.uid ?? '') ?? -Infinity) >= RETRY_REFUSED_MS);
    if (sync) await this.start(model, sync);
  }

  private async start(model: ClusterModel, sync: TemplateSync): Promise<void> {
    const sts = sync.statefulSet;
    const namespace = sts.metadata.namespace ?? '';
    const { plan, refusals } = planResize(model, { namespace, statefulSet: sts.metadata.name, to: sync.to, template: sync.template }, await apiFeatures(this.d.api));
    const object = { kind: 'StatefulSet', namespace, name: sts.metadata.name, uid: sts.metadata.uid, apiVersion: 'apps/v1' };
    // Argo CD or Flux would put the old template back the moment the re-created object appears; a
    // person pauses them, the operator cannot.
    if (isGitOpsManaged(sts)) refusals.unshift({ code: 'gitops-managed', message: `${plan.warnings.join(' ')} The operator does not re-create what a GitOps tool manages: set "${sync.template}" to ${sync.to} in the source instead` });
    if (refusals.length) {
      this.refusedAt.set(sts.metadata.uid ?? '', Date.now());
      this.d.metrics.templateSyncs.inc({ namespace, result: 'refused' });
      const helm = helmFollowUp(sts, [{ template: sync.template, storage: sync.to }]);
      await this.d.record({ object, type: 'Warning', reason: 'TemplateSyncRefused', message: `claim template ${sync.template} stays behind its claims (${sync.to}): ${[...refusals.map((r) => r.message), ...helm].join('; ')}` });
      return;
    }
    const existing = await readJournal(this.d.api, namespace, journalName(plan));
    if (isDamaged(existing)) return void this.d.log('warn', 'damaged journal left alone', { journal: `${existing.namespace}/${existing.name}`, problem: existing.problem });
    await this.run({ ...plan, request: { ...plan.request, by: OPERATOR_ORIGIN } }, existing);
  }

  private async run(plan: Plan, existing: JournalRecord | undefined): Promise<void> {
    if (existing && existing.plan.request.by !== OPERATOR_ORIGIN) return; // a person's operation
    if (!this.d.isLeader()) return;
    const now = new Date();
    const journal = existing ? await Journal.resume(this.d.api, existing, now) : await Journal.create(this.d.api, plan, now);
    const subject = `${plan.namespace}/${plan.subject.name}`;
    const object = { kind: 'StatefulSet', namespace: plan.namespace, name: plan.subject.name, apiVersion: 'apps/v1' };
    this.running = new AbortController();
    const signal = AbortSignal.any([this.running.signal, this.d.signal]);
    const result = await execute(journal.plan, {
      api: this.d.api, journal, signal, waitMs: 10 * 60_000, pollMs: 1000, now: Date.now, sleep: (ms) => sleep(ms, signal),
      mayAct: () => (this.d.isLeader() ? undefined : 'this replica is no longer the leader; the next one resumes the journal'),
      onEvent: (e) => this.d.log('info', 'template sync step', { statefulSet: subject, step: e.id, phase: e.phase, detail: e.detail }),
    });
    this.running = undefined;
    this.d.metrics.templateSyncs.inc({ namespace: plan.namespace, result: result.status });
    if (result.status === 'done') {
      // The Helm follow-up first: without it the release's next upgrade fails with "spec: Forbidden".
      await this.d.record({ object, type: 'Normal', reason: 'TemplateSynced', message: `claim template follows its claims (${plan.summary[0] ?? ''}). ${plan.afterwards.join(' ')}`.slice(0, 1000) });
    } else {
      await this.d.record({ object, type: 'Warning', reason: 'TemplateSyncStopped', message: `stopped at ${result.step}: ${result.reason}; journal ${plan.namespace}/${journal.name} kept, resumed on the next evaluation` });
      this.resumed = false;
    }
  }
}
