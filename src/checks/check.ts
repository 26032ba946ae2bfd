// A check reads the model and returns findings; it changes nothing and keeps no state, so it is
// tested with plain objects and runs the same live and offline.
//
// Checks judge one object at a time through `each`: should a check still throw on some object that
// admission let through, that object becomes a CheckFailure (a notice naming the check and the
// object) and every other object is judged as usual; one bad pod never costs the whole report.

import { refOf, type ClusterModel } from '../model/cluster-model.ts';
import type { KubeObject, ObjectRef } from '../model/types.ts';
import { CATALOG, type CheckId } from './catalog.ts';
import type { Evidence, Finding, RemediationStep, Severity } from './finding.ts';
import { workloadOf } from './workload-of.ts';

/** A check that threw: on one object, or (object undefined) outside any object. */
export interface CheckFailure<C extends string = CheckId> {
  check: C;
  object?: ObjectRef;
  error: unknown;
}

/** The scope of one check of a catalog (doctor's, or audit's): its model, its id, the default
 *  severity of its findings, and the failures it met. */
export class CheckScope<C extends string = CheckId> {
  readonly model: ClusterModel;
  readonly check: C;
  readonly failures: CheckFailure<C>[] = [];
  private readonly severity: Severity;

  constructor(model: ClusterModel, check: C, severity: Severity = CATALOG[check as unknown as CheckId].severity) {
    this.model = model;
    this.check = check;
    this.severity = severity;
  }

  /** Judges each object; `name` says which object an item is when it is not one itself. */
  each<T>(items: Iterable<T>, judge: (item: T) => Finding<C> | Finding<C>[] | undefined | void, name: (item: T) => ObjectRef = (item) => refOf(item as KubeObject)): Finding<C>[] {
    const findings: Finding<C>[] = [];
    for (const item of items) {
      try {
        const found = judge(item);
        if (Array.isArray(found)) for (const f of found) findings.push(f);
        else if (found) findings.push(found);
      } catch (error) {
        this.failures.push({ check: this.check, object: safeName(name, item), error });
      }
    }
    return findings;
  }

  /** A finding of this check, grouped under the workload it belongs to. */
  raise(draft: FindingDraft): Finding<C> {
    const related = dedupeRefs(draft.related ?? []).filter((r) => !sameRef(r, draft.object));
    return {
      check: this.check,
      severity: draft.severity ?? this.severity,
      object: draft.object,
      ...(draft.cause ? { cause: draft.cause } : {}),
      workload: workloadOf(this.model, { object: draft.object, related }),
      related,
      message: draft.message,
      evidence: draft.evidence ?? [],
      remediation: draft.remediation ?? [],
    };
  }
}

function safeName<T>(name: (item: T) => ObjectRef, item: T): ObjectRef | undefined {
  try {
    return name(item);
  } catch {
    return undefined;
  }
}

export interface Check<C extends string = CheckId> {
  id: C;
  run(scope: CheckScope<C>): Finding<C>[];
}

export interface FindingDraft {
  object: ObjectRef;
  /** The root cause other findings may share (finding.ts). */
  cause?: ObjectRef;
  related?: ObjectRef[];
  message: string;
  evidence?: Evidence[];
  remediation?: RemediationStep[];
  /** Only where the catalog documents when this check is raised above or below its default. */
  severity?: Severity;
}

export function sameRef(a: ObjectRef, b: ObjectRef): boolean {
  return a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');
}

function dedupeRefs(refs: ObjectRef[]): ObjectRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const key = `${r.kind}/${r.namespace ?? ''}/${r.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
