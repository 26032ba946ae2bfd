// The operator on a real control plane, authenticated as the chart's ServiceAccount with exactly
// the chart's RBAC: each feature works with it and nothing beyond it is allowed; filling volumes are
// grown before they are full and their StatefulSet's template follows; the cooldown survives a
// killed leader and a restart; the janitor cleans an attachment of a deleted node and leaves a
// merely NotReady node's alone until it is fenced. One control plane, two operator replicas.

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { rbacObjects } from '../../../src/operator/deploy-manifests.ts';
import { claim, namespace, statefulSet, storageClass } from '../objects.ts';
import { allowed, OperatorProcess, serviceAccountKubeconfig } from '../operator-process.ts';
import { DRIVER, TestCluster } from '../test-cluster.ts';

const GiB = 2 ** 30;
const SYSTEM = 'stsvol-system';
const SA = 'stsvol-operator';
const ALL = { events: true, autoExpand: true, templateSync: true, janitor: true, dashboard: true };
const NONE = { events: true, autoExpand: false, templateSync: false, janitor: false };
const LEASE = { duration: 4, retry: 1 };
const ARGS = ['-n', SYSTEM, '--auto-expand', '--template-sync', '--janitor', '--usage-interval', '1s', '--lease-duration', `${LEASE.duration}s`, '--renew-deadline', '3s', '--retry-period', `${LEASE.retry}s`];

type Obj = Record<string, any>;

describe('stsvol operator', { timeout: 600_000 }, () => {
  let cluster: TestCluster;
  let kubeconfig: string;
  const operators: OperatorProcess[] = [];

  async function apply(objects: object[]): Promise<void> {
    for (const o of objects) await cluster.create(o as Obj).catch((err: { code?: number }) => { if (err.code !== 409) throw err; });
  }

  async function leaseHolder(): Promise<string | undefined> {
    return (await cluster.read('coordination.k8s.io/v1', 'Lease', SYSTEM, 'stsvol-operator'))?.spec?.holderIdentity;
  }

  async function startOperator(name: string): Promise<OperatorProcess> {
    const op = await OperatorProcess.start(name, kubeconfig, ARGS);
    operators.push(op);
    return op;
  }

  async function claimOf(ns: string, name: string): Promise<Obj> {
    return (await cluster.read('v1', 'PersistentVolumeClaim', ns, name))!;
  }

  async function diskOf(ns: string, name: string): Promise<string> {
    const pv = await cluster.read('v1', 'PersistentVolume', undefined, (await claimOf(ns, name)).spec.volumeName);
    return pv!.spec.csi.volumeHandle as string;
  }

  before(async () => {
    cluster = await TestCluster.start([{ name: 'n1' }, { name: 'n2' }, { name: 'n3' }, { name: 'n4' }]);
    await cluster.create(namespace(SYSTEM));
    await cluster.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: SA, namespace: SYSTEM } });
    // The default install first: events and reading only.
    await apply(rbacObjects({ namespace: SYSTEM, serviceAccount: SA, features: NONE }));
    kubeconfig = await serviceAccountKubeconfig(cluster, SYSTEM, SA);
  });

  after(async () => {
    await Promise.all(operators.map((o) => o.kill()));
    await cluster?.stop();
  });

  it('has exactly the RBAC of the chart: write verbs only for the features switched on, nothing beyond', async () => {
    const can = (verb: string, resource: string, more: { group?: string; subresource?: string; namespace?: string } = {}) => allowed(kubeconfig, { verb, resource, ...more });
    assert.equal(await can('watch', 'persistentvolumeclaims'), true);
    assert.equal(await can('create', 'events', { namespace: 'default' }), true);
    assert.equal(await can('update', 'leases', { group: 'coordination.k8s.io', namespace: SYSTEM }), true);
    for (const [verb, resource, more] of [
      ['patch', 'persistentvolumeclaims', {}], ['get', 'nodes', { subresource: 'proxy' }], ['delete', 'volumeattachments', { group: 'storage.k8s.io' }],
      ['create', 'statefulsets', { group: 'apps' }], ['create', 'configmaps', { namespace: 'default' }], ['list', 'configmaps', {}],
    ] as const) assert.equal(await can(verb, resource, more), false, `${verb} ${resource} before its feature is on`);
    await apply(rbacObjects({ namespace: SYSTEM, serviceAccount: SA, features: ALL }));
    await cluster.waitFor('the feature roles bound', () => can('patch', 'persistentvolumeclaims'));
    assert.equal(await can('get', 'nodes', { subresource: 'proxy' }), true);
    assert.equal(await can('delete', 'volumeattachments', { group: 'storage.k8s.io' }), true);
    assert.equal(await can('delete', 'statefulsets', { group: 'apps', namespace: 'default' }), true);
    assert.equal(await can('list', 'configmaps'), true);
    // Never, whatever the features.
    for (const [verb, resource, more] of [
      ['get', 'secrets', {}], ['delete', 'pods', {}], ['create', 'persistentvolumeclaims', {}], ['delete', 'persistentvolumeclaims', {}],
      ['delete', 'persistentvolumes', {}], ['patch', 'nodes', {}], ['update', 'leases', { group: 'coordination.k8s.io', namespace: 'kube-system' }],
      ['create', 'pods', { subresource: 'exec' }], ['update', 'statefulsets', { group: 'apps', subresource: 'scale' }],
    ] as const) assert.equal(await can(verb, resource, more), false, `${verb} ${resource}${'subresource' in more ? `/${more.subresource}` : ''} must be forbidden`);
  });

  it('grows filling volumes before they are full, the template follows, the cooldown survives a killed leader and a restart', async () => {
    const ns = 'grow';
    await cluster.create(namespace(ns));
    await cluster.create(storageClass('grow', { expand: true }));
    const sts = statefulSet(ns, 'db', { replicas: 2, cls: 'grow', parallel: true }) as Obj;
    sts.metadata.annotations = {
      'stsvol.io/auto-expand': 'true', 'stsvol.io/expand-threshold': '80%', 'stsvol.io/expand-increment': '1Gi',
      'stsvol.io/expand-max-size': '5Gi', 'stsvol.io/expand-cooldown': '1h', 'stsvol.io/template-sync': 'true',
      // The threshold decides here; the forecast (a test fills a disk by a gigabyte in a second) is unit-tested.
      'stsvol.io/expand-lead-time': '1s',
    };
    await cluster.create(sts);
    // A claim opted in whose class cannot grow: a finding, and its Event written once however often checks run.
    await cluster.create(storageClass('fixed', { expand: false }));
    const stuck = claim(ns, 'stuck', 'fixed') as Obj;
    stuck.metadata.annotations = { 'stsvol.io/auto-expand': 'true', 'stsvol.io/expand-max-size': '2Gi' };
    await cluster.create(stuck);
    await cluster.waitFor('both replicas running on bound claims', async () => (await cluster.list('v1', 'Pod', ns)).filter((p) => p.status?.phase === 'Running').length === 2, 90_000);
    const pods = new Map((await cluster.list('v1', 'Pod', ns)).map((p) => [p.metadata!.name, p.metadata!.uid]));
    const disks = [await diskOf(ns, 'data-db-0'), await diskOf(ns, 'data-db-1')];

    const a = await startOperator('op-a');
    await cluster.waitFor('op-a leads', async () => (await leaseHolder()) === 'op-a', 20_000);
    const b = await startOperator('op-b');
    await cluster.waitFor('both replicas ready', async () => (await a.status('/readyz')) === 200 && (await b.status('/readyz')) === 200);

    // Filling: 90% of 1Gi on both, still not full.
    for (const d of disks) cluster.backend.fill(d, 0.9 * GiB);
    await cluster.waitFor('both claims grown to 2Gi', async () => {
      for (const c of ['data-db-0', 'data-db-1']) if ((await claimOf(ns, c)).status?.capacity?.storage !== '2Gi') return false;
      return true;
    }, 60_000).catch((err: Error) => assert.fail(`${err.message}\n${a.describe()}`));
    for (const d of disks) assert.ok(cluster.backend.disks.get(d)!.usedBytes < GiB, 'grown before it was full');
    assert.ok((await claimOf(ns, 'data-db-0')).metadata.annotations['stsvol.io/last-expanded-at'], 'the time of the expansion is on the claim');

    await cluster.waitFor('the claim template follows: 2Gi', async () => (await cluster.read('apps/v1', 'StatefulSet', ns, 'db'))?.spec.volumeClaimTemplates[0].spec.resources.requests.storage === '2Gi', 60_000)
      .catch((err: Error) => assert.fail(`${err.message}\n${a.describe()}`));
    for (const p of await cluster.list('v1', 'Pod', ns)) if (pods.has(p.metadata!.name)) assert.equal(p.metadata!.uid, pods.get(p.metadata!.name), `${p.metadata!.name} kept running`);
    await cluster.waitFor('the journal removed', async () => (await cluster.list('v1', 'ConfigMap', ns)).every((c) => c.metadata!.labels?.['app.kubernetes.io/managed-by'] !== 'stsvol'), 30_000);

    // Over the threshold again at 2Gi, inside the 1h cooldown: nothing, from this leader...
    cluster.backend.fill(disks[0]!, 1.9 * GiB);
    await sleep(5000);
    assert.equal((await claimOf(ns, 'data-db-0')).spec.resources.requests.storage, '2Gi', 'no second expansion within the cooldown');
    // ...nor from the next one: the leader dies, op-b takes over within the lease time.
    const killedAt = Date.now();
    await a.kill('SIGKILL');
    await cluster.waitFor('op-b leads', async () => (await leaseHolder()) === 'op-b', 20_000);
    const handover = Date.now() - killedAt;
    assert.ok(handover <= (LEASE.duration + 2 * LEASE.retry) * 1000 + 1000, `handover took ${handover} ms`);
    const restarted = await startOperator('op-a2');
    await sleep(5000);
    assert.equal((await claimOf(ns, 'data-db-0')).spec.resources.requests.storage, '2Gi', 'the cooldown is kept by a new leader and a restarted replica');
    assert.ok(b.logs.some((l) => l.msg === 'became leader'));

    // The wait was the cooldown: shorten it, and exactly one more expansion follows.
    await cluster.patch({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data-db-0', namespace: ns, annotations: { 'stsvol.io/expand-cooldown': '1s' } } } as Obj);
    await cluster.waitFor('data-db-0 grown to 3Gi', async () => (await claimOf(ns, 'data-db-0')).status?.capacity?.storage === '3Gi', 60_000);
    await sleep(3000);
    assert.equal((await claimOf(ns, 'data-db-0')).spec.resources.requests.storage, '3Gi');
    const expandCalls = cluster.backend.calls.filter((c) => c.startsWith(`ControllerExpandVolume ${disks[0]} `));
    assert.deepEqual(expandCalls.map((c) => Number(c.split(' ')[2]) / GiB), [2, 3], 'one expansion per decision, none doubled across leaders');
    const expansions = (await b.metric('stsvol_expansions_total', { namespace: ns })) + (await restarted.metric('stsvol_expansions_total', { namespace: ns }));
    assert.equal(expansions, 1, 'the dead leader made the first two; the live ones exactly one');

    const events = (await cluster.list('v1', 'Event', ns)).filter((e) => e.source?.component === 'stsvol-operator');
    assert.ok(events.some((e) => e.reason === 'AutoExpanded' && e.involvedObject.name === 'data-db-0'));
    const blocked = events.filter((e) => e.reason === 'auto-expand-blocked' && e.involvedObject.name === 'stuck');
    assert.equal(blocked.length, 1, 'one Event for a standing finding');
    assert.equal(blocked[0]!.count, 1, 'not repeated on every evaluation');
    assert.ok(await b.metric('stsvol_findings', { check: 'auto-expand-blocked', namespace: ns }) >= 1);
    assert.ok(await b.metric('stsvol_volume_used_bytes', { persistentvolumeclaim: 'data-db-0' }) > 0, 'usage exported');
    assert.ok(await restarted.metric('stsvol_api_requests_total', { verb: 'watch' }) > 0);
  });

  it('serves the dashboard on loopback from its own model, with the usage it sampled, read-only', async () => {
    const op = await OperatorProcess.start('op-dashboard', kubeconfig, [...ARGS, '--dashboard-listen', '127.0.0.1:0']);
    operators.push(op);
    await cluster.waitFor('the dashboard serving', async () => op.logs.some((l) => l.msg === 'dashboard serving'));
    const base = op.logs.find((l) => l.msg === 'dashboard serving')!.address as string;
    assert.match(base, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    let detail: Obj | undefined;
    await cluster.waitFor('grow/db with usage samples', async () => {
      const res = await fetch(`${base}api/statefulsets/grow/db`);
      if (res.status !== 200) return false;
      detail = (await res.json()) as Obj;
      return detail.usage.some((u: Obj) => u.points.length > 0);
    }, 60_000);
    assert.ok(detail!.topology.nodes.some((n: Obj) => n.id === 'Pod/grow/db-0'));
    assert.equal(detail!.usage.find((u: Obj) => u.points.length > 0).source, "the operator's samples (auto-expansion)");
    const state = (await (await fetch(`${base}api/state`)).json()) as Obj;
    assert.match(state.meta.sourceName, /\(operator\)$/);
    assert.equal((await fetch(`${base}api/state`, { method: 'POST' })).status, 405);
  });

  it('deletes the attachment of a deleted node, and leaves a NotReady node\'s until it is fenced', async () => {
    const attachment = (name: string, node: string): Obj => ({ apiVersion: 'storage.k8s.io/v1', kind: 'VolumeAttachment', metadata: { name }, spec: { attacher: DRIVER, nodeName: node, source: { persistentVolumeName: `pv-of-${name}` } } });
    await cluster.create(attachment('va-gone-node', 'n3'));
    await cluster.create(attachment('va-not-ready', 'n4'));
    const leader = operators.find((o) => o.alive && o.logs.some((l) => l.msg === 'became leader'))!;
    const gone = async (name: string) => {
      const va = await cluster.read('storage.k8s.io/v1', 'VolumeAttachment', undefined, name);
      return !va || Boolean(va.metadata!.deletionTimestamp);
    };

    await cluster.loseNode('n3');
    await cluster.remove('v1', 'Node', undefined, 'n3');
    await cluster.loseNode('n4');
    await cluster.waitFor('the attachment of deleted n3 deleted', () => gone('va-gone-node'), 30_000).catch((err: Error) => assert.fail(`${err.message}\n${leader.describe()}`));
    await cluster.waitFor('n4 NotReady', async () => !(await cluster.nodeReady('n4')), 60_000);
    await sleep(6000);
    assert.equal(await gone('va-not-ready'), false, 'a NotReady node may still run the pod: never detach before it is fenced');

    await cluster.patch({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n4' }, spec: { taints: [{ key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' }] } } as Obj);
    await cluster.waitFor('the attachment of fenced n4 deleted', () => gone('va-not-ready'), 30_000);
    // The scheduler may have put replicas of the first test on n3 or n4: their attachments go too,
    // each once (a second delete of one attachment would count its Event twice).
    const deleted = (reason: string) => leader.metric('stsvol_janitor_actions_total', { reason, result: 'deleted' });
    const events = (await cluster.list('v1', 'Event', 'default')).filter((e) => e.reason === 'VolumeAttachmentDeleted');
    assert.ok(events.every((e) => e.count === 1), 'no attachment deleted twice');
    assert.equal(await deleted('node-deleted') + await deleted('node-out-of-service'), events.length);
    for (const pv of ['pv-of-va-gone-node', 'pv-of-va-not-ready']) assert.ok(events.some((e) => e.involvedObject.name === pv), `the Event on ${pv}`);
    assert.ok(await deleted('node-deleted') >= 1 && await deleted('node-out-of-service') >= 1);
  });
});
