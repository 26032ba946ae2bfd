// stsvol audit on a real control plane, live and on the snapshot of the same moment: first a cluster
// kept as seed 001's inspection checklist asks (it scores 100 with no warning), then the same
// cluster with every problem of the checklist planted beside it, each found by its check.
//
// The disks are zonal (disk-backend.ts): external-provisioner asks for the node's zone and writes
// it into each volume's node affinity, as with a cloud's block storage. Velero's and the Prometheus
// Operator's CRDs come from their releases; their objects are written as those operators leave
// them (a Schedule with its last backup), and nothing runs them.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubernetesObject } from '@kubernetes/client-node';
import { AUDIT_IDS } from '../../src/checks/audit/catalog.ts';
import type { AuditReport } from '../../src/cli/audit.ts';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { auditBoth, keys } from './doctor.ts';
import { stsvol } from './operate.ts';
import { serviceAccountKubeconfig } from './operator-process.ts';
import { disruptionBudget, namespace, statefulSet, storageClass, volumeSnapshot, type StatefulSetOptions } from './objects.ts';
import { DRIVER, TestCluster } from './test-cluster.ts';

const GIB = 2 ** 30;
let cluster: TestCluster;

/** The driver's controller as its chart deploys it: the sidecars with leader election, two replicas. */
function csiController(replicas: number): KubernetesObject {
  const sidecar = (name: string) => ({ name, image: `registry.k8s.io/sig-storage/${name}:v6.0.0`, args: ['--csi-address=/csi/csi.sock', '--leader-election=true'] });
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'disk-csi-controller', namespace: 'kube-system' },
    spec: {
      replicas, selector: { matchLabels: { app: 'disk-csi-controller' } },
      template: { metadata: { labels: { app: 'disk-csi-controller' } }, spec: { containers: ['csi-provisioner', 'csi-attacher', 'csi-resizer'].map(sidecar) } },
    },
  } as KubernetesObject;
}

const volumeAlert = {
  apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'volumes', namespace: 'kube-system' },
  spec: { groups: [{ name: 'volumes', rules: [{ alert: 'KubePersistentVolumeFillingUp', expr: 'kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.03', for: '1m' }] }] },
} as KubernetesObject;

async function deployed(ns: string, name: string, o: StatefulSetOptions): Promise<void> {
  if (!(await cluster.read('v1', 'Namespace', undefined, ns))) await cluster.create(namespace(ns));
  await cluster.create(statefulSet(ns, name, o));
  await cluster.waitFor(`${ns}/${name} ${o.replicas} Ready`, async () => (await cluster.read('apps/v1', 'StatefulSet', ns, name))?.status?.readyReplicas === o.replicas, 90_000);
}

/** The workload writes `fraction` of each of its disks (the kubelet's volume stats report it). */
async function fill(ns: string, fraction: number): Promise<void> {
  for (const c of await cluster.list('v1', 'PersistentVolumeClaim', ns)) {
    const pv = await cluster.read('v1', 'PersistentVolume', undefined, c.spec.volumeName);
    cluster.backend.fill(pv!.spec.csi.volumeHandle, fraction * GIB);
  }
}

async function snapshotted(ns: string, claims: string[]): Promise<void> {
  for (const c of claims) await cluster.create(volumeSnapshot(ns, `${c}-nightly`, c, 'snap'));
  await cluster.waitFor(`snapshots of ${claims.join(', ')} ready`, async () => {
    const snaps = await cluster.list('snapshot.storage.k8s.io/v1', 'VolumeSnapshot', ns);
    return claims.every((c) => snaps.some((s) => s.spec.source.persistentVolumeClaimName === c && s.status?.readyToUse === true));
  });
}

function findingsOf(report: AuditReport, check: string): string[] {
  return report.findings.filter((f) => f.check === check).map((f) => `${f.object.kind}/${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`);
}

/** Live and offline agree: the same findings, messages and scores. */
function agree(live: AuditReport, offline: AuditReport): void {
  assert.deepEqual(keys(offline), keys(live));
  assert.deepEqual(offline.findings.map((f) => f.message).sort(), live.findings.map((f) => f.message).sort());
  assert.deepEqual(offline.workloads, live.workloads);
  assert.equal(offline.summary.score, live.summary.score);
}

describe('stsvol audit: the inspection checklist on a live cluster and on its snapshot', { timeout: 600_000 }, () => {
  before(async () => {
    cluster = await TestCluster.start([
      { name: 'a1', zone: 'zone-a', attachLimit: 4 }, { name: 'b1', zone: 'zone-b', attachLimit: 3 }, { name: 'c1', zone: 'zone-c', attachLimit: 3 },
    ], { snapshots: true, auditCrds: true, zonalDisks: true });
    const retain = storageClass('retain', { reclaim: 'Retain' });
    (retain.metadata as { annotations?: object }).annotations = { 'storageclass.kubernetes.io/is-default-class': 'true' };
    await cluster.create(retain);
    await cluster.create({ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: 'snap' }, driver: DRIVER, deletionPolicy: 'Delete' } as KubernetesObject);
    await cluster.create(csiController(2));
    await cluster.create(volumeAlert);
    await deployed('clean', 'pg', { replicas: 3, cls: 'retain', spreadOverNodes: true });
    await cluster.create(disruptionBudget('clean', 'pg', 1));
    await cluster.waitFor('the budget of clean/pg allows one disruption', async () => (await cluster.read('policy/v1', 'PodDisruptionBudget', 'clean', 'pg'))?.status?.disruptionsAllowed === 1);
    await fill('clean', 0.5);
    await snapshotted('clean', ['data-pg-0', 'data-pg-1', 'data-pg-2']);
  });
  after(async () => {
    await cluster?.stop();
  });

  it('a StatefulSet kept as the checklist asks scores 100 with no warning, live and from its snapshot', async () => {
    const { live, offline } = await auditBoth(cluster);
    assert.deepEqual(live.findings, [], JSON.stringify(live.findings, null, 2));
    assert.equal(live.summary.score, 100);
    assert.equal(live.summary.usage.claims, 3, 'usage read from the kubelets of every claim');
    const pg = live.workloads.find((w) => w.workload.kind === 'StatefulSet' && w.workload.name === 'pg');
    // 100 because every check about a StatefulSet judged it and it passed (all but default-class and
    // attach-headroom, which judge the cluster).
    assert.deepEqual(pg && { score: pg.score, checks: pg.checks, failed: pg.failed }, { score: 100, checks: AUDIT_IDS.length - 2, failed: 0 });
    assert.ok(live.workloads.some((w) => w.workload.kind === 'Cluster' && w.checks === 2 && w.score === 100), 'default class and attach headroom judged for the cluster');
    agree(live, offline);
  });

  it('every problem of the checklist planted beside it is found by its check, live and from its snapshot', async () => {
    // A careless database: a Delete class that binds at once and cannot grow, claims deleted with
    // the StatefulSet, no budget, no backup, its disks almost empty.
    await cluster.create(storageClass('scratch', { reclaim: 'Delete', binding: 'Immediate', expand: false }));
    await deployed('careless', 'cache', { replicas: 2, cls: 'scratch', spreadOverNodes: true, whenDeleted: 'Delete' });
    await fill('careless', 0.01);
    // A crowded one: both replicas held to zone-a, whose one node takes them both; a budget that
    // allows nothing; a snapshot of one replica only.
    await deployed('crowded', 'zk', { replicas: 2, cls: 'retain', zone: 'zone-a' });
    await cluster.create(disruptionBudget('crowded', 'zk', 0));
    await fill('crowded', 0.5);
    await snapshotted('crowded', ['data-zk-0']);
    // A forgotten one: its Velero schedule last ran three days ago.
    await deployed('forgotten', 'mq', { replicas: 1, cls: 'retain' });
    await fill('forgotten', 0.5);
    await cluster.create(namespace('velero'));
    await cluster.create({
      apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: { name: 'nightly', namespace: 'velero' },
      spec: { schedule: '0 1 * * *', template: { includedNamespaces: ['forgotten'], snapshotVolumes: true } },
      status: { phase: 'Enabled', lastBackup: new Date(Date.now() - 3 * 86_400_000).toISOString() },
    } as KubernetesObject);
    // And for the whole cluster: a second default class, the CSI controller down to one replica, the
    // usage alert gone, a node without the driver's node plugin.
    const second = storageClass('also-default', { reclaim: 'Retain' });
    (second.metadata as { annotations?: object }).annotations = { 'storageclass.kubernetes.io/is-default-class': 'true' };
    await cluster.create(second);
    await cluster.patch({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'disk-csi-controller', namespace: 'kube-system' }, spec: { replicas: 1 } } as KubernetesObject);
    await cluster.remove('monitoring.coreos.com/v1', 'PrometheusRule', 'kube-system', 'volumes');
    await cluster.addNode({ name: 'bare', zone: 'zone-b', withoutDriver: true });
    // Ready, and the node lifecycle controller has lifted its not-ready taint: pods may go there.
    await cluster.waitFor('node bare Ready and untainted', async () => (await cluster.nodeReady('bare')) && !(await cluster.read('v1', 'Node', undefined, 'bare'))?.spec?.taints?.length);

    const { live, offline } = await auditBoth(cluster);
    const expected: Record<string, string[]> = {
      'reclaim-delete-stateful': ['StatefulSet/careless/cache'],
      'immediate-binding-multizone': ['StatefulSet/careless/cache'],
      'no-expansion': ['StatefulSet/careless/cache'],
      'retention-delete': ['StatefulSet/careless/cache'],
      'backup-missing': ['StatefulSet/careless/cache'],
      'overprovisioned': ['StatefulSet/careless/cache'],
      'no-pdb': ['StatefulSet/careless/cache'],
      'pdb-blocks-drain': ['StatefulSet/crowded/zk'],
      'single-zone': ['StatefulSet/crowded/zk'],
      'replicas-share-node': ['StatefulSet/crowded/zk'],
      'backup-partial': ['StatefulSet/crowded/zk'],
      'backup-stale': ['StatefulSet/forgotten/mq'],
      // zk's pods are held to zone-a; bare is in zone-b.
      'csi-node-missing': ['StatefulSet/careless/cache', 'StatefulSet/clean/pg', 'StatefulSet/forgotten/mq'],
      'csi-controller-single': ['StatefulSet/careless/cache', 'StatefulSet/clean/pg', 'StatefulSet/crowded/zk', 'StatefulSet/forgotten/mq'],
      'usage-unmonitored': ['StatefulSet/careless/cache', 'StatefulSet/clean/pg', 'StatefulSet/crowded/zk', 'StatefulSet/forgotten/mq'],
      'default-class': ['StorageClass/also-default'],
      'attach-headroom': [`CSIDriver/${DRIVER}`],
    };
    assert.deepEqual(Object.keys(expected).sort(), [...AUDIT_IDS].sort(), 'every check planted');
    for (const [check, objects] of Object.entries(expected)) assert.deepEqual(findingsOf(live, check).sort(), objects, `${check}: ${JSON.stringify(live.findings.filter((f) => f.check === check).map((f) => f.message))}`);
    const score = (name: string) => live.workloads.find((w) => w.workload.name === name)!.score;
    assert.ok(score('cache') < score('zk') && score('zk') < score('pg') && score('pg') < 100, JSON.stringify(live.workloads));
    assert.ok(live.summary.score < 100 && live.summary.failed === false);
    agree(live, offline);
  });

  it("the read-only identity of deploy/ci audits it as well, all but usage: the kubelets' API is not read-only", async () => {
    for (const o of parseAllDocuments(readFileSync('deploy/ci/stsvol-readonly.yaml', 'utf8')).map((d) => d.toJS() as KubernetesObject)) await cluster.create(o);
    const kubeconfig = await serviceAccountKubeconfig(cluster, 'stsvol-ci', 'stsvol-readonly');
    const run = await stsvol(kubeconfig, ['audit', '-o', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const ci = JSON.parse(run.stdout) as AuditReport;
    assert.deepEqual(ci.notices.filter((n) => n.reason === 'forbidden'), [], 'Velero, PrometheusRules, snapshots, budgets: all read');
    const { live } = await auditBoth(cluster);
    assert.deepEqual(keys(ci), keys(live).filter((k) => !k.startsWith('overprovisioned ')));
    assert.equal(ci.summary.usage.claims, 0);
    assert.match(ci.summary.usage.problems.join('\n'), /kubelet of a1: HTTP 403: this identity may not get nodes\/proxy/);
  });
});
