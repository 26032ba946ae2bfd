// `stsvol ops abandon KIND/NAME`: give up an operation that will not be finished, without leaving its
// pods orphaned. An operation stopped between its orphan delete and the re-create leaves the pods
// running with no StatefulSet: nothing restarts them, nothing replaces one that dies. Abandoning it
// creates the StatefulSet again exactly as the journal saved it (the claim templates as they were;
// doctor then reports a template behind grown claims, which `stsvol resize` finishes), and only
// then removes the journal.

import type { Plan, Step, Target } from './plan.ts';

export interface AbandonedJournal {
  namespace: string;
  name: string;
  plan: Plan;
  /** Each step's state, and the steps that acted in order (journal.ts JournalState). */
  state: { steps: Record<string, string>; acted?: string[] };
  /** The journal holds the StatefulSet as it was before an orphan delete. */
  savedStatefulSet?: Target;
}

/** The operation's own orphan delete acted and no re-create was done after it: the StatefulSet is
 *  away because of this operation. One missing for any other reason (its owner deleted it on
 *  purpose) is not created again. */
function leftAway(j: AbandonedJournal): boolean {
  let away = false;
  for (const step of j.plan.steps) {
    if (step.action.verb === 'delete' && step.action.orphan && j.state.acted?.includes(step.id)) away = true;
    if (step.action.verb === 'recreate' && j.state.steps[step.id] === 'done') away = false;
  }
  return away;
}

export function planAbandon(j: AbandonedJournal): Plan {
  const steps: Step[] = [];
  const sts = leftAway(j) ? j.savedStatefulSet : undefined;
  if (sts) {
    const target: Target = { kind: 'StatefulSet', namespace: sts.namespace, name: sts.name };
    steps.push({
      id: 'abandon:recreate', title: `Create statefulset ${sts.name} again from the journal, as it was, if it is missing`,
      action: { verb: 'recreate', target, sizes: [] }, when: { type: 'gone', target },
      requires: [{ type: 'statefulset-recreatable', sts: target, sizes: [] }],
      until: { type: 'statefulset-template', sts: target, sizes: [] },
      undo: 'nothing to undo: it is the StatefulSet as it was before the operation',
    });
  }
  return {
    operation: j.plan.operation, subject: j.plan.subject, namespace: j.namespace, request: j.plan.request,
    summary: [
      `Abandon ${j.plan.operation} of ${j.plan.subject.kind.toLowerCase()}/${j.plan.subject.name} (journal ${j.namespace}/${j.name}): ${j.plan.summary[0] ?? ''}`,
      sts ? `The operation orphan-deleted statefulset ${sts.name} and has not created it again: if it is missing it is created from the journal, as it was, so its pods have their controller back.` : 'The operation left no StatefulSet away: nothing is created.',
      'Then the journal is removed. What the operation changed stays changed (claims it grew stay grown).',
    ],
    warnings: [], afterwards: sts ? [`Run stsvol doctor: a claim template left behind grown claims shows as sts-template-drift; stsvol resize finishes it.`] : [], steps,
  };
}
