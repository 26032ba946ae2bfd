// Careless and hostile input cannot break doctor: the example dumps are mutated field by field
// (wrong types, nulls, empty containers, absurd numbers, control characters) and every run must
// end cleanly: exit 0 or 1, a report that parses, no check that failed, no raw control character
// on the terminal, and a command that stays one safe word per name.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { runChecks } from '../../../src/checks/index.ts';
import { ClusterModel } from '../../../src/model/cluster-model.ts';
import { SnapshotCollector } from '../../../src/model/snapshot.ts';
import { cli } from '../../fixtures/cli.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const exampleFiles: Json[][] = readdirSync('examples').filter((f) => f.endsWith('.yaml')).map((f) =>
  parseAllDocuments(readFileSync(join('examples', f), 'utf8')).flatMap((d) => {
    const v = d.toJS() as { items?: Json[] } | null;
    return v?.items ?? (v ? [v as Json] : []);
  }));
const examples: Json[] = exampleFiles.flat();

/** Every path to a value inside an object, as keys. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...children.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function setAt(root: Json, path: (string | number)[], value: Json | undefined): Json {
  if (!path.length) return value ?? null;
  const copy = structuredClone(root) as Record<string | number, Json>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, Json>;
  const last = path.at(-1)!;
  // Removed from an array, an element is gone as it would be from a document: no parser makes holes.
  if (value === undefined && Array.isArray(at)) at.splice(last as number, 1);
  else if (value === undefined) delete at[last];
  else at[last] = value;
  return copy as Json;
}

const CONTROL = '\u001b[2J\u001b]0;owned\u0007\r\u0008\u009b31m\u202e\u2066\u061c';
const replacement = fc.constantFrom<Json | undefined>(
  undefined, null, 0, -1, 1e308, 2 ** 31, 0.5, true, '', 'x', '-rf', "a'b\"c$(id)`id`", CONTROL, `name${CONTROL}`, [], {}, [null], [[]], { a: 1 }, ['x'],
  '2026-02-31T00:00:00Z', '2099-01-01T00:00:00Z', '1e999Gi', '-5Gi', 'NaN',
);

let dir = '';
function dumpFile(items: Json[]): string {
  dir ||= mkdtempSync(join(tmpdir(), 'stsvol-hostile-'));
  const file = join(dir, 'dump.json');
  writeFileSync(file, JSON.stringify({ kind: 'List', metadata: { annotations: { 'stsvol.io/captured-at': '2026-03-10T10:30:00Z' } }, items }));
  return file;
}

// C0 controls other than newline, DEL, C1 controls and bidirectional overrides.
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('hostile and careless input', () => {
  it('every field of the example dumps, mutated, still gives a clean run', async () => {
    await fc.assert(fc.asyncProperty(fc.nat(), fc.nat(), replacement, fc.constantFrom('json', 'text'), async (which, where, value, output) => {
      const target = which % examples.length;
      const all = paths(examples[target]!);
      const path = all[where % all.length]!;
      const items = examples.map((o, i) => (i === target ? setAt(o, path, value) : o));
      const { code, stdout, stderr } = await cli(['doctor', '--from', dumpFile(items), '-o', output]);
      assert.ok(code === 0 || code === 1, `exit ${code}: ${stderr}`);
      assert.equal(stderr, '');
      if (output === 'json') {
        const report = JSON.parse(stdout) as { notices: { reason: string; message: string }[] };
        const failed = report.notices.filter((n) => n.reason === 'check-failed');
        assert.deepEqual(failed, [], `a check threw on ${JSON.stringify(path)} = ${JSON.stringify(value)}`);
      } else {
        assert.doesNotMatch(stdout, RAW_CONTROL, `raw control character in the text for ${JSON.stringify(path)} = ${JSON.stringify(value)}`);
      }
    }), { numRuns: Number(process.env.STSVOL_FUZZ_RUNS ?? 250) });
  });

  it('field by field, to a depth of four: removed, null, emptied or of another type, no check ever throws', () => {
    const now = Date.parse('2026-03-10T10:30:00Z');
    let runs = 0;
    for (const objects of exampleFiles) {
      objects.forEach((object, index) => {
        for (const path of paths(object).filter((p) => p.length > 0 && p.length <= 4)) {
          for (const value of [undefined, null, [], {}, 'x', 7] as (Json | undefined)[]) {
            const collector = new SnapshotCollector();
            objects.forEach((o, i) => collector.add(structuredClone(i === index ? setAt(o, path, value) : o)));
            const { failures } = runChecks(new ClusterModel(collector.finish(), now));
            runs++;
            assert.deepEqual(failures.map((f) => `${f.check}: ${String(f.error)}`), [], `${JSON.stringify(path)} = ${JSON.stringify(value)} in ${JSON.stringify((object as { metadata?: Json }).metadata)}`);
          }
        }
      });
    }
    assert.ok(runs > 5000, `${runs} mutations`);
  });

  it('cluster text cannot drive the terminal, and JSON and YAML carry it escaped but exact', async () => {
    const evil = `pod${CONTROL}`;
    const items: Json[] = [
      { kind: 'Node', metadata: { name: 'n1' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } },
      { kind: 'Pod', metadata: { name: evil, namespace: 'db', deletionTimestamp: '2026-03-10T10:00:00Z' }, spec: { nodeName: 'gone' } },
      { kind: 'Event', metadata: { name: 'e', namespace: 'db' }, involvedObject: { kind: 'Pod', namespace: 'db', name: evil }, reason: 'FailedUnmount', message: `busy\nCRITICAL fake${CONTROL}`, lastTimestamp: '2026-03-10T10:20:00Z' },
    ];
    const file = dumpFile(items);
    for (const output of ['text', 'wide']) {
      const { stdout } = await cli(['doctor', '--from', file, '-o', output], { tty: true });
      assert.doesNotMatch(stdout.replace(/\u001b\[[0-9;]*m/g, ''), RAW_CONTROL, output);
      assert.match(stdout, /pod\\x1b\[2J\\x1b\]0;owned\\x07\\x0d\\x08\\x9b31m\\u\{202e\}\\u\{2066\}\\u\{061c\}/);
      assert.ok(!stdout.split('\n').some((l) => l.startsWith('CRITICAL fake')), 'a message cannot start a line of its own');
    }
    const json = (await cli(['doctor', '--from', file, '-o', 'json'])).stdout;
    assert.doesNotMatch(json, RAW_CONTROL);
    assert.ok(JSON.parse(json).findings.some((f: { object: { name: string } }) => f.object.name === evil), 'the name is exact once parsed');
    const yaml = (await cli(['doctor', '--from', file, '-o', 'yaml'])).stdout;
    assert.doesNotMatch(yaml, RAW_CONTROL);
    const { parse } = await import('yaml');
    assert.deepEqual(parse(yaml), JSON.parse(json));
  });
});
