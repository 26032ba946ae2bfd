// Who else manages a StatefulSet. A re-created StatefulSet is a new object to Helm, Argo CD and Flux:
// Helm keeps working if the release's values follow (or its next upgrade hits seed 002's Forbidden
// error), while Argo CD and Flux self-heal would put the old template back mid-operation. A
// controller that owns the StatefulSet (an operator's custom resource) re-creates it with its own
// template: resizing under it is refused.

import type { StatefulSet } from '../model/types.ts';
import type { Refusal } from './plan.ts';

/** 'argocd?': the label Argo CD 2.x tracks by default (app.kubernetes.io/instance) on an object no
 *  Helm release installed: Argo CD likely, a chart's own label possibly. */
export type Manager = 'helm' | 'argocd' | 'argocd?' | 'flux';

const INSTANCE_LABEL = 'app.kubernetes.io/instance';
const HELM_RELEASE = 'meta.helm.sh/release-name';
const ARGOCD_TRACKING = 'argocd.argoproj.io/tracking-id';

export function managersOf(sts: StatefulSet): Manager[] {
  const labels = sts.metadata.labels ?? {};
  const annotations = sts.metadata.annotations ?? {};
  const managers: Manager[] = [];
  const helmRelease = annotations[HELM_RELEASE];
  if (helmRelease || labels['app.kubernetes.io/managed-by'] === 'Helm') managers.push('helm');
  // Argo CD 3.x tracks by annotation, 2.x by the instance label (or a label of the user's choice,
  // often argocd.argoproj.io/instance). `helm install` writes the release annotation; Argo CD renders
  // charts with `helm template`, which does not, so an instance label without it is Argo CD's.
  if (annotations[ARGOCD_TRACKING] || labels['argocd.argoproj.io/instance']) managers.push('argocd');
  else if (labels[INSTANCE_LABEL] && !helmRelease) managers.push('argocd?');
  if (Object.keys(labels).some((k) => k.startsWith('kustomize.toolkit.fluxcd.io/') || k.startsWith('helm.toolkit.fluxcd.io/'))) managers.push('flux');
  return managers;
}

/** Argo CD or Flux may put the old template back: a re-create needs them paused first. */
export function isGitOpsManaged(sts: StatefulSet): boolean {
  return managersOf(sts).some((m) => m !== 'helm');
}

function argoApp(sts: StatefulSet): string {
  return sts.metadata.labels?.['argocd.argoproj.io/instance'] ?? sts.metadata.annotations?.[ARGOCD_TRACKING]?.split(':')[0] ?? sts.metadata.labels?.[INSTANCE_LABEL] ?? '<app>';
}

export function managerWarnings(sts: StatefulSet): string[] {
  const labels = sts.metadata.labels ?? {};
  const warnings: string[] = [];
  for (const manager of managersOf(sts)) {
    const app = argoApp(sts);
    if (manager === 'argocd') {
      warnings.push(`Argo CD manages this StatefulSet (application ${app}): self-heal re-applies the old template during the re-create. Pause it first: argocd app set ${app} --sync-policy none (and set the new size in the source before re-enabling).`);
    }
    if (manager === 'argocd?') {
      warnings.push(`Possibly managed by Argo CD: label ${INSTANCE_LABEL}=${app} is how Argo CD 2.x tracks what it deploys, and no Helm release annotation explains it. If Argo CD manages it, pause self-heal first (argocd app set ${app} --sync-policy none) and set the new size in the source.`);
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
  const release = sts.metadata.annotations?.[HELM_RELEASE] ?? sts.metadata.labels?.[INSTANCE_LABEL] ?? '<release>';
  const ns = sts.metadata.annotations?.['meta.helm.sh/release-namespace'] ?? sts.metadata.namespace ?? 'default';
  return sizes.map((s) => `Helm release ${release}: set the value that renders volumeClaimTemplates "${s.template}" to ${s.storage} (in most charts persistence.size or ${s.template}.persistence.size) in your values file, e.g. helm upgrade ${release} <chart> -n ${ns} --reuse-values --set persistence.size=${s.storage}; until then an upgrade renders the old size and fails with "spec: Forbidden" (seed 002).`);
}

/** A StatefulSet another controller owns (an operator's custom resource: a database, a queue) is
 *  re-created by that controller with its own template: it must be resized through it. */
export function controllerOwnerRefusal(sts: StatefulSet): Refusal | undefined {
  const owner = sts.metadata.ownerReferences?.find((o) => o.controller === true);
  if (!owner) return undefined;
  return { code: 'owned-by-controller', message: `statefulset ${sts.metadata.name} is owned by ${owner.kind} ${owner.name}${owner.apiVersion ? ` (${owner.apiVersion})` : ''}: its controller would create it again with its own template. Change the size through that ${owner.kind} (most operators expand volumes themselves), or pause its controller and remove the owner first` };
}
