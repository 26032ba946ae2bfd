// Whether the scheduler may place a pod of a template on a node, as far as the template and the node
// say: its nodeSelector, its required node affinity, and the node's NoSchedule and NoExecute taints
// against its tolerations (k8s.io/kubernetes pkg/scheduler/framework/plugins: nodeaffinity,
// tainttoleration; component-helpers/scheduling/corev1 ToleratesTaint). Resources, ports and pod
// affinity are left out: they change from minute to minute, this asks where the pods could go at all.

import { matchesAnyTerm } from './node-affinity.ts';
import type { Node, PodTemplate } from './types.ts';

type Toleration = NonNullable<NonNullable<PodTemplate['spec']>['tolerations']>[number];
type Taint = NonNullable<NonNullable<Node['spec']>['taints']>[number];

/** corev1.Toleration.ToleratesTaint: an empty effect tolerates every effect, an empty key with
 *  Exists every taint; Equal (the default) compares the value. */
function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (!t.key && t.operator !== 'Exists') return false;
  return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
}

export function mayBePlacedOn(template: PodTemplate | undefined, node: Node): boolean {
  const spec = template?.spec;
  if (!Object.entries(spec?.nodeSelector ?? {}).every(([k, v]) => node.metadata.labels?.[k] === v)) return false;
  const terms = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms && !matchesAnyTerm(node, terms)) return false;
  const repelling = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  return repelling.every((taint) => (spec?.tolerations ?? []).some((t) => tolerates(t, taint)));
}
