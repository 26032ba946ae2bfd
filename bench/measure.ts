// One measurement in a fresh process, so each gets its own heap: `parse FILE` times reading and
// JSON.parse alone; `doctor FILE FORMAT` times the whole `stsvol doctor --from FILE -o FORMAT`,
// output written to a sink that keeps only its size; `audit FILE` the whole
// `stsvol audit --from FILE --cost -o json`.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type * as Main from '../src/cli/main.ts';

// The installed command runs the compiled dist/, so that is what is measured (npm run bench builds it).
const { run } = (await import('../dist/cli/main.js' as string)) as typeof Main;

const [mode, file, format = 'json'] = process.argv.slice(2);
const start = performance.now();
let count = 0;
let bytes = 0;
if (mode === 'parse') {
  const parsed = JSON.parse(readFileSync(file!, 'utf8')) as { items: unknown[] };
  count = parsed.items.length;
} else if (mode === 'audit') {
  // The count of findings is read from the summary as it passes, as for doctor.
  const summary = /"critical": (\d+),\s*"warning": (\d+),\s*"info": (\d+)/;
  count = NaN;
  const sink = {
    write: (t: string) => {
      bytes += t.length;
      const m = Number.isNaN(count) ? summary.exec(t) : null;
      if (m) count = Number(m[1]) + Number(m[2]) + Number(m[3]);
    },
    isTTY: false,
  };
  await run(['audit', '--from', file!, '--cost', '-o', 'json'], { stdout: sink, stderr: { write: () => undefined, isTTY: false }, env: {}, now: () => Date.now() });
} else {
  // The count of findings is read from the summary as it passes: "total" in JSON, the last line in text.
  const total = format === 'json' ? /^\{\n {4}"total": (\d+)/ : /^(\d+) findings: /m;
  const sink = {
    write: (t: string) => {
      bytes += t.length;
      const m = Number.isNaN(count) ? total.exec(t) : null;
      if (m) count = Number(m[1]);
    },
    isTTY: false,
  };
  count = NaN;
  const quiet = { write: () => undefined, isTTY: false };
  await run(['doctor', '--from', file!, '-o', format, '--fail-on', 'none'], { stdout: sink, stderr: quiet, env: {}, now: () => Date.now() });
}
const ms = performance.now() - start;
process.stdout.write(`${JSON.stringify({ mode, ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, count, outputMiB: bytes / 2 ** 20 })}\n`);
