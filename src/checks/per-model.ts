// A fact computed once per model and shared by every check (and every StatefulSet) that reads it:
// an index, a coverage several checks judge. Checks stay pure functions of the model; this only
// keeps them from doing the same pass over 100,000 objects once per StatefulSet.

import type { ClusterModel } from '../model/cluster-model.ts';

export function perModel<T>(compute: (model: ClusterModel) => T): (model: ClusterModel) => T {
  const cache = new WeakMap<ClusterModel, T>();
  return (model) => {
    if (!cache.has(model)) cache.set(model, compute(model));
    return cache.get(model) as T;
  };
}

/** A fact per model and per object of it (a StatefulSet's coverage), computed the first time asked. */
export function perModelObject<K extends object, T>(compute: (model: ClusterModel, key: K) => T): (model: ClusterModel, key: K) => T {
  const byModel = perModel(() => new WeakMap<K, T>());
  return (model, key) => {
    const known = byModel(model);
    if (!known.has(key)) known.set(key, compute(model, key));
    return known.get(key) as T;
  };
}

/** Groups items by a key, in their order. */
export function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
