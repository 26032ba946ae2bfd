// npm run bench: doctor on a generated snapshot of a large cluster (2,000 nodes, 30,000 pods,
// 20,000 claims and volumes, 20,000 attachments, 50,000 events), against JSON.parse of the same
// file. Targets: the whole analysis within 3x the parse time; memory linear in the input (checked
// by running half and full size). Each figure is the median of three runs in fresh processes.
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FULL, writeSnapshot, type Scale } from './generate.ts';

const RUNS = 3;
const outDir = join(import.meta.dirname, 'out');
mkdirSync(outDir, { recursive: true });

function half(s: Scale): Scale {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, Math.round(v / 2)])) as unknown as Scale;
}

interface Sample { ms: number; maxRssMiB: number; count: number }

function measure(mode: 'parse' | 'doctor', file: string): Sample {
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    const out = execFileSync(process.execPath, [join(import.meta.dirname, 'measure.ts'), mode, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    samples.push(JSON.parse(out) as Sample);
  }
  samples.sort((a, b) => a.ms - b.ms);
  return samples[Math.floor(RUNS / 2)]!;
}

const rows: string[] = [];
const results: Record<string, { parse: Sample; doctor: Sample; mib: number }> = {};
for (const [label, scale] of [['half', half(FULL)], ['full', FULL]] as const) {
  const file = join(outDir, `snapshot-${label}.json`);
  const objects = await writeSnapshot(file, scale);
  const mib = statSync(file).size / 2 ** 20;
  process.stderr.write(`${label}: ${objects} objects, ${mib.toFixed(0)} MiB; measuring...\n`);
  const parse = measure('parse', file);
  const doctor = measure('doctor', file);
  results[label] = { parse, doctor, mib };
  rows.push(`| ${label} | ${objects} | ${mib.toFixed(0)} MiB | ${parse.ms.toFixed(0)} ms | ${doctor.ms.toFixed(0)} ms | ${(doctor.ms / parse.ms).toFixed(2)}x | ${parse.maxRssMiB.toFixed(0)} MiB | ${doctor.maxRssMiB.toFixed(0)} MiB | ${doctor.count} |`);
}

const full = results.full!;
const halfR = results.half!;
const ratio = full.doctor.ms / full.parse.ms;
const memoryGrowth = (full.doctor.maxRssMiB - halfR.doctor.maxRssMiB) / (full.mib - halfR.mib);
console.log(`node ${process.version}, ${RUNS} runs each, median\n`);
console.log('| input | objects | file | JSON.parse | doctor | doctor / parse | parse peak RSS | doctor peak RSS | findings |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
console.log(`\ntime: doctor is ${ratio.toFixed(2)}x JSON.parse on the full input (target ≤ 3x): ${ratio <= 3 ? 'met' : 'NOT met'}`);
console.log(`memory: doctor's peak RSS grows ${memoryGrowth.toFixed(2)} MiB per MiB of input from half to full size; at full size it is ${(full.doctor.maxRssMiB / full.mib).toFixed(2)} MiB per MiB of input, at half ${(halfR.doctor.maxRssMiB / halfR.mib).toFixed(2)}`);
