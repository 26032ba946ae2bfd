// A PodDisruptionBudget that allows no disruption: every drain stops at these pods, and people
// under pressure then delete the budget or force-delete pods instead.

import { refOf } from '../../../model/cluster-model.ts';
import { replicasOf } from '../../../model/ordinals.ts';
import type { PodDisruptionBudget, StatefulSet } from '../../../model/types.ts';
import { kubectl } from '../../commands.ts';
import { fieldEvidence } from '../../evidence.ts';
import { budgetsOf } from '../budgets.ts';
import { hasReplicas, statefulSetsWithStorage, stsRef } from '../facts.ts';
import type { AuditCheck } from '../scope.ts';

/** Why the budget allows no disruption, if it does not: by its spec, or by its status while every replica is Ready. */
function blocks(b: PodDisruptionBudget, sts: StatefulSet): string | undefined {
  const { maxUnavailable, minAvailable } = b.spec ?? {};
  const replicas = replicasOf(sts);
  if (maxUnavailable === 0 || maxUnavailable === '0%') return `maxUnavailable ${maxUnavailable}`;
  if (minAvailable === '100%' || (typeof minAvailable === 'number' && minAvailable >= replicas)) return `minAvailable ${minAvailable} of ${replicas} replicas`;
  const allReady = (sts.status?.readyReplicas ?? 0) >= replicas;
  if (allReady && b.status?.disruptionsAllowed === 0) return `status.disruptionsAllowed 0 with every replica Ready`;
  return undefined;
}

export const pdbBlocksDrain: AuditCheck = {
  id: 'pdb-blocks-drain',
  run(scope) {
    const { model } = scope;
    if (!model.sees('PodDisruptionBudget')) return [];
    return scope.each(statefulSetsWithStorage(model).filter((s) => hasReplicas(s, 2)), (sts) => {
      const budgets = budgetsOf(model, sts);
      if (!budgets.length) return undefined; // no-pdb says so
      scope.judge(stsRef(sts));
      const blocking = budgets.map((b) => ({ b, why: blocks(b, sts) })).filter((x) => x.why);
      if (!blocking.length) return undefined;
      return scope.raise({
        object: refOf(sts),
        related: blocking.map((x) => refOf(x.b)),
        message: `PodDisruptionBudget ${blocking.map((x) => `${x.b.metadata.name} (${x.why})`).join(', ')} allows no disruption of StatefulSet ${sts.metadata.namespace}/${sts.metadata.name}: every node drain stops at its pods`,
        evidence: blocking.map((x) => fieldEvidence(x.b, `minAvailable=${x.b.spec?.minAvailable ?? 'unset'}, maxUnavailable=${x.b.spec?.maxUnavailable ?? 'unset'}, disruptionsAllowed=${x.b.status?.disruptionsAllowed ?? '?'}`)),
        remediation: blocking.map((x) => ({
          text: `Allow one replica down at a time in ${x.b.metadata.name}.`,
          command: kubectl.patch('poddisruptionbudget', x.b.metadata.name, x.b.metadata.namespace, { spec: { minAvailable: null, maxUnavailable: 1 } }),
          safeWhen: 'the application keeps working (and its quorum) with one replica down',
        })),
      });
    });
  },
};
