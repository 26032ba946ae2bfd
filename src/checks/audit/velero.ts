// Whether a Velero backup (a Schedule's template, a Backup's spec) takes a claim's data, decided as
// Velero v1.18 decides it (github.com/vmware-tanzu/velero v1.18.3):
//
// - namespaces: pkg/util/collections/includes_excludes.go IncludesExcludes.ShouldInclude: an exclude
//   always wins; an empty include list or "*" includes all, else a pattern must match. Patterns are
//   github.com/gobwas/glob without separators: * ? [abc] [a-z] [!a] (v1.18 rejects ** and {}).
//   Namespaces labelled velero.io/exclude-from-backup=true are excluded
//   (pkg/controller/backup_controller.go prepareBackupRequest), and so is any object so labelled.
// - resources: the old filters (includedResources/excludedResources) or the scoped ones
//   (included/excludedNamespaceScopedResources); names as discovery resolves them (pvc, the plural,
//   the singular, "persistentvolumeclaims."); a PVC excluded by them also has its volume data
//   skipped (pkg/backup/backup.go backupExcludePVC).
// - selectors: labelSelector, or orLabelSelectors ORed, on every object listed. A PVC is taken when
//   it matches, or when a pod that mounts it matches (the pod's related items, pod_action.go).
// - data (internal/volumehelper/volume_policy_helper.go): file-system backup when
//   defaultVolumesToFsBackup is true (unless the pod's backup.velero.io/backup-volumes-excludes
//   names the volume) or the pod's backup.velero.io/backup-volumes names it; otherwise a snapshot
//   unless snapshotVolumes is false. Volume policies (a ConfigMap) and whether a snapshotter is
//   configured are not visible from the objects stsvol reads: a snapshot is taken to happen.

import { VELERO_BACKUP_VOLUMES_ANNOTATION, VELERO_BACKUP_VOLUMES_EXCLUDES_ANNOTATION, VELERO_EXCLUDE_LABEL } from '../../model/annotations.ts';
import { selects, type LabelSelector } from '../../model/label-selector.ts';

export interface VeleroSpec {
  includedNamespaces?: string[];
  excludedNamespaces?: string[];
  includedResources?: string[];
  excludedResources?: string[];
  includedNamespaceScopedResources?: string[];
  excludedNamespaceScopedResources?: string[];
  labelSelector?: LabelSelector | null;
  orLabelSelectors?: LabelSelector[];
  snapshotVolumes?: boolean | null;
  defaultVolumesToFsBackup?: boolean | null;
}

const compiled = new Map<string, RegExp | string>();

/** gobwas/glob without separators, as Velero compiles its patterns (each pattern compiled once). */
export function globMatches(pattern: string, value: string): boolean {
  let glob = compiled.get(pattern);
  if (glob === undefined) compiled.set(pattern, (glob = compileGlob(pattern)));
  return typeof glob === 'string' ? glob === value : glob.test(value);
}

/** The pattern as a RegExp; an unbalanced one as itself: Velero refuses it, it matches only itself. */
function compileGlob(pattern: string): RegExp | string {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) return pattern;
      const body = pattern.slice(i + 1, end);
      re += `[${body.startsWith('!') ? `^${escapeClass(body.slice(1))}` : escapeClass(body)}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

function escapeClass(body: string): string {
  return body.replace(/[\\\]^]/g, '\\$&');
}

/** IncludesExcludes.ShouldInclude: excludes first; no includes or "*" include everything. */
function includes(included: readonly string[] | undefined, excluded: readonly string[] | undefined, value: string): boolean {
  if ((excluded ?? []).some((p) => globMatches(p, value))) return false;
  const inc = included ?? [];
  return inc.length === 0 || inc.includes('*') || inc.some((p) => globMatches(p, value));
}

export function namespaceIncluded(spec: VeleroSpec, namespace: string, namespaceLabels: Record<string, string> | undefined): boolean {
  if (namespaceLabels?.[VELERO_EXCLUDE_LABEL] === 'true') return false;
  return includes(spec.includedNamespaces, spec.excludedNamespaces, namespace);
}

const RESOURCE_NAMES: Record<string, string> = {
  pvc: 'persistentvolumeclaims', persistentvolumeclaim: 'persistentvolumeclaims', persistentvolumeclaims: 'persistentvolumeclaims',
  po: 'pods', pod: 'pods', pods: 'pods',
};

/** A resource entry as discovery resolves it ("PVC", "persistentvolumeclaims."); other names kept as typed. */
function resourceName(entry: string): string {
  const plain = entry.toLowerCase().replace(/\.$/, '');
  return RESOURCE_NAMES[plain] ?? plain;
}

/** The old filters when any is set (UseOldResourceFilters), else the namespace-scoped ones. */
export function resourceIncluded(spec: VeleroSpec, resource: 'persistentvolumeclaims' | 'pods'): boolean {
  const old = spec.includedResources?.length || spec.excludedResources?.length;
  const [included, excluded] = old ? [spec.includedResources, spec.excludedResources] : [spec.includedNamespaceScopedResources, spec.excludedNamespaceScopedResources];
  return includes(included?.map(resourceName), excluded?.map(resourceName), resource);
}

/** labelSelector, or any of orLabelSelectors; neither set: every object. */
export function selectedBy(spec: VeleroSpec, labels: Record<string, string> | undefined): boolean {
  if (labels?.[VELERO_EXCLUDE_LABEL] === 'true') return false;
  if (spec.orLabelSelectors?.length) return spec.orLabelSelectors.some((s) => selects(s, labels, 'everything'));
  return spec.labelSelector ? selects(spec.labelSelector, labels, 'everything') : true;
}

function names(annotation: string | undefined): string[] {
  return (annotation ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** How the data of a pod's volume is taken: file by file, by a snapshot, or not at all. */
export function volumeDataTaken(spec: VeleroSpec, podAnnotations: Record<string, string> | undefined, volume: string): 'fs-backup' | 'snapshot' | undefined {
  const fsByDefault = spec.defaultVolumesToFsBackup === true;
  const fs = fsByDefault ? !names(podAnnotations?.[VELERO_BACKUP_VOLUMES_EXCLUDES_ANNOTATION]).includes(volume) : names(podAnnotations?.[VELERO_BACKUP_VOLUMES_ANNOTATION]).includes(volume);
  if (fs) return 'fs-backup';
  return spec.snapshotVolumes === false ? undefined : 'snapshot';
}

export interface ClaimInPod {
  namespace: string;
  claimLabels?: Record<string, string>;
  /** The pod that mounts the claim (or its template, for a replica not running): labels, annotations, and the volume name it uses. */
  pod?: { labels?: Record<string, string>; annotations?: Record<string, string>; volume: string };
  namespaceLabels?: Record<string, string>;
}

/** Whether a backup of this spec takes the claim's data, and how; undefined with why not. */
export function claimCovered(spec: VeleroSpec, c: ClaimInPod): { how: 'fs-backup' | 'snapshot' } | { why: string } {
  if (!namespaceIncluded(spec, c.namespace, c.namespaceLabels)) return { why: `namespace ${c.namespace} is not included` };
  if (!resourceIncluded(spec, 'persistentvolumeclaims')) return { why: 'persistentvolumeclaims are excluded' };
  const claimSelected = selectedBy(spec, c.claimLabels);
  const podSelected = c.pod !== undefined && resourceIncluded(spec, 'pods') && selectedBy(spec, c.pod.labels);
  if (!claimSelected && !podSelected) return { why: 'neither the claim nor its pod matches the label selector' };
  // Either way the pod is backed up with the claim (v1.15+: a PVC's item block takes the pods that
  // mount it, itemblock/actions/pvc_action.go), so its annotations decide how the data is taken.
  const how = volumeDataTaken(spec, c.pod?.annotations, c.pod?.volume ?? '');
  return how ? { how } : { why: 'snapshotVolumes is false and no file-system backup takes the volume' };
}
