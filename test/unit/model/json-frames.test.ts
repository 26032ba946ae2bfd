// The JSON framer must read exactly what JSON.parse reads, however the input is split into chunks,
// and refuse exactly what JSON.parse refuses at the levels it walks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { JsonFramer, JsonSyntaxError, type JsonFrame } from '../../../src/model/json-frames.ts';

function frames(text: string, cuts: number[] = []): JsonFrame[] {
  const bytes = Buffer.from(text);
  const framer = new JsonFramer();
  const out: JsonFrame[] = [];
  let at = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
    out.push(...framer.push(Buffer.from(bytes.subarray(at, cut))));
    at = cut;
  }
  out.push(...framer.push(Buffer.from(bytes.subarray(at))));
  out.push(...framer.end());
  return out;
}

/** What a reader makes of the frames: each top-level value rebuilt, lists with their items. */
function rebuild(list: JsonFrame[]): unknown[] {
  const values: unknown[] = [];
  let items: unknown[] = [];
  let top: unknown[] | undefined;
  for (const f of list) {
    if (f.type === 'list-start') items = [];
    else if (f.type === 'item') items.push(f.value);
    else if (f.type === 'list-end') values.push({ ...f.header, items });
    else (top ?? values).push(f.value);
  }
  return values;
}

const kubeObject = fc.record({
  kind: fc.constantFrom('Pod', 'Node', 'Event'),
  metadata: fc.record({ name: fc.string(), labels: fc.dictionary(fc.string(), fc.string()) }),
  data: fc.jsonValue({ maxDepth: 3 }),
});
const spaces = fc.constantFrom('', ' ', '\n', '\t ', '\r\n  ');

describe('JSON framer', () => {
  it('frames a List into its header and items, whatever the chunking, exactly as JSON.parse reads them', () => {
    fc.assert(fc.property(
      fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('List'), metadata: fc.jsonValue({ maxDepth: 2 }), items: fc.array(kubeObject, { maxLength: 6 }) }),
      fc.array(fc.nat(), { maxLength: 8 }), fc.boolean(),
      (list, cuts, pretty) => {
        const text = JSON.stringify(list, null, pretty ? 2 : undefined);
        const got = frames(text, cuts);
        assert.deepEqual(rebuild(got), [JSON.parse(text)]);
        assert.deepEqual(got.filter((f) => f.type === 'item').map((f) => (f as { index: number }).index), list.items.map((_, i) => i));
      },
    ), { numRuns: 300 });
  });

  it('reads top-level arrays, single objects and several values in a row, with any whitespace between', () => {
    fc.assert(fc.property(fc.array(fc.oneof(kubeObject, fc.array(kubeObject, { maxLength: 3 })), { minLength: 1, maxLength: 4 }), spaces, fc.array(fc.nat(), { maxLength: 5 }), (values, space, cuts) => {
      const text = values.map((v) => JSON.stringify(v)).join(space || ' ');
      const expected = values.flatMap((v) => JSON.parse(JSON.stringify(v)) as unknown).flat();
      assert.deepEqual(rebuild(frames(text, cuts)), expected);
    }), { numRuns: 300 });
  });

  it('keeps strings with escaped quotes, backslashes and brackets whole across chunk boundaries', () => {
    const tricky = { kind: 'Pod', metadata: { name: 'a"]}\\', note: '\\"[{' }, items: 'not a list' };
    const text = JSON.stringify({ kind: 'List', items: [tricky, tricky] });
    for (let cut = 0; cut <= text.length; cut++) assert.deepEqual(rebuild(frames(text, [cut])), [JSON.parse(text)]);
  });

  it('finds the end of strings of any length and any run of backslashes and quotes, whatever the chunking', () => {
    const tricky = fc.string({ unit: fc.constantFrom('"', '\\', 'a', '[', '}', 'é', ' '), maxLength: 80 });
    fc.assert(fc.property(fc.array(tricky, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 4 }), (names, cuts) => {
      const text = JSON.stringify({ kind: 'List', items: names.map((name) => ({ kind: 'Pod', metadata: { name }, note: name })) });
      assert.deepEqual(rebuild(frames(text, cuts)), [JSON.parse(text)]);
    }), { numRuns: 500 });
  });

  it('gives each item the line it starts on', () => {
    const text = '{"kind": "List",\n "items": [\n  {"kind": "Pod", "metadata": {"name": "a"}},\n\n  {"kind": "Pod",\n   "metadata": {"name": "b"}}\n ]\n}\n';
    const items = frames(text, [20, 47]).filter((f) => f.type === 'item');
    assert.deepEqual(items.map((f) => f.line), [3, 5]);
  });

  it('refuses malformed input that JSON.parse refuses, with the line, and never yields a wrong value', () => {
    const cases: [string, number][] = [
      ['[{"kind":"Pod"} {"kind":"Node"}]', 1],
      ['{"kind":"List",\n"items":[{"kind":"Pod"},,]}', 2],
      ['{"kind":"List" "items":[]}', 1],
      ['[{"kind":"Pod"},\n]', 2],
      ['{"kind":"List","items":[{"kind":"Pod"},]}', 1],
      ['{"kind": "Pod",\n "metadata": {"name": "p"},\n}', 3],
      ['{,"kind":"Pod"}', 1],
      ['[,{"kind":"Pod"}]', 1],
      ['{"kind":"List",\n"items":[{"kind":"Pod",}]}', 2],
      ['{"kind":"List","items":[{"kind":"Pod"}]', 1],
      ['{"kind":"List","items":[{"kind":"Pod"]]}', 1],
      ['{"kind":"List","items":[\n\n{"kind": "Pod", "metadata": {"name": "x\n"}}]}', 3],
    ];
    for (const [text, line] of cases) {
      assert.throws(() => JSON.parse(text), SyntaxError, `the case itself is malformed: ${text}`);
      assert.throws(() => frames(text, [7]), (err: unknown) => err instanceof JsonSyntaxError && err.line === line, text);
    }
  });

  it('keeps a member named __proto__ as a member, as JSON.parse does', () => {
    const text = '{"__proto__": {"polluted": true}, "kind": "Pod", "metadata": {"name": "p"}}';
    const [f] = frames(text);
    assert.deepEqual(f?.type === 'value' && Object.keys(f.value as object), ['__proto__', 'kind', 'metadata']);
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
  });

  it('refuses a top-level value that is no object or list', () => {
    for (const text of ['"just a string"', '42', 'null']) assert.throws(() => frames(text), /expected a Kubernetes object or list/);
  });

  it('after any one-character corruption, reads what JSON.parse reads or refuses the document', () => {
    fc.assert(fc.property(fc.array(kubeObject, { minLength: 1, maxLength: 3 }), fc.nat(), fc.constantFrom('', '{', '}', '[', ']', ',', ':', '"', '\\', ' '), (items, at, insert) => {
      const text = JSON.stringify({ kind: 'List', items }, null, 1);
      const pos = at % text.length;
      const corrupted = text.slice(0, pos) + insert + text.slice(pos + (insert ? 0 : 1));
      let expected: unknown;
      try {
        expected = [JSON.parse(corrupted)];
      } catch {
        expected = undefined;
      }
      let got: unknown;
      try {
        got = rebuild(frames(corrupted, [pos]));
      } catch (err) {
        assert.ok(err instanceof JsonSyntaxError, String(err));
        assert.equal(expected, undefined, 'refused what JSON.parse reads');
        return;
      }
      assert.deepEqual(got, expected ?? got, 'read something JSON.parse reads differently');
      if (expected === undefined) assert.ok((got as unknown[]).length > 1, 'accepted only as several values in a row');
    }), { numRuns: 1000 });
  });

  it('refuses every truncation of a valid document', () => {
    fc.assert(fc.property(fc.array(kubeObject, { minLength: 1, maxLength: 3 }), fc.nat(), (items, at) => {
      const text = JSON.stringify({ kind: 'List', items });
      const cut = 1 + (at % (text.length - 1));
      assert.throws(() => frames(text.slice(0, cut)), JsonSyntaxError);
    }), { numRuns: 200 });
  });
});
