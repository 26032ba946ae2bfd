// Seed 001, case 4: a claim opted in to auto-expansion that the operator will not be able to grow
// when it fills: its annotations cannot be read, its class or provisioner cannot expand, or it has
// reached its maximum. Better said now, while the volume still has room, than at 100%. (The
// operator adds the refusals it meets when it acts, such as a quota, to the same check.)

import { refOf, type ClusterModel } from '../../model/cluster-model.ts';
import { EXPAND_MAX_SIZE_ANNOTATION } from '../../model/annotations.ts';
import { policyOf } from '../../model/expand-policy.ts';
import { formatBytes, parseQuantity } from '../../model/quantity.ts';
import type { PersistentVolumeClaim } from '../../model/types.ts';
import type { Check, CheckScope } from '../check.ts';
import { kubectl } from '../commands.ts';
import { fieldEvidence } from '../evidence.ts';
import type { Finding } from '../finding.ts';
import { whyNothingExpands, type Reason } from './resize-unsupported.ts';

const ID = 'auto-expand-blocked';

export const autoExpandBlocked: Check = {
  id: ID,
  run(scope) {
    return scope.each(scope.model.claims.values(), (claim) => judge(scope, claim));
  },
};

function judge(scope: CheckScope, claim: PersistentVolumeClaim): Finding | undefined {
  const reason = whyBlocked(scope.model, claim);
  if (!reason) return undefined;
  return scope.raise({
    object: refOf(claim),
    message: `${claim.metadata.name} opted in to auto-expansion, but ${reason.text}: it will fill up unattended`,
    evidence: reason.evidence,
    remediation: [{ text: 'Fix the cause (class, provisioner or annotations), or take the claim out of auto-expansion and watch it yourself.', command: kubectl.get('pvc', claim.metadata.name, claim.metadata.namespace) }],
  });
}

function whyBlocked(model: ClusterModel, claim: PersistentVolumeClaim): Reason | undefined {
  const policy = policyOf(claim, model.statefulSetOfClaim(claim)?.sts);
  if (!policy) return undefined;
  if (!policy.policy) return { text: `its policy cannot be read (${policy.problem})`, evidence: [fieldEvidence(claim, policy.problem)] };
  const nothing = whyNothingExpands(model, claim);
  if (nothing) return nothing;
  const size = Math.max(parseQuantity(claim.spec?.resources?.requests?.storage) ?? 0, parseQuantity(claim.status?.capacity?.storage) ?? 0);
  if (size >= policy.policy.maxBytes) {
    return { text: `it is at its maximum size of ${formatBytes(policy.policy.maxBytes)} already`, evidence: [fieldEvidence(claim, `${EXPAND_MAX_SIZE_ANNOTATION}=${formatBytes(policy.policy.maxBytes)}, size ${formatBytes(size)}`)] };
  }
  return undefined;
}
