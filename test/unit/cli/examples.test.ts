// The examples are the README's demo and the seeds' incidents: each must raise exactly the checks
// examples/README.md promises, and the healthy objects placed beside them must stay silent.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli } from '../../fixtures/cli.ts';

const EXPECTED: Record<string, string[]> = {
  'seed-000-scale-up.yaml': ['pod-on-missing-node', 'pvc-provisioning-failed', 'stale-pv-reuse', 'stale-volumeattachment', 'stuck-terminating', 'volume-mount-timeout'],
  'seed-001-node-lost.yaml': ['attach-limit', 'multi-attach', 'resize-fs-pending', 'stale-volumeattachment', 'volume-node-affinity-conflict'],
  'seed-002-resize.yaml': ['auto-expand-blocked', 'resize-failed', 'resize-unsupported', 'sts-template-drift'],
  'seed-004-scale-down.yaml': ['fenced-node-ready', 'missing-storageclass', 'orphan-pvc', 'pvc-no-provisioner', 'released-pv', 'storage-quota-exceeded'],
};

async function findings(path: string) {
  return JSON.parse((await cli(['doctor', '--from', path, '-o', 'json'])).stdout).findings as { check: string; object: { name: string }; remediation: { command?: string }[] }[];
}

describe('examples', () => {
  for (const [file, checks] of Object.entries(EXPECTED)) {
    it(`${file} raises ${checks.join(', ')}`, async () => {
      assert.deepEqual([...new Set((await findings(`examples/${file}`)).map((f) => f.check))].sort(), checks);
    });
  }

  it('leaves the normal states alone', async () => {
    const names = (await findings('examples')).map((f) => f.object.name);
    for (const healthy of ['scratch', 'log-data-log-collector-1', 'data-rabbitmq-1', 'kafka-2', 'mysql-1', 'mysql-2']) {
      assert.ok(!names.includes(healthy), `${healthy} is normal`);
    }
  });

  it('covers every check of the catalog between them', async () => {
    const { stdout } = await cli(['checks', '-o', 'json']);
    const all = JSON.parse(stdout).checks.map((c: { id: string }) => c.id).sort();
    assert.deepEqual([...new Set(Object.values(EXPECTED).flat())].sort(), all);
  });

  it('gives remedy commands bash runs as written: no unquoted glob, redirection or syntax error', async () => {
    const commands = [...new Set((await findings('examples')).flatMap((f) => f.remediation.flatMap((s) => s.command ?? [])))];
    assert.ok(commands.length > 40, `${commands.length} commands`);
    const cwd = mkdtempSync(join(tmpdir(), 'stsvol-commands-'));
    for (const command of commands) {
      // failglob: a pattern such as drivers[*] that bash would expand fails instead of passing silently.
      const r = spawnSync('bash', ['-O', 'failglob', '-c', `kubectl() { :; }; stsvol() { :; }; grep() { :; }\n${command}`], { cwd, encoding: 'utf8' });
      assert.equal(r.stderr, '', command);
      assert.equal(r.status, 0, command);
    }
  });
});
