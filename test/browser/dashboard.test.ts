// The dashboard in real Chromium, on the seed examples: the overview, the graph of a StatefulSet
// with a Multi-Attach after a lost node (exactly its elements and edges), a finding's remedy as
// doctor prints it, the object as YAML, the keyboard, both themes, the exported page opened with no
// network, and cluster strings that try to be markup.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { parseAllDocuments, stringify } from 'yaml';
import { cli } from '../fixtures/cli.ts';
import { MYSQL_0_FILLING, MYSQL_EDGES, MYSQL_NODES, SEED_001, viewOf } from '../fixtures/dashboard.ts';
import { drawnGraph, launch, serve, watchedPage } from './browser.ts';

const screenshots = process.env.STSVOL_SCREENSHOTS;

describe('dashboard in Chromium', () => {
  let browser: Browser;
  let server: Server;
  let url: string;
  before(async () => {
    browser = await launch();
    ({ server, url } = await serve(await viewOf([SEED_001])));
  });
  after(async () => {
    server?.close();
    await browser?.close();
  });

  it('overview: every StatefulSet, worst first, with the source and the clock; sorting and filters work', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(url);
    await page.locator('table.overview tbody tr').first().waitFor();
    const keys = await page.locator('table.overview tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
    const view = await viewOf([SEED_001]);
    assert.deepEqual(keys, view.rows().map((r) => r.key));
    assert.match(await page.getByTestId('source').innerText(), /dump: examples\/seed-001-node-lost\.yaml · 2026-03-10T10:30:00Z/);
    assert.equal(await page.getByTestId('cluster-score').innerText(), String(view.state().audit.score));
    await page.getByRole('button', { name: /^StatefulSet/ }).click();
    const sorted = await page.locator('table.overview tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
    assert.deepEqual(sorted, [...keys].sort());
    if (screenshots) await page.screenshot({ path: join(screenshots, 'overview.png'), fullPage: true });
    await page.getByLabel('Namespace').selectOption('db');
    assert.deepEqual(await page.locator('table.overview tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key'))), ['db/mysql']);
    assert.deepEqual(problems, []);
  });

  it('one StatefulSet: exactly the chain of a Multi-Attach after a lost node, each element marked by its worst finding', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(`${url}#/sts/db/mysql`);
    await page.locator('svg.graph g.node').first().waitFor();
    const drawn = await drawnGraph(page);
    assert.deepEqual(drawn.nodes, [...MYSQL_NODES].sort());
    assert.deepEqual(drawn.edges, MYSQL_EDGES);
    const lost = page.locator('g.node[data-id="Node/node-old-123"]');
    assert.equal(await lost.getAttribute('data-health'), 'critical');
    assert.match((await lost.getAttribute('aria-label'))!, /node node-old-123, NotReady, critical/, 'health in words, not only colour');
    assert.deepEqual(await page.locator('g.zone').evaluateAll((z) => z.map((e) => e.getAttribute('data-zone'))), ['us-east-1a', 'us-east-1b']);
    assert.deepEqual(problems, []);
  });

  it('selecting an element shows its findings with the remedy exactly as doctor prints it, and its YAML', async () => {
    const doctor = await cli(['doctor', '--from', SEED_001, '-o', 'wide', '--fail-on', 'none']);
    const printed = new Set(doctor.stdout.split('\n').map((l) => l.trim()));
    const { page, problems } = await watchedPage(browser);
    await page.goto(`${url}#/sts/db/mysql`);
    const pod = page.locator('g.node[data-id="Pod/db/mysql-0"]');
    await pod.focus();
    await page.keyboard.press('Enter');
    await page.locator('g.node.selected[data-id="Pod/db/mysql-0"]').waitFor();
    assert.match(page.url(), /#\/sts\/db\/mysql\?sel=Pod%2Fdb%2Fmysql-0$/, 'the selection is in the address, to share');
    const cards = page.locator('section[aria-label="findings"] article.finding');
    assert.ok(await cards.count() >= 1);
    const checks = await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-check')));
    assert.ok(checks.includes('multi-attach') || checks.includes('stale-volumeattachment'), checks.join(', '));
    const lines = await page.locator('section[aria-label="findings"] .remedy-line').evaluateAll((els) => els.map((e) => ({
      label: e.getAttribute('data-label'),
      text: e.querySelector('.step-text')?.textContent ?? e.querySelector('.remedy-heading')?.textContent?.replace(/^\S+\s/, '') ?? '',
      cond: e.querySelector('.cond')?.textContent,
      command: e.querySelector('code')?.textContent,
    })));
    assert.ok(lines.some((l) => l.command), 'commands are shown');
    for (const l of lines) {
      if (l.label && !l.text.endsWith(':')) assert.ok(printed.has(`${l.label} ${l.text}`), `doctor prints "${l.label} ${l.text}"`);
      if (l.cond) assert.ok(printed.has(`only when: ${l.cond}`), `doctor prints the condition "${l.cond}"`);
      if (l.command) assert.ok(printed.has(l.command), `doctor prints the command ${l.command}`);
    }
    const yaml = await page.getByTestId('yaml').innerText();
    assert.match(yaml, /^kind: Pod$/m);
    assert.match(yaml, /name: mysql-0/);
    if (screenshots) await page.screenshot({ path: join(screenshots, 'statefulset.png'), fullPage: true });
    assert.deepEqual(problems, []);
  });

  it('usage: used and capacity over time with the trend and the auto-expansion policy; "no data" where there is none', async () => {
    const docs = parseAllDocuments(readFileSync(SEED_001, 'utf8')).map((d) => d.toJSON());
    for (const o of docs.flatMap((d) => d?.items ?? [d])) {
      if (o?.kind === 'PersistentVolumeClaim' && o.metadata.name === 'data-mysql-0') o.metadata.annotations = { ...o.metadata.annotations, 'stsvol.io/auto-expand': 'true', 'stsvol.io/expand-max-size': '200Gi' };
    }
    const file = join(mkdtempSync(join(tmpdir(), 'stsvol-usage-')), 'usage.yaml');
    writeFileSync(file, docs.map((d) => stringify(d)).join('---\n'));
    const filling = await serve(await viewOf([file], { usage: MYSQL_0_FILLING }));
    try {
      const { page, problems } = await watchedPage(browser);
      await page.goto(`${filling.url}#/sts/db/mysql`);
      const usage = page.locator('article.usage[data-claim="data-mysql-0"]');
      await usage.locator('.chart canvas').waitFor();
      const text = await usage.innerText();
      assert.match(text, /60\.0 GiB of 100\.0 GiB \(60%\), \+48\.0 GiB a day, full in 20 h/);
      assert.match(text, /auto-expansion: at 80% used \(or full within 6h\) grow by 25% up to 200Gi/);
      assert.match(await page.locator('article.usage[data-claim="data-mysql-1"]').innerText(), /no data: no reading for this claim in the test samples/);
      assert.equal(await page.locator('article.usage[data-claim="data-mysql-1"] canvas').count(), 0, 'nothing drawn without data');
      await page.goto(`${filling.url}#/`);
      assert.match(await page.locator('tr[data-key="db/mysql"]').innerText(), /60% full in 20 h/);
      if (screenshots) {
        await page.goto(`${filling.url}#/sts/db/mysql`);
        await usage.locator('.chart canvas').waitFor();
        await usage.screenshot({ path: join(screenshots, 'usage.png') });
      }
      assert.deepEqual(problems, []);
    } finally {
      filling.server.close();
    }
  });

  it('reads in the dark theme too, and the theme is switched by keyboard', async () => {
    const { page, problems } = await watchedPage(browser, { colorScheme: 'dark' });
    await page.goto(`${url}#/sts/db/mysql`);
    await page.locator('svg.graph g.node').first().waitFor();
    assert.equal(await page.evaluate('document.documentElement.dataset.theme'), 'dark');
    const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    assert.equal(bg, 'rgb(13, 17, 23)');
    if (screenshots) await page.screenshot({ path: join(screenshots, 'statefulset-dark.png'), fullPage: true });
    await page.getByRole('button', { name: /switch to the light theme/ }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction('document.documentElement.dataset.theme === "light"');
    assert.equal(await page.evaluate('getComputedStyle(document.body).backgroundColor'), 'rgb(255, 255, 255)');
    assert.deepEqual(problems, []);
  });

  it('the exported page opens from a file with no request at all, and shows the same graph', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stsvol-export-'));
    const file = join(dir, 'incident.html');
    const r = await cli(['dashboard', '--from', SEED_001, '--export', file]);
    assert.equal(r.code, 0, r.stderr);
    const { page, problems } = await watchedPage(browser);
    const requests: string[] = [];
    await page.route('**/*', (route) => {
      if (route.request().url() !== pathToFileURL(file).href) requests.push(route.request().url());
      return route.request().url() === pathToFileURL(file).href ? route.continue() : route.abort();
    });
    await page.goto(`${pathToFileURL(file).href}#/sts/db/mysql`);
    await page.locator('svg.graph g.node').first().waitFor();
    assert.deepEqual((await drawnGraph(page)).nodes, [...MYSQL_NODES].sort());
    assert.match(await page.getByTestId('source').innerText(), /\(exported page\)/);
    assert.deepEqual(requests, []);
    assert.deepEqual(problems, []);
  });

  it('renders markup and script from the cluster as text: names, labels, annotations, Event messages', async () => {
    const payload = (n: number) => `<img src=x onerror="window.__xss=${n}"><script>window.__xss=${n}</script>`;
    const docs = parseAllDocuments(readFileSync(SEED_001, 'utf8')).map((d) => d.toJSON());
    let n = 0;
    for (const doc of docs) {
      for (const o of doc?.items ?? [doc]) {
        if (!o?.metadata) continue;
        o.metadata.labels = { ...o.metadata.labels, note: payload(++n) };
        o.metadata.annotations = { ...o.metadata.annotations, 'example.com/note': payload(++n) };
        if (o.kind === 'Event') o.message = `${o.message} ${payload(++n)}`;
      }
    }
    docs.push({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: `data-mysql-9"><b>${payload(99)}`, namespace: 'db', uid: 'x-1' }, spec: {} });
    const dir = mkdtempSync(join(tmpdir(), 'stsvol-xss-'));
    const file = join(dir, 'hostile.yaml');
    writeFileSync(file, docs.map((d) => stringify(d)).join('---\n'));
    const hostile = await serve(await viewOf([file]));
    try {
      const { page, problems } = await watchedPage(browser);
      await page.goto(`${hostile.url}#/sts/db/mysql?sel=Pod%2Fdb%2Fmysql-0`);
      await page.getByTestId('yaml').waitFor();
      assert.match(await page.getByTestId('yaml').innerText(), /<img src=x onerror="window.__xss=\d+"><script>/, 'shown as text');
      assert.ok((await page.locator('section[aria-label="findings"]').innerText()).includes('<img src=x'), 'Event text quoted as text');
      await page.goto(`${hostile.url}#/`);
      await page.locator('table.overview tbody tr').first().waitFor();
      assert.equal(await page.evaluate('window.__xss'), undefined);
      assert.equal(await page.locator('img[src="x"], main script, b').count(), 0, 'no element made from cluster text');
      assert.deepEqual(problems.filter((p) => !/Content Security Policy/.test(p)), []);
      assert.deepEqual(problems, [], 'not even a script the policy had to block');
    } finally {
      hostile.server.close();
    }
  });
});
