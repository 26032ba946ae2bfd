// The four operations end to end on the real control plane: the StatefulSet, binder, attach-detach
// and expand controllers, the CSI sidecars, and stsvol's executor. Every test proves no data lost:
// each replica ends bound to the same volume holding the same token.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { namespace, statefulSet, storageClass } from '../objects.ts';
import { assertDataKept, stsvol, watchUnready, writeTokens } from '../operate.ts';
import { TestCluster } from '../test-cluster.ts';

let cluster: TestCluster;
const run = (args: string[]) => stsvol(cluster.kubeconfigPath, args);
const podUids = async (ns: string) => Object.fromEntries((await cluster.list('v1', 'Pod', ns)).map((p) => [p.metadata!.name!, p.metadata!.uid!]));
const claim = (ns: string, name: string) => cluster.read('v1', 'PersistentVolumeClaim', ns, name);

async function ready(ns: string, sts: string, replicas: number): Promise<void> {
  await cluster.waitFor(`${sts} ${replicas} Ready`, async () => (await cluster.read('apps/v1', 'StatefulSet', ns, sts))?.status?.readyReplicas === replicas, 90_000);
}

async function deployed(ns: string, sts: string, o: Parameters<typeof statefulSet>[2], labels?: Record<string, string>): Promise<void> {
  await cluster.create(namespace(ns));
  const manifest = statefulSet(ns, sts, o);
  if (labels) (manifest.metadata as { labels?: object }).labels = labels;
  await cluster.create(manifest);
  await ready(ns, sts, o.replicas);
}

describe('operations on the control plane', { timeout: 600_000 }, () => {
  before(async () => {
    cluster = await TestCluster.start([{ name: 'n1' }, { name: 'n2' }, { name: 'n3' }]);
    await cluster.create(storageClass('online'));
    await cluster.create(storageClass('fixed', { expand: false }));
    await cluster.create(storageClass('retain', { reclaim: 'Retain' }));
  });
  after(() => cluster?.stop());

  it('resize: dry run first, then claims highest first, orphan re-create, every pod adopted unrestarted (seeds 002/003)', async (t) => {
    await deployed('r1', 'web', { replicas: 3, cls: 'online', parallel: true }, { 'app.kubernetes.io/managed-by': 'Helm' });
    const held = await writeTokens(cluster, 'r1', 'web', [0, 1, 2]);
    const before = await podUids('r1');
    const oldUid = (await cluster.read('apps/v1', 'StatefulSet', 'r1', 'web'))!.metadata!.uid;

    const dry = await run(['resize', 'statefulset/web', '-n', 'r1', '--to', '2Gi']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /Dry run: nothing was changed/);
    assert.match(dry.stdout, /Helm release/);
    assert.equal((await claim('r1', 'data-web-2'))?.spec.resources.requests.storage, '1Gi', 'the dry run changed nothing');

    const watch = watchUnready(cluster, 'r1', 'web', 3);
    const began = Date.now();
    const applied = await run(['resize', 'statefulset/web', '-n', 'r1', '--to', '2Gi', '--apply', '--yes', '-o', 'json']);
    const wall = Date.now() - began;
    assert.equal(await watch.stop(), 0, 'an online resize takes no replica down');
    assert.equal(applied.code, 0, applied.stderr + applied.stdout);
    const events = applied.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; id?: string; phase?: string; elapsedMs?: number; status?: string });
    assert.equal(events.at(-1)?.status, 'done');
    // The controllers' share: the waits for each claim to grow (and for any restart); the rest is stsvol's.
    const controllers = events.filter((e) => e.type === 'step' && e.phase === 'done' && /^(expand|remount|resized|adopted):?/.test(e.id!)).reduce((sum, e) => sum + e.elapsedMs!, 0);
    t.diagnostic(`online resize of 3 replicas: wall ${wall} ms, of which waiting for the controllers ${controllers} ms`);
    const sts = (await cluster.read('apps/v1', 'StatefulSet', 'r1', 'web'))!;
    assert.notEqual(sts.metadata!.uid, oldUid, 're-created');
    assert.equal(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage, '2Gi');
    assert.equal(sts.metadata!.labels?.['app.kubernetes.io/managed-by'], 'Helm', 'labels kept, so Helm still owns it');
    for (const c of ['data-web-0', 'data-web-1', 'data-web-2']) assert.equal((await claim('r1', c))?.status.capacity.storage, '2Gi');
    assert.deepEqual(await podUids('r1'), before, 'no pod restarted');
    await assertDataKept(cluster, 'r1', held);
    assert.deepEqual((await cluster.list('v1', 'ConfigMap', 'r1')).filter((c) => c.metadata?.labels?.['app.kubernetes.io/managed-by'] === 'stsvol'), [], 'the journal is removed');
    const grows = cluster.backend.calls.filter((c) => c.startsWith('ControllerExpandVolume') && held.some((h) => c.includes(h.handle)));
    assert.deepEqual(grows.map((c) => held.findIndex((h) => c.includes(h.handle))), [2, 1, 0], 'highest ordinal first');
  });

  it('resize: refuses what cannot work, and changes nothing (exit 4 / 2)', async () => {
    await deployed('r2', 'cache', { replicas: 1, cls: 'fixed' });
    const fixed = await run(['resize', 'cache', '-n', 'r2', '--to', '2Gi', '--apply', '--yes']);
    assert.equal(fixed.code, 4);
    assert.match(fixed.stdout, /storage class fixed of claim data-cache-0 does not set allowVolumeExpansion/);
    const shrink = await run(['resize', 'cache', '-n', 'r2', '--to', '512Mi']);
    assert.equal(shrink.code, 4);
    assert.match(shrink.stdout, /volumes cannot shrink/);
    const unknown = await run(['resize', 'nope', '-n', 'r2', '--to', '2Gi']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /statefulset\/nope: not found in namespace r2/);
    assert.equal((await claim('r2', 'data-cache-0'))?.spec.resources.requests.storage, '1Gi');
  });

  it('scale: down with claims deleted after the pods, up refused over old data until quarantined, reclaim prices and deletes what is left (seed 000)', async () => {
    await deployed('s1', 'kafka', { replicas: 3, cls: 'retain', parallel: true });
    const held = await writeTokens(cluster, 's1', 'kafka', [0, 1, 2]);
    const down = await run(['scale', 'kafka', '-n', 's1', '--replicas', '1', '--delete-claims', '--apply', '--yes']);
    assert.equal(down.code, 0, down.stderr + down.stdout);
    assert.equal(await claim('s1', 'data-kafka-1'), undefined);
    assert.equal(await claim('s1', 'data-kafka-2'), undefined);
    await assertDataKept(cluster, 's1', held.slice(0, 1));
    await cluster.waitFor('both volumes Released', async () => (await Promise.all(held.slice(1).map((h) => cluster.read('v1', 'PersistentVolume', undefined, h.volume)))).every((pv) => pv?.status?.phase === 'Released'));

    // An administrator "frees" one of them the usual way: clearing claimRef makes it Available to anyone.
    await cluster.patch({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: held[1]!.volume }, spec: { claimRef: null } } as never);
    await cluster.waitFor('the volume Available', async () => (await cluster.read('v1', 'PersistentVolume', undefined, held[1]!.volume))?.status?.phase === 'Available');
    const refused = await run(['scale', 'kafka', '-n', 's1', '--replicas', '2']);
    assert.equal(refused.code, 4);
    assert.match(refused.stdout, new RegExp(`1 Available volume of class retain fit a new claim of "data": ${held[1]!.volume} \\(1Gi, made by disk.csi.stsvol.test for an earlier claim: its data\\)`));
    assert.match(refused.stdout, /New volumes: 1, 1 GiB/);
    const up = await run(['scale', 'kafka', '-n', 's1', '--replicas', '2', '--quarantine', '--apply', '--yes']);
    assert.equal(up.code, 0, up.stderr + up.stdout);
    const fresh = await claim('s1', 'data-kafka-1');
    assert.notEqual(fresh?.spec.volumeName, held[1]!.volume, 'the new replica got a fresh volume, not the old data');
    const quarantined = await cluster.read('v1', 'PersistentVolume', undefined, held[1]!.volume);
    assert.equal(quarantined?.spec.claimRef.namespace, 'stsvol-quarantine');
    assert.equal(cluster.backend.read(held[1]!.handle), held[1]!.token, 'the quarantined volume keeps its data');

    const listed = await run(['reclaim', '-n', 's1']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`Delete Released volume ${held[2]!.volume}`));
    assert.doesNotMatch(listed.stdout, new RegExp(held[1]!.volume), 'a quarantined volume is not Released: kept');
    assert.match(listed.stdout, /is Retain: deleting the PV object leaves its disk/);
    assert.ok(await cluster.read('v1', 'PersistentVolume', undefined, held[2]!.volume), 'listing deletes nothing');
    const reclaimed = await run(['reclaim', '-n', 's1', '--apply', '--yes']);
    assert.equal(reclaimed.code, 0, reclaimed.stderr + reclaimed.stdout);
    assert.equal(await cluster.read('v1', 'PersistentVolume', undefined, held[2]!.volume), undefined);
    await assertDataKept(cluster, 's1', held.slice(0, 1));
  });

  it('recover: refuses before the node is fenced, then fences, force-deletes, detaches and waits for the replica elsewhere (seeds 001/004)', async () => {
    await deployed('f1', 'zk', { replicas: 2, cls: 'online', parallel: true, spreadOverNodes: true });
    const held = await writeTokens(cluster, 'f1', 'zk', [0, 1]);
    const pods = await cluster.list('v1', 'Pod', 'f1');
    const victim = pods.find((p) => p.metadata!.name === 'zk-0')!;
    const node = victim.spec.nodeName as string;
    const onReady = await run(['recover', 'pod/zk-0', '-n', 'f1', '--node-is-down']);
    assert.equal(onReady.code, 4);
    assert.match(onReady.stdout, new RegExp(`node ${node} is Ready`));

    await cluster.loseNode(node);
    await cluster.waitFor(`${node} NotReady`, async () => !(await cluster.nodeReady(node)), 90_000);
    const unfenced = await run(['recover', 'pod/zk-0', '-n', 'f1', '--apply', '--yes']);
    assert.equal(unfenced.code, 4);
    assert.match(unfenced.stdout, /but not fenced: confirm its machine is powered off/);
    assert.equal((await cluster.read('v1', 'Pod', 'f1', 'zk-0'))?.metadata?.uid, victim.metadata!.uid, 'nothing was deleted');

    const recovered = await run(['recover', 'pod/zk-0', '-n', 'f1', '--node-is-down', '--apply', '--yes']);
    assert.equal(recovered.code, 0, recovered.stderr + recovered.stdout);
    assert.match(recovered.stdout, new RegExp(`remove the fence: kubectl taint nodes ${node} node.kubernetes.io/out-of-service=nodeshutdown:NoExecute-`));
    const replacement = await cluster.read('v1', 'Pod', 'f1', 'zk-0');
    assert.notEqual(replacement?.spec.nodeName, node);
    assert.ok((await cluster.read('v1', 'Node', undefined, node))?.spec.taints.some((t: { key: string }) => t.key === 'node.kubernetes.io/out-of-service'));
    await assertDataKept(cluster, 'f1', held);
  });
});
