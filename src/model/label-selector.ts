// A metav1.LabelSelector as the API evaluates it (apimachinery labels.Selector): matchLabels and
// matchExpressions ANDed. What an empty or absent selector means depends on the object holding it,
// so callers say it.

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

function matchesExpression(labels: Record<string, string>, e: { key: string; operator: string; values?: string[] }): boolean {
  const has = Object.hasOwn(labels, e.key);
  switch (e.operator) {
    case 'In': return has && (e.values ?? []).includes(labels[e.key]!);
    case 'NotIn': return !has || !(e.values ?? []).includes(labels[e.key]!);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    default: return false; // an operator the API would have refused
  }
}

/** `empty`: what a selector without requirements selects (policy/v1 PodDisruptionBudget: every pod). */
export function selects(selector: LabelSelector | undefined, labels: Record<string, string> | undefined, empty: 'everything' | 'nothing'): boolean {
  const l = labels ?? {};
  const pairs = Object.entries(selector?.matchLabels ?? {});
  const exprs = selector?.matchExpressions ?? [];
  if (!pairs.length && !exprs.length) return selector !== undefined && empty === 'everything';
  return pairs.every(([k, v]) => l[k] === v) && exprs.every((e) => matchesExpression(l, e));
}
