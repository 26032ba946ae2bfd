// What a check reports. This shape is the public JSON contract of `stsvol doctor -o json`
// (docs/json-schema.md): add fields, never rename or remove them.

import type { ObjectRef } from '../model/types.ts';
import type { CheckId } from './catalog.ts';

export type Severity = 'critical' | 'warning' | 'info';

export const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** A quoted fact: an event, a condition or a field, with the object it was read from. */
export interface Evidence {
  type: 'event' | 'condition' | 'field';
  object: ObjectRef;
  text: string;
  time?: string;
}

/** One remedy step, in the order given. `safeWhen` is the condition that must hold before running it. */
export interface RemediationStep {
  text: string;
  command?: string;
  safeWhen?: string;
  /** When a remedy offers alternatives ("either … or …"), the name of the one this step belongs to,
   *  the same on each of its steps. Steps without it come first and are done whichever is taken. */
  way?: string;
}

/** One alternative of a remedy: its steps are a sequence. */
export interface Way {
  title: string;
  steps: RemediationStep[];
}

/** A remedy as data: `first` is done whichever way is taken, then exactly one of `ways`. A single
 *  way is no alternative: its steps simply follow. */
export function remedy(first: RemediationStep[], ...ways: Way[]): RemediationStep[] {
  if (ways.length <= 1) return [...first, ...(ways[0]?.steps ?? [])];
  return [...first, ...ways.flatMap((w) => w.steps.map((s) => ({ ...s, way: w.title })))];
}

/** The parts of a remedy, in order: the steps done first, then its alternatives. */
export function remedyParts(steps: readonly RemediationStep[]): { first: RemediationStep[]; ways: Way[] } {
  const first = steps.filter((s) => !s.way);
  const ways: Way[] = [];
  for (const s of steps) {
    if (!s.way) continue;
    const last = ways.at(-1);
    if (last?.title === s.way) last.steps.push(s);
    else ways.push({ title: s.way, steps: [s] });
  }
  return { first, ways };
}

/** A remedy as it is read, one line of its outline: "1." a step, "A." an alternative (a heading
 *  when it has several steps, "A1." "A2." below it), and the line that introduces the alternatives.
 *  Every output draws this same outline (the text report, the dashboard). */
export type RemedyLine =
  | { kind: 'step'; label: string; depth: 0 | 1; text: string; safeWhen?: string; command?: string }
  | { kind: 'heading'; label?: string; depth: 0; text: string };

export function remedyOutline(steps: readonly RemediationStep[]): RemedyLine[] {
  const { first, ways } = remedyParts(steps);
  const step = (label: string, s: RemediationStep, depth: 0 | 1, text = s.text): RemedyLine =>
    ({ kind: 'step', label, depth, text, ...(s.safeWhen ? { safeWhen: s.safeWhen } : {}), ...(s.command ? { command: s.command } : {}) });
  const lines = first.map((s, i) => step(`${i + 1}.`, s, 0));
  if (!ways.length) return lines;
  lines.push({ kind: 'heading', depth: 0, text: `${first.length ? 'Then one' : 'One'} of these ${ways.length} ways, not more than one:` });
  ways.forEach((way, w) => {
    const letter = String.fromCharCode(65 + w);
    if (way.steps.length === 1) return void lines.push(step(`${letter}.`, way.steps[0]!, 0, `${way.title}: ${way.steps[0]!.text}`));
    lines.push({ kind: 'heading', label: `${letter}.`, depth: 0, text: `${way.title}:` });
    way.steps.forEach((s, i) => lines.push(step(`${letter}${i + 1}.`, s, 1)));
  });
  return lines;
}

export interface Finding<C extends string = CheckId> {
  check: C;
  severity: Severity;
  object: ObjectRef;
  /** The root cause several findings may share (a lost node, a quota, a class): how reports group
   *  them into one incident. Absent when the finding is its own cause. */
  cause?: ObjectRef;
  /** The StatefulSet (or namespace, or the cluster) the finding belongs to: how reports group it. */
  workload: ObjectRef;
  related: ObjectRef[];
  message: string;
  evidence: Evidence[];
  remediation: RemediationStep[];
}
