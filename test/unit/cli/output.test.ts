// Where the output goes wrong: a reader that leaves early ends the output quietly; a full disk is
// one clear line and exit 74; a bug is one line and exit 70, with the trace only when asked for.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { internalError } from '../../../src/cli/main.ts';

async function sh(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)('bash', ['-c', script], { maxBuffer: 1 << 26 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );
}

// Enough findings that the report is far larger than a pipe's buffer.
const big = join(mkdtempSync(join(tmpdir(), 'stsvol-out-')), 'many.json');
writeFileSync(big, JSON.stringify({
  kind: 'List',
  metadata: { annotations: { 'stsvol.io/captured-at': '2026-03-10T10:30:00Z' } },
  items: [
    { kind: 'StatefulSet', metadata: { name: 'web', namespace: 'db' }, spec: { replicas: 1, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '1Gi' } } } }] } },
    ...Array.from({ length: 3000 }, (_, i) => ({ kind: 'PersistentVolumeClaim', metadata: { name: `data-web-${i + 1}`, namespace: 'db', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Bound' } })),
  ],
}));
const stsvol = `"${process.execPath}" src/cli/main.ts`;

describe('output', () => {
  it('ends quietly when the reader goes away (| head), with the exit code it would have had', async () => {
    for (const format of ['text', 'json', 'yaml']) {
      const r = await sh(`set -o pipefail; ${stsvol} doctor --from ${big} -o ${format} --fail-on none | head -c 100 > /dev/null`);
      assert.equal(r.stderr, '', format);
      assert.equal(r.code, 0, format);
    }
  });

  it('says so in one line and exits 74 when the output cannot be written (a full disk)', async () => {
    const r = await sh(`${stsvol} doctor --from ${big} -o json --fail-on none > /dev/full`);
    assert.equal(r.code, 74);
    assert.equal(r.stderr, 'stsvol: error: cannot write the output: ENOSPC (no space left on the device)\n');
  });

  it('never loads the Kubernetes client for offline analysis (it costs a third of a second)', async () => {
    const r = await sh(`"${process.execPath}" --import ./test/fixtures/forbid-client-node.ts src/cli/main.ts doctor --from examples --fail-on none -o json > /dev/null`);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
  });

  it('reports its own bugs in one line, with the trace only under STSVOL_DEBUG=1', () => {
    let out = '';
    const stderr = { write: (t: string) => void (out += t) };
    const err = new TypeError("Cannot read properties of undefined (reading 'spec')");
    assert.equal(internalError(err, stderr, {}), 70);
    assert.equal(out.split('\n').filter(Boolean).length, 1);
    assert.match(out, /^stsvol: internal error: Cannot read properties of undefined \(reading 'spec'\) \(at output\.test\.ts:\d+\); this is a bug in stsvol, please report it; STSVOL_DEBUG=1 prints the trace\n$/);
    out = '';
    internalError(err, stderr, { STSVOL_DEBUG: '1' });
    assert.match(out, /\n {4}at /, 'the trace, when asked for');
  });
});
