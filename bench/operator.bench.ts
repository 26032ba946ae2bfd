// Benchmark of `stsvol operator` on a real control plane (test/cluster): API requests per minute
// and memory at 1,000 and 10,000 claims. Each claim is bound (a pre-bound PersistentVolume) and
// opted in to auto-expansion, so every evaluation judges all of them; two pods mount claims, so the
// kubelet usage path is read too. The request rate must not grow with the claim count: one watch per
// kind, one Summary request per node that mounts a claim, the Lease, and Events capped overall.
//
//   npm run bench:operator [-- --claims 1000,10000 --window 120]

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { OperatorProcess } from '../test/cluster/operator-process.ts';
import { TestCluster } from '../test/cluster/test-cluster.ts';

const { values } = parseArgs({ options: { claims: { type: 'string', default: '1000,10000' }, window: { type: 'string', default: '120' }, warmup: { type: 'string', default: '30' } } });
const WINDOW_S = Number(values.window);
const WARMUP_S = Number(values.warmup);
const NS = 'bench';

async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

async function populate(cluster: TestCluster, claims: number): Promise<number> {
  const began = Date.now();
  await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  await cluster.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'bench' }, provisioner: 'disk.csi.stsvol.test', allowVolumeExpansion: true } as never);
  const annotations = { 'stsvol.io/auto-expand': 'true', 'stsvol.io/expand-max-size': '100Gi' };
  await inParallel([...Array(claims).keys()], 32, async (i) => {
    const name = `data-${i}`;
    await cluster.create({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: `pv-${NS}-${i}` }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'bench', persistentVolumeReclaimPolicy: 'Retain', claimRef: { namespace: NS, name }, csi: { driver: 'disk.csi.stsvol.test', volumeHandle: `bench-${i}` } } } as never);
    await cluster.create({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: NS, annotations }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'bench', volumeName: `pv-${NS}-${i}`, resources: { requests: { storage: '1Gi' } } } } as never);
  });
  for (const [i, node] of ['b1', 'b2'].entries()) {
    await cluster.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `app-${i}`, namespace: NS }, spec: { nodeName: node, containers: [{ name: 'app', image: 'pause' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: `data-${i}` } }] } } as never);
  }
  return Date.now() - began;
}

function rssOf(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
}

async function measure(claims: number): Promise<Record<string, string | number>> {
  const cluster = await TestCluster.start([{ name: 'b1' }, { name: 'b2' }]);
  try {
    const populateMs = await populate(cluster, claims);
    const op = await OperatorProcess.start('bench', cluster.kubeconfigPath, ['-n', 'default', '--auto-expand', '--usage-interval', '15s', '--template-sync', '--janitor']);
    try {
      const started = Date.now();
      await cluster.waitFor('operator ready', async () => (await op.status('/readyz')) === 200, 300_000);
      const readyMs = Date.now() - started;
      await sleep(WARMUP_S * 1000);
      const before = await op.metric('stsvol_api_requests_total');
      const byKind = async () => Object.fromEntries(await Promise.all(['watch', 'get', 'post', 'put', 'patch'].map(async (v) => [v, await op.metric('stsvol_api_requests_total', { verb: v })])));
      const kindsBefore = await byKind();
      let peak = 0;
      const end = Date.now() + WINDOW_S * 1000;
      while (Date.now() < end) {
        peak = Math.max(peak, rssOf(op.pid));
        await sleep(1000);
      }
      const after = await op.metric('stsvol_api_requests_total');
      const kindsAfter = await byKind();
      const perMinute = (n: number) => (n * 60) / WINDOW_S;
      return {
        claims, objects: claims * 2 + 2, populate: `${(populateMs / 1000).toFixed(0)} s`, ready: `${(readyMs / 1000).toFixed(1)} s`,
        'requests/min': perMinute(after - before).toFixed(1),
        breakdown: Object.entries(kindsAfter).map(([v, n]) => `${v} ${perMinute((n as number) - (kindsBefore[v] as number)).toFixed(1)}`).join(', '),
        'peak RSS': `${(peak / 2 ** 20).toFixed(0)} MiB`,
        heap: `${((await op.metric('stsvol_nodejs_heap_size_used_bytes')) / 2 ** 20).toFixed(0)} MiB`,
      };
    } finally {
      await op.kill('SIGTERM');
    }
  } finally {
    await cluster.stop();
  }
}

const rows: Record<string, string | number>[] = [];
for (const claims of values.claims.split(',').map(Number)) {
  rows.push(await measure(claims));
  console.error(JSON.stringify(rows.at(-1)));
}
const headers = Object.keys(rows[0]!);
console.log(`Node ${process.version}, ${execFileSync('nproc').toString().trim()} cores; window ${WINDOW_S} s after ${WARMUP_S} s of warm-up\n`);
console.log(`| ${headers.join(' | ')} |\n|${headers.map(() => '---').join('|')}|`);
for (const r of rows) console.log(`| ${headers.map((h) => r[h]).join(' | ')} |`);
