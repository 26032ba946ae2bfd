// Evidence quoted the same way by every check, so the terminal and JSON read alike across checks.

import { refOf, type ClusterModel } from '../model/cluster-model.ts';
import { newestFirst } from '../model/time.ts';
import type { ClusterEvent, Condition, KubeObject, ObjectRef } from '../model/types.ts';
import { EVENT_CURRENCY } from './thresholds.ts';
import type { Evidence } from './finding.ts';

export function eventEvidence(e: ClusterEvent): Evidence {
  const count = e.count > 1 ? ` (x${e.count})` : '';
  const by = e.reporter ? ` [${e.reporter}]` : '';
  const ref: ObjectRef = e.regarding.namespace
    ? { kind: e.regarding.kind, namespace: e.regarding.namespace, name: e.regarding.name }
    : { kind: e.regarding.kind, name: e.regarding.name };
  return { type: 'event', object: ref, text: `${e.type} ${e.reason}${count}${by}: ${e.message}`, time: e.lastTime };
}

export function conditionEvidence(obj: KubeObject, c: Condition): Evidence {
  const why = [c.reason, c.message].filter(Boolean).join(': ');
  return { type: 'condition', object: refOf(obj), text: `${c.type}=${c.status}${why ? ` (${why})` : ''}`, time: c.lastTransitionTime };
}

export function fieldEvidence(obj: KubeObject, text: string, time?: string): Evidence {
  return time ? { type: 'field', object: refOf(obj), text, time } : { type: 'field', object: refOf(obj), text };
}

/** The newest events matching a test, newest first (as instants), at most `limit` (a finding
 *  quotes, it does not dump). */
export function newestEvents(events: ClusterEvent[], test: (e: ClusterEvent) => boolean, limit = 3): ClusterEvent[] {
  return events.filter(test).sort((a, b) => newestFirst(a.lastTime, b.lastTime)).slice(0, limit);
}

/** The newest event of all, as an instant. */
export function newestEvent(events: ClusterEvent[]): ClusterEvent | undefined {
  return newestEvents(events, () => true, 1)[0];
}

/** An event still describing the present: seen within EVENT_CURRENCY of now. */
export function isCurrent(model: ClusterModel, e: ClusterEvent): boolean {
  const age = model.since(e.lastTime);
  return age !== undefined && age < EVENT_CURRENCY;
}
