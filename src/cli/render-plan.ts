// A plan on a terminal: what will happen, the steps with their kubectl equivalent, conditions and
// undo, what refuses it; and the progress of a run, one live line per step on a terminal and plain
// lines elsewhere. Text from the cluster goes through safeText like every other output.

import type { StepEvent } from '../executor/execute.ts';
import { expectationText, kubectlFor } from '../plans/describe.ts';
import type { CostEstimate, Plan, Refusal } from '../plans/plan.ts';
import type { Output, Paint } from './io.ts';
import { safeText } from '../model/safe-text.ts';

export function writePlan(out: Output, plan: Plan, refusals: Refusal[], paint: Paint, header: string): void {
  // The text is escaped first, then coloured: colour codes are stsvol's own, never the cluster's.
  const w = (line = '', ...styles: Style[]) => out.write(`${styles.reduce((text, style) => paint(style, text), safeText(line))}\n`);
  w(header, 'bold');
  for (const line of plan.summary) w(`  ${line}`);
  const priced = (title: string, cost: CostEstimate | undefined) => {
    if (!cost?.lines.length) return;
    w(`${title} (per month, ${cost.currency}, ${cost.source}):`, 'bold');
    for (const l of cost.lines) w(`  ${l.monthly !== undefined ? l.monthly.toFixed(2).padStart(9) : '        ?'}  ${l.what}`);
    w(`  ${cost.monthly.toFixed(2).padStart(9)}  total`);
  };
  priced('Cost', plan.cost);
  priced('Parked, kept', plan.parked);
  for (const warning of plan.warnings) w(`  ! ${warning}`, 'yellow');
  if (plan.steps.length) w('Steps:', 'bold');
  plan.steps.forEach((step, i) => {
    w(`  ${String(i + 1).padStart(2)}. ${step.title}`);
    const command = kubectlFor(step.action);
    if (command) w(`          ${command}`, 'dim');
    if (step.when) w(`        only if: ${expectationText(step.when)}`);
    for (const r of step.requires) w(`        requires: ${expectationText(r)}`);
    if (step.until) w(`        done when: ${expectationText(step.until)}`);
    w(`        undo: ${step.undo}`, 'dim');
  });
  if (plan.afterwards.length) {
    w('Afterwards:', 'bold');
    for (const line of plan.afterwards) w(`  - ${line}`);
  }
  if (refusals.length) {
    w('Refused:', 'bold', 'red');
    for (const r of refusals) w(`  ✗ ${r.message} [${r.code}]`, 'red');
  }
}

type Style = Parameters<Paint>[0];

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;

/** Progress: on a terminal the current step's line is rewritten while it waits. */
export function progressWriter(out: Output, paint: Paint): (e: StepEvent) => void {
  let live = false;
  return (e) => {
    const head = `[${e.index}/${e.total}] ${e.title}`;
    if (e.phase === 'waiting' || e.phase === 'running') {
      if (!out.isTTY) {
        if (e.phase === 'running') out.write(`${safeText(head)} …\n`);
        return;
      }
      out.write(`\r\x1b[K${safeText(`${head} — ${e.phase === 'running' ? 'working' : e.detail ?? 'waiting'} (${seconds(e.elapsedMs)})`)}`);
      live = true;
      return;
    }
    if (live) out.write('\r\x1b[K');
    live = false;
    const mark = e.phase === 'done' ? paint('green', '✓') : e.phase === 'skipped' ? paint('dim', '-') : paint('red', '✗');
    out.write(`${mark} ${safeText(`${head}${e.detail ? ` (${e.detail})` : ''} ${seconds(e.elapsedMs)}`)}\n`);
  };
}
