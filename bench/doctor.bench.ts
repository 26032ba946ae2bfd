// npm run bench: stsvol doctor against JSON.parse of the same input, at the size of a large
// production cluster (30,000 pods) and at the envelope Kubernetes is tested to (5,000 nodes,
// 150,000 pods), and stsvol audit --cost against doctor on the same inputs; the text report against the JSON report at 200,000 findings; and a dump larger
// than a JavaScript string (~512 MiB), which JSON.parse cannot read at all. Each figure is the
// median of five runs in fresh processes; peak RSS is the process's maximum resident set.
// Targets: doctor within 2x JSON.parse at both sizes; peak RSS within 2 GiB at 150,000 pods; audit
// with cost within 1.2x doctor at both sizes.
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ENVELOPE, LARGE, manyFindings, objects, writeSnapshot } from './generate.ts';

const RUNS = Number(process.env.STSVOL_BENCH_RUNS ?? 5);
const outDir = join(import.meta.dirname, 'out');
mkdirSync(outDir, { recursive: true });

interface Sample { ms: number; maxRssMiB: number; count: number; outputMiB: number }

function measure(args: string[], runs = RUNS): Sample | string {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    try {
      const out = execFileSync(process.execPath, [join(import.meta.dirname, 'measure.ts'), ...args], { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
      samples.push(JSON.parse(out) as Sample);
    } catch (err) {
      return ((err as { stderr?: string }).stderr ?? String(err)).split('\n').find((l) => /Error/.test(l))?.trim() ?? 'failed';
    }
  }
  samples.sort((a, b) => a.ms - b.ms);
  return samples[Math.floor(samples.length / 2)]!;
}

async function dump(name: string, items: Iterable<object>): Promise<{ file: string; objects: number; mib: number }> {
  const file = join(outDir, `${name}.json`);
  process.stderr.write(`writing ${name}...\n`);
  const count = await writeSnapshot(file, items);
  return { file, objects: count, mib: statSync(file).size / 2 ** 20 };
}

const ms = (s: Sample | string) => (typeof s === 'string' ? s : `${(s.ms / 1000).toFixed(2)} s`);
const rss = (s: Sample | string) => (typeof s === 'string' ? '-' : `${s.maxRssMiB.toFixed(0)} MiB`);
const lines: string[] = [`node ${process.version}, ${RUNS} runs each, median`, ''];

lines.push('| input | objects | file | JSON.parse | doctor -o json | doctor / parse | parse peak RSS | doctor peak RSS | findings |', '|---|---|---|---|---|---|---|---|---|');
const verdicts: string[] = [];
const audits: string[] = ['| input | doctor -o json | audit --cost -o json | audit / doctor | audit peak RSS | audit findings |', '|---|---|---|---|---|---|'];
for (const [label, scale] of [['30k pods, 2k nodes', LARGE], ['150k pods, 5k nodes', ENVELOPE]] as const) {
  const d = await dump(label.split(',')[0]!.replace(' ', '-'), objects(scale));
  process.stderr.write(`${label}: measuring...\n`);
  const parse = measure(['parse', d.file]);
  const doctor = measure(['doctor', d.file, 'json']);
  const ratio = typeof parse === 'string' || typeof doctor === 'string' ? NaN : doctor.ms / parse.ms;
  lines.push(`| ${label} | ${d.objects} | ${d.mib.toFixed(0)} MiB | ${ms(parse)} | ${ms(doctor)} | ${ratio.toFixed(2)}x | ${rss(parse)} | ${rss(doctor)} | ${typeof doctor === 'string' ? '-' : doctor.count} |`);
  verdicts.push(`${label}: doctor is ${ratio.toFixed(2)}x JSON.parse (target ≤ 2x): ${ratio <= 2 ? 'met' : 'NOT met'}`);
  const audit = measure(['audit', d.file]);
  const auditRatio = typeof audit === 'string' || typeof doctor === 'string' ? NaN : audit.ms / doctor.ms;
  audits.push(`| ${label} | ${ms(doctor)} | ${ms(audit)} | ${auditRatio.toFixed(2)}x | ${rss(audit)} | ${typeof audit === 'string' ? '-' : audit.count} |`);
  verdicts.push(`${label}: audit --cost is ${auditRatio.toFixed(2)}x doctor (target ≤ 1.2x): ${auditRatio <= 1.2 ? 'met' : 'NOT met'}`);
  if (scale === ENVELOPE && typeof doctor !== 'string') verdicts.push(`${label}: doctor's peak RSS ${doctor.maxRssMiB.toFixed(0)} MiB (target ≤ 2048 MiB): ${doctor.maxRssMiB <= 2048 ? 'met' : 'NOT met'}`);
}

lines.push('', ...audits);

const many = await dump('200k-findings', manyFindings(50_000));
process.stderr.write('200k findings: measuring...\n');
const text = measure(['doctor', many.file, 'text']);
const json = measure(['doctor', many.file, 'json']);
lines.push('', '| report of | text | json | text output | json output |', '|---|---|---|---|---|');
lines.push(`| ${typeof json === 'string' ? '?' : json.count} findings | ${ms(text)} | ${ms(json)} | ${typeof text === 'string' ? '-' : `${text.outputMiB.toFixed(0)} MiB`} | ${typeof json === 'string' ? '-' : `${json.outputMiB.toFixed(0)} MiB`} |`);

const huge = await dump('beyond-a-string', objects(ENVELOPE, { heavy: true }));
process.stderr.write('beyond a string: measuring...\n');
const hugeParse = measure(['parse', huge.file], 1);
const hugeDoctor = measure(['doctor', huge.file, 'json'], 1);
lines.push('', '| input larger than a string | file | JSON.parse | doctor -o json | doctor peak RSS | findings |', '|---|---|---|---|---|---|');
lines.push(`| 150k pods with managedFields, ${huge.objects} objects | ${huge.mib.toFixed(0)} MiB | ${typeof hugeParse === 'string' ? `fails: ${hugeParse}` : ms(hugeParse)} | ${ms(hugeDoctor)} | ${rss(hugeDoctor)} | ${typeof hugeDoctor === 'string' ? '-' : hugeDoctor.count} |`);

console.log([...lines, '', ...verdicts].join('\n'));
