// Who else manages a StatefulSet. A re-created StatefulSet is a new object to Helm, Argo CD and Flux:
// Helm keeps working if the release's values follow (or its next upgrade hits seed 002's Forbidden
// error), while Argo CD and Flux self-heal would put the old template back mid-operation.

import type { StatefulSet } from '../model/types.ts';

export type Manager = 'helm' | 'argocd' | 'flux';

export function managersOf(sts: StatefulSet): Manager[] {
  const labels = sts.metadata.labels ?? {};
  const annotations = sts.metadata.annotations ?? {};
  const managers: Manager[] = [];
  if (annotations['meta.helm.sh/release-name'] || labels['app.kubernetes.io/managed-by'] === 'Helm') managers.push('helm');
  if (annotations['argocd.argoproj.io/tracking-id'] || labels['argocd.argoproj.io/instance']) managers.push('argocd');
  if (Object.keys(labels).some((k) => k.startsWith('kustomize.toolkit.fluxcd.io/') || k.startsWith('helm.toolkit.fluxcd.io/'))) managers.push('flux');
  return managers;
}

export function managerWarnings(sts: StatefulSet): string[] {
  const labels = sts.metadata.labels ?? {};
  const warnings: string[] = [];
  for (const manager of managersOf(sts)) {
    if (manager === 'argocd') {
      const app = labels['argocd.argoproj.io/instance'] ?? sts.metadata.annotations?.['argocd.argoproj.io/tracking-id']?.split(':')[0] ?? '<app>';
      warnings.push(`Argo CD manages this StatefulSet (application ${app}): self-heal re-applies the old template during the re-create. Pause it first: argocd app set ${app} --sync-policy none (and set the new size in the source before re-enabling).`);
    }
    if (manager === 'flux') {
      const name = labels['kustomize.toolkit.fluxcd.io/name'] ?? labels['helm.toolkit.fluxcd.io/name'] ?? '<name>';
      const kind = labels['kustomize.toolkit.fluxcd.io/name'] ? 'kustomization' : 'helmrelease';
      warnings.push(`Flux manages this StatefulSet (${kind} ${name}): suspend it first: flux suspend ${kind} ${name}; set the new size in the source, then flux resume ${kind} ${name}.`);
    }
  }
  return warnings;
}

/** What a Helm release needs after the re-create, so the next upgrade renders the same template. */
export function helmFollowUp(sts: StatefulSet, sizes: { template: string; storage: string }[]): string[] {
  if (!managersOf(sts).includes('helm')) return [];
  const release = sts.metadata.annotations?.['meta.helm.sh/release-name'] ?? sts.metadata.labels?.['app.kubernetes.io/instance'] ?? '<release>';
  const ns = sts.metadata.annotations?.['meta.helm.sh/release-namespace'] ?? sts.metadata.namespace ?? 'default';
  return sizes.map((s) => `Helm release ${release}: set the value that renders volumeClaimTemplates "${s.template}" to ${s.storage} (in most charts persistence.size or ${s.template}.persistence.size) in your values file, e.g. helm upgrade ${release} <chart> -n ${ns} --reuse-values --set persistence.size=${s.storage}; until then an upgrade renders the old size and fails with "spec: Forbidden" (seed 002).`);
}
