// Naming what a plan touches, and the facts about replicas every planner asks.

import type { ClusterModel } from '../model/cluster-model.ts';
import { InputError } from '../model/errors.ts';
import type { KubeObject, StatefulSet } from '../model/types.ts';
import { replicasOf } from '../model/ordinals.ts';
import type { Expectation, Target, TargetKind } from './plan.ts';

export function targetOf(kind: TargetKind, obj: KubeObject): Target {
  return { kind, namespace: obj.metadata.namespace, name: obj.metadata.name, ...(obj.metadata.uid ? { uid: obj.metadata.uid } : {}) };
}

/** The same object by name only: for an object the plan replaces (a pod the controller re-creates). */
export function byName(t: Target): Target {
  return { kind: t.kind, namespace: t.namespace, name: t.name };
}

export function statefulSetNamed(model: ClusterModel, namespace: string, name: string): StatefulSet {
  const sts = model.statefulSets.get(namespace, name);
  if (!sts) throw new InputError(`statefulset/${name}: not found in namespace ${namespace}`);
  return sts;
}

/** Someone scaling or editing the StatefulSet mid-way changes its replicas or generation: a step
 *  carrying this guard stops the run instead of acting on a plan made for another object. */
export function unchangedGuard(sts: StatefulSet): Expectation {
  const generation = sts.metadata.generation;
  return { type: 'statefulset-unchanged', sts: targetOf('StatefulSet', sts), replicas: replicasOf(sts), ...(generation !== undefined ? { generation } : {}) };
}

/** Ready and not terminating; reads only these fields, so the executor asks it of live objects too. */
export function isPodReady(pod: { metadata?: { deletionTimestamp?: string | null }; status?: { conditions?: { type: string; status: string }[] } } | undefined): boolean {
  return Boolean(pod) && !pod!.metadata?.deletionTimestamp && (pod!.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);
}

/** "statefulset/web" or "web" → "web"; another resource → an input error naming it. */
export function nameOf(arg: string, resource: string, aliases: string[] = []): string {
  const slash = arg.indexOf('/');
  if (slash < 0) return arg;
  const kind = arg.slice(0, slash).toLowerCase();
  if (kind !== resource && !aliases.includes(kind)) throw new InputError(`${arg}: expected ${resource}/NAME`);
  const name = arg.slice(slash + 1);
  if (!name) throw new InputError(`${arg}: no name after the slash`);
  return name;
}
