// Journals as the page shows them: each step of the plan with its state. The journal records only
// steps that started ('acting'), finished or were skipped; every other step of the plan is pending.

import { isDamaged, type DamagedJournal, type JournalRecord } from '../executor/journal.ts';
import type { OperationView } from './types.ts';

export function operationView(j: JournalRecord | DamagedJournal): OperationView {
  if (isDamaged(j)) return { name: j.name, namespace: j.namespace, steps: [], damaged: j.problem };
  const { plan, state } = j;
  return {
    name: j.name,
    namespace: j.namespace,
    operation: plan.operation,
    subject: `${plan.subject.kind.toLowerCase()}/${plan.subject.name}`,
    ...(plan.subject.kind === 'StatefulSet' ? { statefulSet: `${plan.namespace}/${plan.subject.name}` } : {}),
    startedAt: state.startedAt,
    updatedAt: state.updatedAt,
    ...(state.stopped ? { stopped: state.stopped } : {}),
    ...(j.holder ? { holder: j.holder } : {}),
    steps: plan.steps.map((s) => ({ id: s.id, title: s.title, state: state.steps[s.id] ?? 'pending' })),
  };
}

/** Newest first: what moved last is what the reader is watching. */
export function operationViews(journals: readonly (JournalRecord | DamagedJournal)[]): OperationView[] {
  return journals.map(operationView).sort((a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? '') || a.name.localeCompare(b.name));
}
