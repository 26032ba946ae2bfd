// The Kubernetes objects that run `stsvol operator`, as plain objects: scripts/deploy-manifests.ts writes
// them to deploy/manifests/ and, templated, to the Helm chart's rbac.yaml. The RBAC rules are copied from
// ACCESS (rbac.ts) and nothing else, so the manifests can never grant more than the code uses.

import { ACCESS, READ_ONLY_RULES, type Feature, type FeatureAccess, type PolicyRule } from './rbac.ts';

export type FeatureSwitches = { events: boolean; autoExpand: boolean; templateSync: boolean; janitor: boolean; dashboard?: boolean };

/** Where the dashboard listens inside the pod, with features.dashboard: loopback, for kubectl port-forward. */
export const DASHBOARD_PORT = 8484;
export type UsageSource = 'kubelet' | 'prometheus';

export const NAME = 'stsvol-operator';
export const METRICS_PORT = 8080;
const LABELS = { 'app.kubernetes.io/name': 'stsvol', 'app.kubernetes.io/component': 'operator' };
const RBAC_API = 'rbac.authorization.k8s.io';

/** autoExpand → auto-expand: the suffix of the feature's ClusterRole and manifest file. */
export function kebab(feature: Feature): string {
  return feature.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** `nodes/proxy get` reaches the whole kubelet API of every node: granted only while usage comes from the kubelet. */
export function kubeletOnly(rule: PolicyRule): boolean {
  return rule.resources.includes('nodes/proxy');
}

export function enabled(a: FeatureAccess, features: FeatureSwitches): boolean {
  return a.feature === 'base' || Boolean(features[a.feature]);
}

function clusterRules(a: FeatureAccess, usageSource: UsageSource): PolicyRule[] {
  return a.clusterRules.filter((r) => usageSource === 'kubelet' || !kubeletOnly(r)).map(copyRule);
}

// Copies, so a caller that edits the objects (or a YAML writer that anchors shared arrays) never touches ACCESS.
function copyRule(r: PolicyRule): PolicyRule {
  return { apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] };
}

function subjects(namespace: string, serviceAccount: string): object[] {
  return [{ kind: 'ServiceAccount', name: serviceAccount, namespace }];
}

/** The ClusterRole and ClusterRoleBinding of one feature. */
export function featureObjects(feature: Feature, o: { namespace: string; serviceAccount: string; usageSource?: UsageSource }): object[] {
  const a = ACCESS.find((x) => x.feature === feature)!;
  const name = `${NAME}-${kebab(feature)}`;
  return [
    { apiVersion: `${RBAC_API}/v1`, kind: 'ClusterRole', metadata: { name, labels: LABELS }, rules: clusterRules(a, o.usageSource ?? 'kubelet') },
    {
      apiVersion: `${RBAC_API}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: { name, labels: LABELS },
      roleRef: { apiGroup: RBAC_API, kind: 'ClusterRole', name },
      subjects: subjects(o.namespace, o.serviceAccount),
    },
  ];
}

export function rbacObjects(o: { namespace: string; serviceAccount: string; features: FeatureSwitches; usageSource?: UsageSource }): object[] {
  const on = ACCESS.filter((a) => enabled(a, o.features));
  const namespaceRules = on.flatMap((a) => a.namespaceRules.map(copyRule));
  const meta = { name: NAME, namespace: o.namespace, labels: LABELS };
  return [
    ...on.flatMap((a) => featureObjects(a.feature, o)),
    // The Lease lives in the operator's own namespace: a Role there, not cluster-wide write access to leases.
    { apiVersion: `${RBAC_API}/v1`, kind: 'Role', metadata: meta, rules: namespaceRules },
    {
      apiVersion: `${RBAC_API}/v1`,
      kind: 'RoleBinding',
      metadata: meta,
      roleRef: { apiGroup: RBAC_API, kind: 'Role', name: NAME },
      subjects: subjects(o.namespace, o.serviceAccount),
    },
  ];
}

export interface OperatorOptions {
  namespace: string;
  image: string;
  features: FeatureSwitches;
  /** With the janitor on: report what it would delete, delete nothing. Defaults to true, as the chart does. */
  janitorDryRun?: boolean;
  replicas?: number;
  usageSource?: UsageSource;
  prometheusUrl?: string;
}

/** The container's args: the image's ENTRYPOINT is `node bin/stsvol.js`, so they start with the command. */
export function operatorArgs(o: OperatorOptions): string[] {
  const args = ['operator', '--namespace', o.namespace, '--listen', `:${METRICS_PORT}`, '--lease-name', NAME];
  if (!o.features.events) args.push('--no-events');
  if (o.features.autoExpand) {
    // A usage source only with auto-expansion: given one without it, the operator would still read the
    // kubelet, and nodes/proxy is granted only by the autoExpand ClusterRole.
    args.push('--auto-expand', '--usage-source', o.usageSource ?? 'kubelet');
    if (o.usageSource === 'prometheus' && o.prometheusUrl) args.push('--prometheus-url', o.prometheusUrl);
  }
  if (o.features.templateSync) args.push('--template-sync');
  if (o.features.janitor) args.push('--janitor', ...((o.janitorDryRun ?? true) ? ['--janitor-dry-run'] : []));
  if (o.features.dashboard) args.push('--dashboard-listen', `127.0.0.1:${DASHBOARD_PORT}`);
  return args;
}

export function operatorObjects(o: OperatorOptions): object[] {
  const serviceAccount = NAME;
  const probe = (path: string, periodSeconds: number) => ({ httpGet: { path, port: 'metrics' }, periodSeconds, timeoutSeconds: 2, failureThreshold: 3 });
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: NAME, namespace: o.namespace, labels: LABELS },
    spec: {
      // Two replicas, one leader through the Lease: a node loss costs a lease period, not a reschedule.
      replicas: o.replicas ?? 2,
      selector: { matchLabels: LABELS },
      template: {
        metadata: { labels: LABELS },
        spec: {
          serviceAccountName: serviceAccount,
          containers: [
            {
              name: 'operator',
              image: o.image,
              imagePullPolicy: 'IfNotPresent',
              args: operatorArgs(o),
              env: [
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
              ],
              ports: [{ name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' }],
              livenessProbe: { ...probe('/healthz', 10), initialDelaySeconds: 10 },
              readinessProbe: probe('/readyz', 5),
              resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
              // The operator writes nothing to disk, so the root file system can be read-only; user 1000 is the image's `node`.
              securityContext: {
                runAsNonRoot: true,
                runAsUser: 1000,
                readOnlyRootFilesystem: true,
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
            },
          ],
          // Keep the replicas on different nodes when the scheduler can, so one node loss leaves a standby.
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: LABELS }, topologyKey: 'kubernetes.io/hostname' } },
              ],
            },
          },
        },
      },
    },
  };
  return [
    // The pod meets the `restricted` Pod Security Standard, so its namespace can enforce it.
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: o.namespace, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: serviceAccount, namespace: o.namespace, labels: LABELS } },
    ...rbacObjects({ namespace: o.namespace, serviceAccount, features: o.features, ...(o.usageSource ? { usageSource: o.usageSource } : {}) }),
    deployment,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `${NAME}-metrics`, namespace: o.namespace, labels: LABELS },
      spec: { selector: LABELS, ports: [{ name: 'metrics', port: METRICS_PORT, targetPort: 'metrics', protocol: 'TCP' }] },
    },
  ];
}

/** A CI pipeline's identity (deploy/ci/stsvol-readonly.yaml): a ServiceAccount in its own namespace
 *  bound to a ClusterRole that lists and watches the kinds doctor reads, and nothing else. */
export const READ_ONLY_NAME = 'stsvol-readonly';

export function readOnlyObjects(namespace: string): object[] {
  const labels = { 'app.kubernetes.io/name': 'stsvol', 'app.kubernetes.io/component': 'ci' };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: READ_ONLY_NAME, namespace, labels } },
    { apiVersion: `${RBAC_API}/v1`, kind: 'ClusterRole', metadata: { name: READ_ONLY_NAME, labels }, rules: READ_ONLY_RULES.map(copyRule) },
    {
      apiVersion: `${RBAC_API}/v1`, kind: 'ClusterRoleBinding', metadata: { name: READ_ONLY_NAME, labels },
      roleRef: { apiGroup: RBAC_API, kind: 'ClusterRole', name: READ_ONLY_NAME }, subjects: subjects(namespace, READ_ONLY_NAME),
    },
  ];
}
