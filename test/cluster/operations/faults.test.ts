// An operation survives being killed at every step boundary, API faults between it and the server,
// and someone changing the StatefulSet mid-way: it converges when run again, or stops with its
// journal, and never loses data or restarts a pod it did not mean to.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { namespace, statefulSet, storageClass } from '../objects.ts';
import { assertDataKept, faultProxy, runAndKill, stsvol, writeTokens, type Fault, type Held } from '../operate.ts';
import { TestCluster } from '../test-cluster.ts';

let cluster: TestCluster;
const dir = mkdtempSync(join(tmpdir(), 'stsvol-faults-'));
const podUids = async (ns: string) => Object.fromEntries((await cluster.list('v1', 'Pod', ns)).map((p) => [p.metadata!.name!, p.metadata!.uid!]));

/** A namespace with a two-replica StatefulSet "app" whose replicas wrote their tokens. */
async function prepared(ns: string): Promise<{ held: Held[]; uids: Record<string, string> }> {
  await cluster.create(namespace(ns));
  await cluster.create(statefulSet(ns, 'app', { replicas: 2, cls: 'online', parallel: true }));
  await cluster.waitFor(`${ns}/app Ready`, async () => (await cluster.read('apps/v1', 'StatefulSet', ns, 'app'))?.status?.readyReplicas === 2, 90_000);
  return { held: await writeTokens(cluster, ns, 'app', [0, 1]), uids: await podUids(ns) };
}

/** The resize converged: new template, grown claims, same pods, same data, no journal. */
async function assertResized(ns: string, held: Held[], uids: Record<string, string>): Promise<void> {
  const sts = await cluster.read('apps/v1', 'StatefulSet', ns, 'app');
  assert.equal(sts?.spec.volumeClaimTemplates[0].spec.resources.requests.storage, '2Gi', `${ns}: template at 2Gi`);
  for (const c of ['data-app-0', 'data-app-1']) assert.equal((await cluster.read('v1', 'PersistentVolumeClaim', ns, c))?.status.capacity.storage, '2Gi');
  await cluster.waitFor(`${ns}: pods adopted`, async () => (await cluster.list('v1', 'Pod', ns)).every((p) => p.metadata?.ownerReferences?.[0]?.uid === sts?.metadata?.uid));
  assert.deepEqual(await podUids(ns), uids, `${ns}: no pod restarted`);
  await assertDataKept(cluster, ns, held);
  assert.equal((await cluster.list('v1', 'ConfigMap', ns)).filter((c) => c.metadata?.labels?.['app.kubernetes.io/managed-by'] === 'stsvol').length, 0, `${ns}: journal removed`);
}

const resize = (ns: string) => ['resize', 'app', '-n', ns, '--to', '2Gi'];

describe('operations under faults', { timeout: 900_000 }, () => {
  before(async () => {
    cluster = await TestCluster.start([{ name: 'n1' }, { name: 'n2' }]);
    await cluster.create(storageClass('online'));
  });
  after(() => cluster?.stop());

  it('killed after every step in turn, the same command resumes from the journal and converges', async (t) => {
    // The plan of a two-replica resize has 12 steps; killing after the last would leave nothing to resume.
    const STEPS = 12;
    const cases = Array.from({ length: STEPS - 1 }, (_, i) => i + 1);
    for (let batch = 0; batch < cases.length; batch += 4) {
      await Promise.all(cases.slice(batch, batch + 4).map(async (k) => {
        const ns = `kill-${k}`;
        const { held, uids } = await prepared(ns);
        const killed = await runAndKill(cluster.kubeconfigPath, resize(ns), k);
        assert.ok(killed.killed, `${ns}: killed after step ${k} (${killed.events.map((e) => `${e.id}:${e.phase}`).join(' ')})`);
        const resumed = await stsvol(cluster.kubeconfigPath, [...resize(ns), '--apply', '--yes']);
        assert.equal(resumed.code, 0, `${ns}: ${resumed.stderr}${resumed.stdout}`);
        assert.match(resumed.stdout, /^Resume resize of statefulset\/app from journal/);
        await assertResized(ns, held, uids);
        t.diagnostic(`killed after ${killed.events.filter((e) => e.phase === 'done' || e.phase === 'skipped').at(-1)?.id}: resumed`);
      }));
    }
  });

  it('retries 409, 429, 500, dropped connections and timeouts, and completes', async () => {
    const { held, uids } = await prepared('flaky');
    const once = new Map<string, Fault>([
      ['PATCH /api/v1/namespaces/flaky/persistentvolumeclaims/data-app-1', { status: 409 }],
      ['GET /apis/apps/v1/namespaces/flaky/statefulsets/app', { status: 429, retryAfter: 1 }],
      ['DELETE /apis/apps/v1/namespaces/flaky/statefulsets/app', { status: 500 }],
      ['POST /apis/apps/v1/namespaces/flaky/statefulsets', 'drop'],
      ['PATCH /api/v1/namespaces/flaky/persistentvolumeclaims/data-app-0', 'hang'],
    ]);
    const proxy = await faultProxy(cluster, dir, (method, path) => {
      const key = `${method} ${path.split('?')[0]}`;
      const fault = path.includes('dryRun') ? undefined : once.get(key);
      if (fault) once.delete(key);
      return fault;
    });
    try {
      const result = await stsvol(proxy.kubeconfig, [...resize('flaky'), '--request-timeout', '3s', '--apply', '--yes']);
      assert.equal(result.code, 0, result.stderr + result.stdout);
      assert.deepEqual([...once.keys()], [], 'every fault was injected');
      assert.match(result.stderr, /retrying in/);
    } finally {
      await proxy.close();
    }
    await assertResized('flaky', held, uids);
  });

  it('stops with the journal kept when the API fails for good in the orphan window, and resumes', async () => {
    const { held, uids } = await prepared('outage');
    let down = false;
    const proxy = await faultProxy(cluster, dir, (method, path) => {
      if (down) return { status: 503 };
      if (method === 'DELETE' && path.includes('/statefulsets/app')) setTimeout(() => (down = true), 0);
      return undefined;
    });
    try {
      const result = await stsvol(proxy.kubeconfig, [...resize('outage'), '--apply', '--yes']);
      assert.equal(result.code, 5, result.stderr + result.stdout);
      assert.match(result.stderr, /the journal outage\/stsvol-statefulset-app is kept/);
    } finally {
      await proxy.close();
    }
    assert.equal(await cluster.read('apps/v1', 'StatefulSet', 'outage', 'app'), undefined, 'stopped in the window where only the journal holds the StatefulSet');
    assert.ok(await cluster.read('v1', 'ConfigMap', 'outage', 'stsvol-statefulset-app'), 'the journal is there');
    const resumed = await stsvol(cluster.kubeconfigPath, [...resize('outage'), '--apply', '--yes']);
    assert.equal(resumed.code, 0, resumed.stderr);
    await assertResized('outage', held, uids);
  });

  it('detects a concurrent scale mid-resize and stops before the next claim', async () => {
    const { held } = await prepared('busy');
    let scaled = false;
    const proxy = await faultProxy(cluster, dir, (method, path) => {
      if (!scaled && method === 'PATCH' && path.startsWith('/api/v1/namespaces/busy/persistentvolumeclaims/data-app-1') && !path.includes('dryRun')) {
        scaled = true;
        void cluster.patch({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'app', namespace: 'busy' }, spec: { replicas: 3 } } as never);
      }
      return undefined;
    });
    try {
      const result = await stsvol(proxy.kubeconfig, [...resize('busy'), '--apply', '--yes']);
      assert.equal(result.code, 5, result.stderr + result.stdout);
      assert.match(result.stderr, /statefulset app was scaled to 3 replicas since the plan \(2\)/);
    } finally {
      await proxy.close();
    }
    assert.equal((await cluster.read('v1', 'PersistentVolumeClaim', 'busy', 'data-app-0'))?.spec.resources.requests.storage, '1Gi', 'the next claim was not touched');
    assert.ok(await cluster.read('apps/v1', 'StatefulSet', 'busy', 'app'), 'the StatefulSet was not deleted');
    await assertDataKept(cluster, 'busy', held);
  });
});
