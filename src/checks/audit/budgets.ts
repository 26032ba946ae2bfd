// The PodDisruptionBudgets that select a StatefulSet's pods (policy/v1: an empty selector selects
// every pod of its namespace), read by no-pdb and pdb-blocks-drain.

import type { ClusterModel } from '../../model/cluster-model.ts';
import { selects } from '../../model/label-selector.ts';
import type { PodDisruptionBudget, StatefulSet } from '../../model/types.ts';
import { perModel, perModelObject } from '../per-model.ts';

interface NamespaceBudgets {
  /** By the first matchLabels pair ("key=value"): a budget can only select pods that carry it. */
  byLabel: Map<string, PodDisruptionBudget[]>;
  /** Budgets without matchLabels (expressions only, or empty): tried against every StatefulSet. */
  open: PodDisruptionBudget[];
}

/** A namespace holds as many budgets as StatefulSets; finding a StatefulSet's by one of its labels
 *  keeps this linear at 25,000 StatefulSets instead of comparing every pair in a namespace. */
const budgetIndex = perModel((model) => {
  const index = new Map<string, NamespaceBudgets>();
  const order = new Map<PodDisruptionBudget, number>();
  model.snapshot.disruptionBudgets.forEach((b, i) => {
    order.set(b, i);
    const ns = b.metadata.namespace ?? '';
    let budgets = index.get(ns);
    if (!budgets) index.set(ns, (budgets = { byLabel: new Map(), open: [] }));
    const first = Object.entries(b.spec?.selector?.matchLabels ?? {})[0];
    if (!first) budgets.open.push(b);
    else {
      const key = `${first[0]}=${first[1]}`;
      const list = budgets.byLabel.get(key);
      if (list) list.push(b);
      else budgets.byLabel.set(key, [b]);
    }
  });
  return { index, order };
});

export const budgetsOf = perModelObject(findBudgets);

function findBudgets(model: ClusterModel, sts: StatefulSet): PodDisruptionBudget[] {
  const labels = sts.spec?.template?.metadata?.labels ?? sts.spec?.selector?.matchLabels;
  const { index, order } = budgetIndex(model);
  const inNamespace = index.get(sts.metadata.namespace ?? '');
  if (!inNamespace) return [];
  const candidates = [...inNamespace.open, ...Object.entries(labels ?? {}).flatMap(([k, v]) => inNamespace.byLabel.get(`${k}=${v}`) ?? [])];
  return candidates.filter((b) => selects(b.spec?.selector, labels, 'everything')).sort((a, b) => order.get(a)! - order.get(b)!);
}
