// The PodDisruptionBudgets that select a StatefulSet's pods (policy/v1: an empty selector selects
// every pod of its namespace), read by no-pdb and pdb-blocks-drain.

import type { ClusterModel } from '../../model/cluster-model.ts';
import { selects } from '../../model/label-selector.ts';
import type { PodDisruptionBudget, StatefulSet } from '../../model/types.ts';

export function budgetsOf(model: ClusterModel, sts: StatefulSet): PodDisruptionBudget[] {
  const labels = sts.spec?.template?.metadata?.labels ?? sts.spec?.selector?.matchLabels;
  return model.snapshot.disruptionBudgets.filter((b) => b.metadata.namespace === sts.metadata.namespace && selects(b.spec?.selector, labels, 'everything'));
}
