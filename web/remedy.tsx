// A finding as doctor prints it: its message, its evidence, and its remedy in the same outline
// (src/checks/finding.ts remedyOutline: numbered steps, "only when" conditions, alternatives).

import { remedyOutline, type Finding } from '../src/checks/finding.ts';
import { Badge, Command } from './ui.tsx';

const refText = (r: { kind: string; namespace?: string; name: string }) => (r.kind === 'Cluster' ? 'the cluster' : `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`);

export function Remedy({ steps }: { steps: Finding['remediation'] }) {
  return (
    <div class="remedy">
      {remedyOutline(steps).map((line, i) => (
        <div key={i} class={`remedy-line depth-${line.depth}`} data-label={line.label ?? ''}>
          {line.kind === 'heading'
            ? <p class="remedy-heading">{line.label ? <span class="label">{line.label} </span> : null}{line.text}</p>
            : <>
                <p><span class="label">{line.label} </span><span class="step-text">{line.text}</span></p>
                {line.safeWhen ? <p class="only-when">only when: <span class="cond">{line.safeWhen}</span></p> : null}
                {line.command ? <Command text={line.command} /> : null}
              </>}
        </div>
      ))}
    </div>
  );
}

export function FindingCard({ f }: { f: Finding<string> }) {
  return (
    <article class={`finding h-${f.severity}`} data-check={f.check}>
      <h4><Badge health={f.severity} /> <span class="check">{f.check}</span> <span class="object">{refText(f.object)}</span></h4>
      <p class="message">{f.message}</p>
      {f.evidence.length ? (
        <ul class="evidence">
          {f.evidence.map((e, i) => <li key={i}>{e.time ? <time>{e.time} </time> : null}{refText(e.object)}: {e.text}</li>)}
        </ul>
      ) : null}
      <Remedy steps={f.remediation} />
    </article>
  );
}
