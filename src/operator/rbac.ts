// The API access of `stsvol operator`, feature by feature: exactly the verbs its code uses, write
// verbs only where a feature that writes is switched on. The Helm chart and the plain manifests are
// generated from this list (scripts/deploy-manifests.ts), and the cluster test binds exactly these
// rules to the operator's ServiceAccount and proves each feature works with them and nothing more.

import { KINDS } from '../model/kinds.ts';

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export type Feature = 'base' | 'events' | 'autoExpand' | 'templateSync' | 'janitor' | 'dashboard';

export interface FeatureAccess {
  feature: Feature;
  /** Why the feature needs these rules (written into the chart as a comment). */
  why: string;
  /** Cluster-wide: the operator watches and acts in every namespace. */
  clusterRules: PolicyRule[];
  /** In the operator's own namespace only. */
  namespaceRules: PolicyRule[];
}

/** Every kind doctor reads, one rule per API group with these verbs. */
function readRules(verbs: string[]): PolicyRule[] {
  const byGroup = new Map<string, string[]>();
  for (const k of KINDS) byGroup.set(k.group, [...(byGroup.get(k.group) ?? []), k.plural]);
  return [...byGroup].map(([group, resources]) => ({ apiGroups: [group], resources, verbs }));
}

/** A CI pipeline's access (deploy/ci): `doctor` and `snapshot` list every kind they read, and that
 *  is all they do; watch is granted for tools that follow the same kinds. No get of a single object,
 *  no Secret, no write. */
export const READ_ONLY_RULES: readonly PolicyRule[] = readRules(['list', 'watch']);

export const ACCESS: readonly FeatureAccess[] = [
  {
    feature: 'base',
    why: 'the cluster model (list and watch every kind doctor reads) and leader election on a Lease',
    clusterRules: readRules(['get', 'list', 'watch']),
    namespaceRules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] }],
  },
  {
    feature: 'events',
    why: 'findings and actions become Events on the objects they concern',
    clusterRules: [{ apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] }],
    namespaceRules: [],
  },
  {
    feature: 'autoExpand',
    why: "volume usage from the kubelet's Summary API through the node proxy, and growing claims",
    clusterRules: [
      { apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] },
      { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['patch'] },
    ],
    namespaceRules: [],
  },
  {
    feature: 'templateSync',
    why: 'the resize executor re-creates a StatefulSet (orphan delete, create) with its journal in a ConfigMap beside it',
    clusterRules: [
      { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['create', 'delete', 'patch'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'create', 'update', 'delete'] },
    ],
    namespaceRules: [],
  },
  {
    feature: 'janitor',
    why: 'deleting VolumeAttachments of nodes that are gone or tainted out-of-service',
    clusterRules: [{ apiGroups: ['storage.k8s.io'], resources: ['volumeattachments'], verbs: ['delete'] }],
    namespaceRules: [],
  },
  {
    feature: 'dashboard',
    why: "the read-only dashboard on the pod's loopback (kubectl port-forward): operations in progress from their journal ConfigMaps",
    clusterRules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }],
    namespaceRules: [],
  },
];
