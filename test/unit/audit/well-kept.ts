// A StatefulSet kept as the inspection checklist asks, as plain objects: three replicas in three
// zones, one per node and kept apart, a Retain class that waits for the consumer and expands, a
// redundant CSI controller, a budget of one, alerts on volume usage, a fresh snapshot of every
// claim, volumes half used. Each audit test spoils one thing of it.
import { runAudit } from '../../../src/checks/audit/index.ts';
import { DEFAULT_AUDIT_OPTIONS, type AuditOptions } from '../../../src/checks/audit/scope.ts';
import type { AuditId } from '../../../src/checks/audit/catalog.ts';
import type { KubeObject, StatefulSet } from '../../../src/model/types.ts';
import { ago, bind, claim, csiDriver, csiNode, modelOf, node, pod, statefulSet, storageClass, volume } from '../../fixtures/build.ts';

export const DRIVER = 'ebs.csi.aws.com';
const GIB = 2 ** 30;

export function wellKept(ns = 'db', name = 'pg', o: { replicas?: number } = {}): KubeObject[] {
  const replicas = o.replicas ?? 3;
  const sts = statefulSet(ns, name, { replicas, cls: 'retain' });
  const labels = { app: name };
  sts.spec!.selector = { matchLabels: labels };
  sts.spec!.template = {
    metadata: { labels },
    spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname' }] } } },
  };
  sts.status = { replicas, readyReplicas: replicas };
  const objects: KubeObject[] = [
    sts,
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    storageClass('retain', { provisioner: DRIVER, reclaim: 'Retain', isDefault: true }),
    csiDriver(DRIVER),
    controller('kube-system', 'ebs-csi-controller', 2, true),
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: ns }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } }, status: { disruptionsAllowed: 1 } } as KubeObject,
    { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'volumes', namespace: 'monitoring' }, spec: { groups: [{ name: 'v', rules: [{ alert: 'VolumeFillingUp', expr: 'kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.03' }] }] } } as KubeObject,
  ];
  for (let i = 0; i < replicas; i++) {
    const zone = `zone-${'abc'[i % 3]}`;
    const n = node(`n${i}`, { zone });
    const [c, v] = bind(claim(ns, `data-${name}-${i}`, { cls: 'retain', size: '10Gi', annotations: { 'stsvol.io/observed-usage': JSON.stringify({ usedBytes: 5 * GIB, capacityBytes: 10 * GIB, at: ago(1), source: 'kubelet', window: 'now' }) } }), volume(`pv-${name}-${i}`, { cls: 'retain', size: '10Gi', driver: DRIVER, provisionedBy: DRIVER, reclaim: 'Retain', zone }));
    const p = pod(ns, `${name}-${i}`, { node: n.metadata.name, claims: [c.metadata.name], owner: sts, ready: true });
    p.metadata.labels = labels;
    objects.push(n, csiNode(n.metadata.name, [{ name: DRIVER, count: 25 }]), c, v, p, snapshotOf(ns, c.metadata.name, 60));
  }
  return objects;
}

export function controller(ns: string, name: string, replicas: number, leaderElection: boolean): KubeObject {
  const args = leaderElection ? ['--leader-election=true'] : [];
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
    spec: { replicas, template: { spec: { containers: ['provisioner', 'attacher', 'resizer'].map((s) => ({ name: `csi-${s}`, image: `registry.k8s.io/sig-storage/csi-${s}:v5.0.0`, args })) } } },
  } as KubeObject;
}

export function snapshotOf(ns: string, claimName: string, minutesAgo: number): KubeObject {
  return {
    apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: `${claimName}-snap`, namespace: ns, creationTimestamp: ago(minutesAgo) },
    spec: { source: { persistentVolumeClaimName: claimName }, volumeSnapshotClassName: 'ebs' }, status: { readyToUse: true, restoreSize: '10Gi', creationTime: ago(minutesAgo) },
  } as KubeObject;
}

export function audit(objects: KubeObject[], options: Partial<AuditOptions> = {}, only?: AuditId[]) {
  return runAudit(modelOf(objects), { ...DEFAULT_AUDIT_OPTIONS, ...options }, only);
}

/** The findings of one check. */
export function findingsOf(objects: KubeObject[], check: AuditId, options: Partial<AuditOptions> = {}) {
  return audit(objects, options, [check]).findings;
}

export function find<T extends KubeObject>(objects: KubeObject[], kind: string, name: string): T {
  return objects.find((o) => o.kind === kind && o.metadata.name === name) as T;
}

export function statefulSetOf(objects: KubeObject[]): StatefulSet {
  return objects.find((o) => o.kind === 'StatefulSet') as StatefulSet;
}
