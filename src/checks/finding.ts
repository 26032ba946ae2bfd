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
}

export interface Finding {
  check: CheckId;
  severity: Severity;
  object: ObjectRef;
  /** The StatefulSet (or namespace, or the cluster) the finding belongs to: how reports group it. */
  workload: ObjectRef;
  related: ObjectRef[];
  message: string;
  evidence: Evidence[];
  remediation: RemediationStep[];
}
