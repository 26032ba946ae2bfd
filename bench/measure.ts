// One measurement in a fresh process, so each gets its own heap: `parse FILE` times reading and
// JSON.parse alone; `doctor FILE` times the whole `stsvol doctor --from FILE -o json`.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { run } from '../src/cli/main.ts';

const [mode, file] = process.argv.slice(2);
const start = performance.now();
let findings = 0;
if (mode === 'parse') {
  const parsed = JSON.parse(readFileSync(file!, 'utf8')) as { items: unknown[] };
  findings = parsed.items.length;
} else {
  let out = '';
  const sink = { write: (t: string) => void (out += t), isTTY: false };
  await run(['doctor', '--from', file!, '-o', 'json', '--fail-on', 'none'], { stdout: sink, stderr: sink, env: {}, now: () => Date.now() });
  findings = (JSON.parse(out) as { findings: unknown[] }).findings.length;
}
const ms = performance.now() - start;
process.stdout.write(`${JSON.stringify({ mode, ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, count: findings })}\n`);
