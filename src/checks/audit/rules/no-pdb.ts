// No PodDisruptionBudget for a StatefulSet of two or more replicas: a drain may take several at once.

import { refOf } from '../../../model/cluster-model.ts';
import { replicasOf } from '../../../model/ordinals.ts';
import { shellWord } from '../../commands.ts';
import { fieldEvidence } from '../../evidence.ts';
import { budgetsOf } from '../budgets.ts';
import { hasReplicas, statefulSetsWithStorage, stsRef } from '../facts.ts';
import type { AuditCheck } from '../scope.ts';

export const noPdb: AuditCheck = {
  id: 'no-pdb',
  run(scope) {
    const { model } = scope;
    if (!model.sees('PodDisruptionBudget')) return [];
    return scope.each(statefulSetsWithStorage(model).filter((s) => hasReplicas(s, 2)), (sts) => {
      scope.judge(stsRef(sts));
      if (budgetsOf(model, sts).length) return undefined;
      const selector = sts.spec?.selector?.matchLabels ?? sts.spec?.template?.metadata?.labels ?? {};
      const labels = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
      return scope.raise({
        object: refOf(sts),
        message: `StatefulSet ${sts.metadata.namespace}/${sts.metadata.name} runs ${replicasOf(sts)} replicas and no PodDisruptionBudget selects them: a node drain may evict several at once`,
        evidence: [fieldEvidence(sts, `spec.replicas=${replicasOf(sts)}; no PodDisruptionBudget in ${sts.metadata.namespace} selects ${labels || 'its pods'}`)],
        remediation: [labels
          ? { text: 'Allow one replica down at a time:', command: `kubectl create poddisruptionbudget ${shellWord(sts.metadata.name)} --namespace=${shellWord(sts.metadata.namespace ?? 'default')} --max-unavailable=1 --selector=${shellWord(labels)}` }
          : { text: "Add a PodDisruptionBudget with maxUnavailable: 1 whose selector matches the StatefulSet's pods." }],
      });
    });
  },
};
