// Operations in progress, from their journals: each step of the plan and how far it got.

import type { OperationView } from '../src/dashboard/types.ts';
import { stsHref } from './ui.tsx';

const MARK = { done: '✓', acting: '▶', skipped: '–', pending: '○' } as const;

export function Operations({ operations }: { operations: OperationView[] }) {
  if (!operations.length) return <p class="muted">No operation in progress.</p>;
  return (
    <div class="operations">
      {operations.map((o) => (
        <article key={`${o.namespace}/${o.name}`} class="operation" data-journal={`${o.namespace}/${o.name}`}>
          <h4>{o.damaged ? `journal ${o.namespace}/${o.name}` : `${o.operation} ${o.subject} in ${o.namespace}`}
            {o.statefulSet ? <> · <a href={stsHref(o.statefulSet)}>its StatefulSet</a></> : null}</h4>
          {o.damaged
            ? <p class="h-critical">damaged, left alone: {o.damaged}</p>
            : <>
                <p class="muted">started {o.startedAt}, last step {o.updatedAt}{o.holder ? `, run by ${o.holder}` : ''}</p>
                {o.stopped ? <p class="stopped">stopped: {o.stopped} (the same command resumes it)</p> : null}
                <ol class="steps">
                  {o.steps.map((s) => <li key={s.id} class={`step s-${s.state}`} data-step={s.id} data-state={s.state}><span aria-hidden="true">{MARK[s.state]}</span> <span class="state">{s.state}</span> {s.title}</li>)}
                </ol>
              </>}
        </article>
      ))}
    </div>
  );
}
