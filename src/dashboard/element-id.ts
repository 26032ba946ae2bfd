// How the page and the server name an element of the graph, and so match findings to it: Kind/name,
// or Kind/namespace/name for the namespaced kinds drawn. No imports: the page bundles it as is.

const NAMESPACED = new Set<string>(['Pod', 'PersistentVolumeClaim']);

export function elementId(ref: { kind: string; namespace?: string; name: string }): string {
  return NAMESPACED.has(ref.kind) && ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

export function isNamespacedElement(kind: string): boolean {
  return NAMESPACED.has(kind);
}
