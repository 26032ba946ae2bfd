// The live dashboard on the real control plane, in real Chromium: the model follows the cluster
// through watches, and an operation's steps move on the page while `stsvol resize --apply` runs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { kubeTransportFactory } from '../../src/cli/load.ts';
import { run } from '../../src/cli/main.ts';
import { drawnGraph, launch, watchedPage } from '../browser/browser.ts';
import { PARAM_OFFLINE_EXPANSION } from './disk-backend.ts';
import { namespace, statefulSet, storageClass } from './objects.ts';
import { assertDataKept, stsvol, writeTokens } from './operate.ts';
import { TestCluster } from './test-cluster.ts';

let cluster: TestCluster;
let browser: Browser;
const stop = new AbortController();
let served: Promise<number>;
let url = '';

describe('stsvol dashboard, live', { timeout: 300_000 }, () => {
  before(async () => {
    [cluster, browser] = await Promise.all([TestCluster.start([{ name: 'n1' }, { name: 'n2' }]), launch()]);
    await cluster.create(storageClass('offline', { parameters: { [PARAM_OFFLINE_EXPANSION]: 'true' } }));
    await cluster.create(namespace('d1'));
    await cluster.create(statefulSet('d1', 'pg', { replicas: 2, cls: 'offline', parallel: true }));
    await cluster.waitFor('pg 2 Ready', async () => (await cluster.read('apps/v1', 'StatefulSet', 'd1', 'pg'))?.status?.readyReplicas === 2, 90_000);
    let out = '';
    const io = { stdout: { write: (t: string) => void (out += t), isTTY: false }, stderr: { write: () => {}, isTTY: false }, env: {}, now: Date.now, stop: stop.signal };
    served = run(['dashboard', '--kubeconfig', cluster.kubeconfigPath, '--port', '0', '--usage-interval', '0'], io, kubeTransportFactory);
    await cluster.waitFor('the dashboard listening', async () => out.includes('http://'), 60_000);
    url = out.trim();
  });
  after(async () => {
    stop.abort();
    assert.equal(await served, 0, 'the dashboard stops cleanly');
    await browser?.close();
    cluster?.stop();
  });

  it('draws the live StatefulSet, and follows the cluster as it changes', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(`${url}#/sts/d1/pg`);
    await page.locator('svg.graph g.node').first().waitFor();
    const drawn = await drawnGraph(page);
    for (const id of ['Pod/d1/pg-0', 'Pod/d1/pg-1', 'PersistentVolumeClaim/d1/data-pg-0', 'PersistentVolumeClaim/d1/data-pg-1', 'StorageClass/offline']) assert.ok(drawn.nodes.includes(id), id);
    assert.match(await page.getByTestId('source').innerText(), /^live: /);
    await cluster.patch({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'pg', namespace: 'd1' }, spec: { replicas: 3 } } as never);
    await page.locator('g.node[data-id="Pod/d1/pg-2"]').waitFor({ timeout: 60_000 });
    await cluster.waitFor('pg 3 Ready', async () => (await cluster.read('apps/v1', 'StatefulSet', 'd1', 'pg'))?.status?.readyReplicas === 3, 90_000);
    assert.deepEqual(problems, []);
  });

  it('shows an operation step by step while stsvol resize --apply runs, and drops it when done', async () => {
    const held = await writeTokens(cluster, 'd1', 'pg', [0, 1, 2]);
    const { page, problems } = await watchedPage(browser);
    await page.goto(`${url}#/operations`);
    await page.getByText('No operation in progress.').waitFor();
    const seen: string[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const states = await page.locator('li.step').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-step')}=${e.getAttribute('data-state')}`).join(' ')).catch(() => '');
        if (states && states !== seen.at(-1)) seen.push(states);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const resized = await stsvol(cluster.kubeconfigPath, ['resize', 'statefulset/pg', '-n', 'd1', '--to', '2Gi', '--apply', '--yes']);
    assert.equal(resized.code, 0, resized.stderr + resized.stdout);
    await page.getByText('No operation in progress.').waitFor({ timeout: 30_000 });
    watching = false;
    await watcher;
    assert.ok(seen.length >= 2, `the page showed the steps move (${seen.length} states seen: ${seen.join(' | ')})`);
    const done = (s: string) => (s.match(/=done/g) ?? []).length;
    for (let i = 1; i < seen.length; i++) assert.ok(done(seen[i]!) >= done(seen[i - 1]!), 'steps only move forward');
    assert.ok(seen.some((s) => /=done/.test(s) && /=pending|=acting/.test(s)), 'seen part-way: some steps done, others not yet');
    await assertDataKept(cluster, 'd1', held);
    assert.deepEqual(problems, []);
  });
});
