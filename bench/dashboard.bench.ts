// npm run bench (second part): the dashboard on the 30,000-pod input. The server is the installed
// command (`stsvol dashboard --from FILE`, a process of its own, whose peak RSS is read from
// /proc); the page is Debian's Chromium driven by playwright-core. "Interactive" is the time from
// asking for the page to the overview drawn and answering a click (a sort by name re-rendered), the
// median of five fresh pages. Targets: under 2 s; the server within doctor's peak RSS on the input.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { launch } from '../test/browser/browser.ts';
import { LARGE, objects, writeSnapshot } from './generate.ts';

const RUNS = Number(process.env.STSVOL_BENCH_RUNS ?? 5);
const root = join(import.meta.dirname, '..');
const file = join(import.meta.dirname, 'out', '30k-pods.json');
process.stderr.write('writing 30k-pods...\n');
await writeSnapshot(file, objects(LARGE));

const doctor = JSON.parse(execFileSync(process.execPath, [join(import.meta.dirname, 'measure.ts'), 'doctor', file, 'json'], { encoding: 'utf8' })) as { maxRssMiB: number };

process.stderr.write('dashboard: starting the server...\n');
const started = performance.now();
const server = spawn(process.execPath, [join(root, 'bin/stsvol.js'), 'dashboard', '--from', file, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('\n')) resolve(out.trim());
  });
  server.once('exit', (code) => reject(new Error(`the dashboard exited with ${code}`)));
});
const serverReadyMs = performance.now() - started;

const browser = await launch();
const overview: number[] = [];
const detail: number[] = [];
let rows = 0;
let stateKiB = 0;
for (let i = 0; i < RUNS; i++) {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  page.on('response', async (r) => { if (r.url().endsWith('/api/state')) stateKiB = (await r.body()).length / 1024; });
  const t0 = performance.now();
  await page.goto(url);
  await page.locator('table.overview tbody tr').first().waitFor();
  const first = await page.locator('table.overview tbody tr').first().getAttribute('data-key');
  await page.getByRole('button', { name: /^StatefulSet/ }).click();
  await page.waitForFunction(`document.querySelector('table.overview tbody tr')?.getAttribute('data-key') !== ${JSON.stringify(first)}`);
  overview.push(performance.now() - t0);
  rows = Number((await page.locator('.summary span').first().innerText()).split(' ')[0]);
  const t1 = performance.now();
  await page.goto(`${url}#/sts/ns-1/db-1`);
  await page.locator('svg.graph g.node').first().waitFor();
  detail.push(performance.now() - t1);
  await page.context().close();
}
await browser.close();
const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) / 1024;
server.kill('SIGTERM');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (x: number) => `${(x / 1000).toFixed(2)} s`;
console.log([
  '',
  `| input | StatefulSets | server ready | /api/state | overview interactive | one StatefulSet's graph | server peak RSS | doctor peak RSS |`,
  '|---|---|---|---|---|---|---|---|',
  `| 30k pods, 2k nodes | ${rows} | ${s(serverReadyMs)} | ${stateKiB.toFixed(0)} KiB | ${s(median(overview))} | ${s(median(detail))} | ${hwm.toFixed(0)} MiB | ${doctor.maxRssMiB.toFixed(0)} MiB |`,
  '',
  `30k pods: the overview is interactive in ${s(median(overview))} (target < 2 s): ${median(overview) < 2000 ? 'met' : 'NOT met'}`,
  `30k pods: the dashboard server peaks at ${hwm.toFixed(0)} MiB, doctor at ${doctor.maxRssMiB.toFixed(0)} MiB (target: within doctor's): ${hwm <= doctor.maxRssMiB ? 'met' : 'NOT met'}`,
].join('\n'));
