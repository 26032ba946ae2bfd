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
  /** The journal holds the StatefulSet as it was before an orphan delete. */
  savedStatefulSet?: Target;
}

export function planAbandon(j: AbandonedJournal): Plan {
  const steps: Step[] = [];
  const sts = j.savedStatefulSet;
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
      sts ? `The journal holds statefulset ${sts.name} as it was before its orphan delete: if it is missing it is created again, so its pods have their controller back.` : 'The journal holds no StatefulSet: nothing is created.',
      'Then the journal is removed. What the operation changed stays changed (claims it grew stay grown).',
    ],
    warnings: [], afterwards: sts ? [`Run stsvol doctor: a claim template left behind grown claims shows as sts-template-drift; stsvol resize finishes it.`] : [], steps,
  };
}
