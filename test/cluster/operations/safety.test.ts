// The unsafe cases of the operations, closed and proven on the real control plane: fencing that
// means not running, snapshots taken before the claim goes, parked claims, rollouts, admission of
// the re-created StatefulSet, the remount and offline-only resize paths with the node's part played
// as the kubelet plays it, a PodDisruptionBudget holding a restart, and recovery of a node and of an
// attachment. One control plane (with the CSI snapshot stack), one namespace per case; the cases that
// lose nodes run last.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PARAM_NODE_EXPANSION, PARAM_OFFLINE_EXPANSION } from '../disk-backend.ts';
import { claim as claimManifest, disruptionBudget, namespace, statefulSet, storageClass, type StatefulSetOptions } from '../objects.ts';
import { assertDataKept, runAndKill, stsvol, watchUnready, writeTokens } from '../operate.ts';
import { DRIVER, TestCluster } from '../test-cluster.ts';

let cluster: TestCluster;
const run = (args: string[]) => stsvol(cluster.kubeconfigPath, args);
const claim = (ns: string, name: string) => cluster.read('v1', 'PersistentVolumeClaim', ns, name);
const journals = async (ns: string) => (await cluster.list('v1', 'ConfigMap', ns)).filter((c) => c.metadata?.labels?.['app.kubernetes.io/managed-by'] === 'stsvol');
/** The snapshot stsvol took of a claim: found by its source and its claim-uid label, not by a guessed name. */
async function snapshotOf(namespace: string, claimName: string): Promise<Record<string, any> | undefined> {
  const snaps = await cluster.list('snapshot.storage.k8s.io/v1', 'VolumeSnapshot', namespace);
  return snaps.find((s) => s.spec.source.persistentVolumeClaimName === claimName && s.metadata?.labels?.['stsvol.io/claim-uid']);
}

async function ready(ns: string, sts: string, replicas: number): Promise<void> {
  await cluster.waitFor(`${sts} ${replicas} Ready`, async () => (await cluster.read('apps/v1', 'StatefulSet', ns, sts))?.status?.readyReplicas === replicas, 90_000);
}

async function deployed(ns: string, sts: string, o: StatefulSetOptions): Promise<void> {
  if (!(await cluster.read('v1', 'Namespace', undefined, ns))) await cluster.create(namespace(ns));
  await cluster.create(statefulSet(ns, sts, o));
  await ready(ns, sts, o.replicas);
}

/** The steps that wait for controllers and restarts: the resizer, the kubelet's part, a pod stopping
 *  and starting again, the adoption. */
const WAITS_ON_CONTROLLERS = /^(expand|remount|resized|adopted|offline-(delete|expand|ready)):?/;

/** The step events of an --apply -o json run, how it ended, and the time its steps waited on
 *  controllers. */
function stepsOf(stdout: string): { ids: string[]; result?: { status: string }; controllersMs: number } {
  const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; id?: string; phase?: string; status?: string; elapsedMs?: number });
  const done = lines.filter((e) => e.type === 'step' && e.phase === 'done');
  return {
    ids: done.map((e) => e.id!), result: lines.find((e) => e.type === 'result') as { status: string } | undefined,
    controllersMs: done.filter((e) => WAITS_ON_CONTROLLERS.test(e.id!)).reduce((sum, e) => sum + e.elapsedMs!, 0),
  };
}

describe('operations that cannot break at-most-one or lose data', { timeout: 900_000 }, () => {
  before(async () => {
    cluster = await TestCluster.start([{ name: 'n1' }, { name: 'n2' }, { name: 'n3' }, { name: 'n4' }], { snapshots: true });
    await cluster.create(storageClass('online'));
    await cluster.create(storageClass('now', { binding: 'Immediate' }));
    await cluster.create(storageClass('node', { parameters: { [PARAM_NODE_EXPANSION]: 'true' } }));
    await cluster.create(storageClass('offline', { parameters: { [PARAM_OFFLINE_EXPANSION]: 'true' } }));
    await cluster.create({ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: 'snap' }, driver: DRIVER, deletionPolicy: 'Delete' } as never);
  });
  after(() => cluster?.stop());

  it('scale-down under whenScaled: Delete: every snapshot ReadyToUse before the replicas change, and a restore brings the data back', async () => {
    await deployed('s1', 'kafka', { replicas: 3, cls: 'online', parallel: true, whenScaled: 'Delete' });
    const held = await writeTokens(cluster, 's1', 'kafka', [0, 1, 2]);
    const refused = await run(['scale', 'kafka', '-n', 's1', '--replicas', '1']);
    assert.equal(refused.code, 4, 'the retention policy would delete claims nobody asked to delete');
    assert.match(refused.stdout, /whenScaled: Delete, so this scale-down deletes claims data-kafka-2, data-kafka-1/);

    const down = await run(['scale', 'kafka', '-n', 's1', '--replicas', '1', '--delete-claims', '--snapshot-class', 'snap', '--apply', '--yes', '-o', 'json']);
    assert.equal(down.code, 0, down.stderr + down.stdout);
    const { ids } = stepsOf(down.stdout);
    assert.deepEqual(ids.slice(0, 3), ['snapshot:data-kafka-2', 'snapshot:data-kafka-1', 'replicas'], 'both snapshots ready before the replicas changed');
    for (const h of held.slice(1)) {
      await cluster.waitFor(`${h.handle} deleted with its claim`, async () => cluster.backend.calls.includes(`DeleteVolume ${h.handle}`));
      const snapshotAt = cluster.backend.calls.findIndex((c) => c.startsWith(`CreateSnapshot ${h.handle}`));
      assert.ok(snapshotAt >= 0 && snapshotAt < cluster.backend.calls.indexOf(`DeleteVolume ${h.handle}`), `${h.claim}: the snapshot came before its disk went`);
      assert.equal(await claim('s1', h.claim), undefined, 'the controller deleted the claim');
    }
    await assertDataKept(cluster, 's1', held.slice(0, 1));

    // The restore: a claim from the snapshot of ordinal 2 holds what ordinal 2 wrote.
    const restore = claimManifest('s1', 'restored', 'now');
    (restore.spec as Record<string, unknown>).dataSource = { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: (await snapshotOf('s1', 'data-kafka-2'))!.metadata.name };
    await cluster.create(restore as never);
    await cluster.waitFor('the restored claim bound', async () => (await claim('s1', 'restored'))?.status?.phase === 'Bound', 60_000);
    const pv = await cluster.read('v1', 'PersistentVolume', undefined, (await claim('s1', 'restored'))!.spec.volumeName);
    assert.equal(cluster.backend.read(pv!.spec.csi.volumeHandle), held[2]!.token, 'the restored volume holds the data of kafka-2');
  });

  it('reclaim: each claim snapshotted and ReadyToUse before it is deleted; parked claims kept apart', async () => {
    await deployed('p1', 'es', { replicas: 3, cls: 'online', parallel: true });
    const held = await writeTokens(cluster, 'p1', 'es', [0, 1, 2]);
    await cluster.patch({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'es', namespace: 'p1' }, spec: { replicas: 2 } } as never);
    await cluster.waitFor('es-2 gone', async () => (await cluster.read('v1', 'Pod', 'p1', 'es-2')) === undefined);
    // An autoscaler scales es: the claim above its replicas is parked, not unused.
    await cluster.create({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'es', namespace: 'p1' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'es' }, minReplicas: 2, maxReplicas: 3 } } as never);
    const parked = await run(['reclaim', '-n', 'p1', '--snapshot-class', 'snap', '--apply', '--yes']);
    assert.equal(parked.code, 0, parked.stderr + parked.stdout);
    assert.match(parked.stdout, /1 parked claim kept.*--include-parked deletes them too/);
    assert.match(parked.stdout, /parked: statefulset es is scaled by HorizontalPodAutoscaler es/);
    assert.ok(await claim('p1', 'data-es-2'), 'a parked claim is not deleted');

    await cluster.remove('autoscaling/v2', 'HorizontalPodAutoscaler', 'p1', 'es');
    const reclaimed = await run(['reclaim', '-n', 'p1', '--snapshot-class', 'snap', '--apply', '--yes', '-o', 'json']);
    assert.equal(reclaimed.code, 0, reclaimed.stderr + reclaimed.stdout);
    assert.deepEqual(stepsOf(reclaimed.stdout).ids, ['snapshot:data-es-2', 'delete:p1/data-es-2']);
    const snap = await snapshotOf('p1', 'data-es-2');
    assert.equal(snap?.status?.readyToUse, true);
    assert.equal(await claim('p1', 'data-es-2'), undefined);
    await assertDataKept(cluster, 'p1', held.slice(0, 2));

    // Scaled to 0 for maintenance: every claim is parked.
    await cluster.patch({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'es', namespace: 'p1' }, spec: { replicas: 0 } } as never);
    await cluster.waitFor('es scaled to 0', async () => (await cluster.list('v1', 'Pod', 'p1')).length === 0, 60_000);
    const zero = await run(['reclaim', '-n', 'p1', '--apply', '--yes']);
    assert.equal(zero.code, 0, zero.stderr + zero.stdout);
    assert.match(zero.stdout, /2 parked claims kept/);
    await assertDataKept(cluster, 'p1', held.slice(0, 2));
  });

  it('resize refuses an unfinished partitioned rollout, and a re-created StatefulSet admission would reject; nothing changes', async () => {
    await deployed('r1', 'pg', { replicas: 2, cls: 'online', parallel: true, partition: 1 });
    await cluster.patch({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'pg', namespace: 'r1' }, spec: { template: { metadata: { annotations: { upgrade: 'v2' } } } } } as never);
    await cluster.waitFor('the canary rolled', async () => {
      const s = (await cluster.read('apps/v1', 'StatefulSet', 'r1', 'pg'))?.status;
      return Boolean(s?.updateRevision && s.currentRevision !== s.updateRevision && s.updatedReplicas === 1 && s.readyReplicas === 2);
    }, 60_000);
    const rollout = await run(['resize', 'pg', '-n', 'r1', '--to', '2Gi', '--apply', '--yes']);
    assert.equal(rollout.code, 4, rollout.stderr + rollout.stdout);
    assert.match(rollout.stdout, /in the middle of a rollout \(currentRevision pg-\w+, updateRevision pg-\w+, partition 1\)/);

    await deployed('r2', 'web', { replicas: 1, cls: 'online' });
    await cluster.create({
      apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'team-label' },
      spec: { failurePolicy: 'Fail', matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['statefulsets'] }] }, validations: [{ expression: "has(object.metadata.labels) && 'team' in object.metadata.labels", message: 'StatefulSets need a team label' }] },
    } as never);
    await cluster.create({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'team-label' }, spec: { policyName: 'team-label', validationActions: ['Deny'], matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'r2' } } } } } as never);
    const uid = (await cluster.read('apps/v1', 'StatefulSet', 'r2', 'web'))!.metadata!.uid;
    await cluster.waitFor('the policy in force', async () => {
      const r = await run(['resize', 'web', '-n', 'r2', '--to', '2Gi']);
      return r.code === 4;
    }, 30_000);
    const denied = await run(['resize', 'web', '-n', 'r2', '--to', '2Gi', '--apply', '--yes']);
    assert.equal(denied.code, 4, denied.stderr + denied.stdout);
    assert.match(denied.stdout, /the API server would not create statefulset web again: .*StatefulSets need a team label/);
    assert.equal((await cluster.read('apps/v1', 'StatefulSet', 'r2', 'web'))!.metadata!.uid, uid, 'the original was never deleted');
    assert.equal((await claim('r2', 'data-web-0'))?.spec.resources.requests.storage, '1Gi', 'no claim was grown');
    assert.deepEqual(await journals('r2'), []);
    await cluster.remove('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicyBinding', undefined, 'team-label');
  });

  for (const [cls, how] of [['node', 'its file system grows when its pod mounts it again'], ['offline', 'its driver expands only while no pod uses it']] as const) {
    it(`resize end to end where ${how}: one replica down at most, data kept, every claim at the new size, the journal gone`, async (t) => {
      const ns = `e-${cls}`;
      await deployed(ns, 'db', { replicas: 2, cls, parallel: true, spreadOverNodes: true });
      const held = await writeTokens(cluster, ns, 'db', [0, 1]);
      const watch = watchUnready(cluster, ns, 'db', 2);
      const began = Date.now();
      const result = await run(['resize', 'db', '-n', ns, '--to', '2Gi', '--remount-after', '1s', '--timeout', '3m', '--apply', '--yes', '-o', 'json']);
      assert.ok(await watch.stop() <= 1, 'never two replicas down');
      assert.equal(result.code, 0, result.stderr + result.stdout);
      const wall = Date.now() - began;
      const { ids, controllersMs } = stepsOf(result.stdout);
      t.diagnostic(`${cls} resize of 2 replicas: wall ${wall} ms, of which waiting for the controllers and restarts ${controllersMs} ms (${(wall / controllersMs).toFixed(2)}x)`);
      for (const c of ['data-db-1', 'data-db-0']) {
        assert.equal((await claim(ns, c))?.status.capacity.storage, '2Gi', `${c} grown, its file system too`);
        assert.ok(ids.includes(cls === 'node' ? `remount:${c}` : `offline-recreate:${c}`), `${c} took the ${cls} path`);
      }
      const sts = (await cluster.read('apps/v1', 'StatefulSet', ns, 'db'))!;
      assert.equal(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage, '2Gi');
      assert.equal(sts.status?.readyReplicas, 2);
      await assertDataKept(cluster, ns, held);
      assert.deepEqual(await journals(ns), [], 'the journal is removed');
      assert.ok(held.every((h) => cluster.backend.calls.includes(`NodeExpandVolume ${h.handle}`)), 'the node grew each file system on its mount');
    });
  }

  it('offline under a maxUnavailable budget: killed after its orphan delete, ops abandon brings the StatefulSet back over the same pods; a new run finishes', async () => {
    const ns = 'o-pdb';
    await deployed(ns, 'db', { replicas: 2, cls: 'offline', parallel: true, spreadOverNodes: true });
    const held = await writeTokens(cluster, ns, 'db', [0, 1]);
    // With the StatefulSet away the disruption controller cannot compute this budget: an eviction would wait forever.
    await cluster.create(disruptionBudget(ns, 'db', 1));
    await cluster.waitFor('the budget allows one disruption', async () => (await cluster.read('policy/v1', 'PodDisruptionBudget', ns, 'db'))?.status?.disruptionsAllowed === 1);
    const uids = Object.fromEntries((await cluster.list('v1', 'Pod', ns)).map((p) => [p.metadata!.name!, p.metadata!.uid!]));

    // save, grow, expand, remount (skipped), offline-stop: killed right after the orphan delete.
    const killed = await runAndKill(cluster.kubeconfigPath, ['resize', 'db', '-n', ns, '--to', '2Gi', '--remount-after', '1s', '--timeout', '3m'], 5);
    assert.ok(killed.killed);
    assert.deepEqual(killed.events.filter((e) => e.phase === 'done' || e.phase === 'skipped').at(-1), { id: 'offline-stop:data-db-1', phase: 'done' });
    assert.equal(await cluster.read('apps/v1', 'StatefulSet', ns, 'db'), undefined, 'the StatefulSet is away, its pods orphaned');

    const abandoned = await run(['ops', 'abandon', 'statefulset/db', '-n', ns, '--apply', '--yes']);
    assert.equal(abandoned.code, 0, abandoned.stderr + abandoned.stdout);
    assert.match(abandoned.stdout, /orphan-deleted statefulset db and has not created it again/);
    const back = (await cluster.read('apps/v1', 'StatefulSet', ns, 'db'))!;
    assert.ok(back.metadata!.annotations?.['stsvol.io/recreated-by-journal'], 'stamped with the journal it came from');
    assert.equal(back.spec.volumeClaimTemplates[0].spec.resources.requests.storage, '1Gi', 'as it was');
    await ready(ns, 'db', 2);
    assert.deepEqual(Object.fromEntries((await cluster.list('v1', 'Pod', ns)).map((p) => [p.metadata!.name!, p.metadata!.uid!])), uids, 'the same pods, adopted, none restarted');
    assert.deepEqual(await journals(ns), []);

    const watch = watchUnready(cluster, ns, 'db', 2);
    const finished = await run(['resize', 'db', '-n', ns, '--to', '2Gi', '--remount-after', '1s', '--timeout', '3m', '--apply', '--yes', '-o', 'json']);
    assert.ok(await watch.stop() <= 1, 'never two replicas down');
    assert.equal(finished.code, 0, finished.stderr + finished.stdout);
    const { ids } = stepsOf(finished.stdout);
    assert.ok(ids.includes('offline-delete:data-db-1') && ids.includes('offline-delete:data-db-0'), 'each pod deleted, not evicted: the budget was judged before the orphan delete');
    for (const c of ['data-db-1', 'data-db-0']) assert.equal((await claim(ns, c))?.status.capacity.storage, '2Gi');
    await assertDataKept(cluster, ns, held);
  });

  it('a saved plan is applied only while the cluster has not moved: from a snapshot, and live', async () => {
    await deployed('ap', 'web', { replicas: 2, cls: 'online', parallel: true });
    const dir = mkdtempSync(join(tmpdir(), 'stsvol-apply-'));
    const [snap, reviewed, fresh] = ['snap.json', 'reviewed.json', 'fresh.json'].map((f) => join(dir, f)) as [string, string, string];
    assert.equal((await run(['snapshot', '-n', 'ap', '-f', snap])).code, 0);
    const planned = await run(['resize', 'web', '-n', 'ap', '--to', '2Gi', '--from', snap, '--out', reviewed]);
    assert.equal(planned.code, 0, planned.stderr + planned.stdout);

    // Between the review and the apply someone scales the StatefulSet: the plan no longer holds.
    await cluster.patch({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'ap' }, spec: { replicas: 3 } } as never);
    await ready('ap', 'web', 3);
    const moved = await run(['apply', reviewed, '--yes']);
    assert.equal(moved.code, 4, moved.stderr + moved.stdout);
    assert.match(moved.stdout, /the cluster moved since the plan was made \([^)]+\): .*; make a new plan \[cluster-moved\]/);
    for (const c of ['data-web-0', 'data-web-1']) assert.equal((await claim('ap', c))?.spec.resources.requests.storage, '1Gi', 'nothing was changed');
    assert.deepEqual(await journals('ap'), []);

    const live = await run(['resize', 'web', '-n', 'ap', '--to', '2Gi', '--out', fresh]);
    assert.equal(live.code, 0, live.stderr + live.stdout);
    const applied = await run(['apply', fresh, '--yes']);
    assert.equal(applied.code, 0, applied.stderr + applied.stdout);
    assert.match(applied.stdout, /^Apply .*fresh\.json: resize statefulset\/web, planned .* from context .*; planned again now, the same/);
    for (const c of ['data-web-0', 'data-web-1', 'data-web-2']) assert.equal((await claim('ap', c))?.status.capacity.storage, '2Gi');
    assert.equal((await cluster.read('apps/v1', 'StatefulSet', 'ap', 'web'))!.spec.volumeClaimTemplates[0].spec.resources.requests.storage, '2Gi');
  });

  it('a PodDisruptionBudget holds the restart: the run stops with exit 5 and its journal, and finishes once the budget allows', async () => {
    await deployed('b1', 'zk', { replicas: 2, cls: 'node', parallel: true });
    const held = await writeTokens(cluster, 'b1', 'zk', [0, 1]);
    await cluster.create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'zk', namespace: 'b1' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'zk' } } } } as never);
    await cluster.waitFor('the budget allows no disruption', async () => {
      const status = (await cluster.read('policy/v1', 'PodDisruptionBudget', 'b1', 'zk'))?.status;
      return status?.expectedPods === 2 && status.disruptionsAllowed === 0;
    });
    const held1 = await run(['resize', 'zk', '-n', 'b1', '--to', '2Gi', '--remount-after', '1s', '--timeout', '8s', '--apply', '--yes']);
    assert.equal(held1.code, 5, held1.stderr + held1.stdout);
    assert.match(held1.stderr, /stopped at remount:data-zk-1: gave up waiting/);
    assert.equal((await journals('b1')).length, 1, 'the journal is kept');
    assert.equal((await cluster.read('apps/v1', 'StatefulSet', 'b1', 'zk'))?.status?.readyReplicas, 2, 'nothing was taken down');
    const ops = await run(['ops', '-n', 'b1', '-o', 'json']);
    assert.equal(JSON.parse(ops.stdout).operations[0].operation, 'resize');
    const other = await run(['scale', 'zk', '-n', 'b1', '--replicas', '3']);
    assert.equal(other.code, 4, 'another operation on the StatefulSet waits for the journal');
    assert.match(other.stdout, /resize .* is in progress/);

    await cluster.patch({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'zk', namespace: 'b1' }, spec: { minAvailable: 1 } } as never);
    const resumed = await run(['resize', 'zk', '-n', 'b1', '--to', '2Gi', '--remount-after', '1s', '--timeout', '2m', '--apply', '--yes']);
    assert.equal(resumed.code, 0, resumed.stderr + resumed.stdout);
    assert.match(resumed.stdout, /Resume resize of statefulset\/zk/);
    assert.equal((await claim('b1', 'data-zk-0'))?.status.capacity.storage, '2Gi');
    await assertDataKept(cluster, 'b1', held);
    assert.deepEqual(await journals('b1'), []);
  });

  it('fenced means not running: a node Ready again under the out-of-service taint is refused, and doctor says so', async () => {
    await cluster.patch({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: { taints: [{ key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' }] } } as never);
    try {
      const refused = await run(['recover', 'node/n1', '--node-is-down', '--apply', '--yes']);
      assert.equal(refused.code, 4, refused.stderr + refused.stdout);
      assert.match(refused.stdout, /node n1 is tainted out-of-service but reports Ready: its kubelet runs again, so it is not fenced/);
      const doctor = await run(['doctor', '-o', 'json', '--check', 'fenced-node-ready']);
      const n1 = await cluster.read('v1', 'Node', undefined, 'n1');
      const state = `n1 taints ${JSON.stringify(n1?.spec?.taints)}, Ready ${JSON.stringify(n1?.status?.conditions?.find((c: { type: string }) => c.type === 'Ready'))}`;
      assert.deepEqual(JSON.parse(doctor.stdout).findings.map((f: { object: { name: string } }) => f.object.name), ['n1'], `${doctor.stderr}; now: ${state}`);
    } finally {
      await cluster.patch({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: { taints: null } } as never);
    }
  });

  it('recover volumeattachment/NAME: the attachment left by a force delete without fencing (seed 001, case 3)', async () => {
    await deployed('v1', 'mysql', { replicas: 1, cls: 'online', prefer: 'n4' });
    assert.equal((await cluster.read('v1', 'Pod', 'v1', 'mysql-0'))?.spec.nodeName, 'n4');
    const held = await writeTokens(cluster, 'v1', 'mysql', [0]);
    await cluster.waitFor('the disk attached on n4', async () => (await cluster.list('storage.k8s.io/v1', 'VolumeAttachment')).some((a) => a.spec.source.persistentVolumeName === held[0]!.volume && a.status?.attached));
    const va = (await cluster.list('storage.k8s.io/v1', 'VolumeAttachment')).find((a) => a.spec.source.persistentVolumeName === held[0]!.volume && a.spec.nodeName === 'n4')!;
    await cluster.loseNode('n4');
    await cluster.reportVolumesInUse('n4', [held[0]!.handle]);
    await cluster.waitFor('n4 NotReady', async () => !(await cluster.nodeReady('n4')), 90_000);
    // The runbook's mistake: the pod force-deleted while its node may run; the StatefulSet makes a new
    // one elsewhere, which n4's attachment keeps from its disk (Multi-Attach).
    await cluster.remove('v1', 'Pod', 'v1', 'mysql-0', 0);
    await cluster.waitFor('the new mysql-0 waits for the disk n4 holds', async () => {
      const p = await cluster.read('v1', 'Pod', 'v1', 'mysql-0');
      return Boolean(p && p.spec.nodeName && p.spec.nodeName !== 'n4');
    });
    assert.ok(await cluster.read('storage.k8s.io/v1', 'VolumeAttachment', undefined, va.metadata!.name!), 'the attachment to the dead node stays: its kubelet last reported the volume in use');
    const unfenced = await run(['recover', `volumeattachment/${va.metadata!.name}`, '--apply', '--yes']);
    assert.equal(unfenced.code, 4, 'not before the node is fenced');
    const recovered = await run(['recover', `volumeattachment/${va.metadata!.name}`, '--node-is-down', '--apply', '--yes']);
    assert.equal(recovered.code, 0, recovered.stderr + recovered.stdout);
    await cluster.waitFor('mysql-0 Ready elsewhere', async () => {
      const p = await cluster.read('v1', 'Pod', 'v1', 'mysql-0');
      return p?.spec?.nodeName !== 'n4' && p?.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
    }, 90_000);
    await cluster.waitFor('the disk attached where mysql-0 runs now, and nowhere else', async () => {
      const vas = (await cluster.list('storage.k8s.io/v1', 'VolumeAttachment')).filter((a) => a.spec.source.persistentVolumeName === held[0]!.volume);
      return vas.length === 1 && vas[0]!.spec.nodeName !== 'n4' && vas[0]!.status?.attached === true;
    }, 60_000);
    await assertDataKept(cluster, 'v1', held);
  });

  it('recover node/NAME: every pod with volumes of a dead node, fenced first', async () => {
    await deployed('n1', 'a', { replicas: 1, cls: 'online', prefer: 'n3' });
    await deployed('n1', 'b', { replicas: 1, cls: 'online', prefer: 'n3' });
    const onN3 = (await cluster.list('v1', 'Pod', 'n1')).filter((p) => p.spec.nodeName === 'n3').map((p) => p.metadata!.name);
    assert.deepEqual(onN3.sort(), ['a-0', 'b-0']);
    const held = [...await writeTokens(cluster, 'n1', 'a', [0]), ...await writeTokens(cluster, 'n1', 'b', [0])];
    await cluster.loseNode('n3');
    await cluster.waitFor('n3 NotReady', async () => !(await cluster.nodeReady('n3')), 90_000);
    const recovered = await run(['recover', 'node/n3', '--node-is-down', '--apply', '--yes', '-o', 'json']);
    assert.equal(recovered.code, 0, recovered.stderr + recovered.stdout);
    const { ids } = stepsOf(recovered.stdout);
    assert.equal(ids[0], 'fence:n3', 'fenced before anything is deleted');
    for (const name of onN3) assert.ok(ids.includes(`delete:n1/${name}`) && ids.includes(`replaced:n1/${name}`), `${name} recovered`);
    for (const sts of ['a', 'b']) await ready('n1', sts, 1);
    await assertDataKept(cluster, 'n1', held);
  });
});
