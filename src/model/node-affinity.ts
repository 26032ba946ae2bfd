// Node selector terms as the scheduler evaluates them for volume node affinity: terms are ORed,
// expressions inside a term are ANDed.

import type { Node, NodeSelectorRequirement, NodeSelectorTerm } from './types.ts';

function matchesRequirement(value: string | undefined, r: NodeSelectorRequirement): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In': return value !== undefined && values.includes(value);
    case 'NotIn': return value === undefined || !values.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'Gt': return value !== undefined && Number(value) > Number(values[0]);
    case 'Lt': return value !== undefined && Number(value) < Number(values[0]);
    default: return false;
  }
}

export function matchesTerm(node: Node, term: NodeSelectorTerm): boolean {
  const labels = node.metadata.labels ?? {};
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (!exprs.length && !fields.length) return false; // an empty term matches nothing
  return exprs.every((r) => matchesRequirement(labels[r.key], r))
    && fields.every((r) => matchesRequirement(r.key === 'metadata.name' ? node.metadata.name : undefined, r));
}

export function matchesAnyTerm(node: Node, terms: NodeSelectorTerm[]): boolean {
  return terms.some((t) => matchesTerm(node, t));
}

/** "topology.kubernetes.io/zone In [eu-1a]" */
export function describeTerms(terms: NodeSelectorTerm[]): string {
  return terms
    .map((t) => [...(t.matchExpressions ?? []), ...(t.matchFields ?? [])].map((r) => `${r.key} ${r.operator}${r.values?.length ? ` [${r.values.join(', ')}]` : ''}`).join(' and '))
    .join(' or ');
}
