// The kubectl plugin as krew installs it: a manifest whose sha256 is its archive's, an archive
// built the same way twice, and a kubectl-stsvol that, linked onto PATH as krew links it, is stsvol.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { buildKrew } from '../../scripts/krew.ts';
import { cli } from '../fixtures/cli.ts';

describe('krew plugin', () => {
  it('is a manifest naming its archive by sha256, an archive built reproducibly, and a working kubectl-stsvol', { timeout: 60_000 }, async () => {
    const first = await buildKrew(mkdtempSync(join(tmpdir(), 'stsvol-krew-a-')));
    const second = await buildKrew(mkdtempSync(join(tmpdir(), 'stsvol-krew-b-')));
    assert.equal(first.sha256, second.sha256, 'the same sources give the same archive');
    assert.equal(createHash('sha256').update(readFileSync(first.archive)).digest('hex'), first.sha256);

    const manifest = parse(readFileSync(first.manifest, 'utf8'));
    assert.equal(manifest.apiVersion, 'krew.googlecontainertools.github.com/v1alpha2');
    assert.equal(manifest.kind, 'Plugin');
    assert.equal(manifest.metadata.name, 'stsvol');
    assert.equal(manifest.spec.version, `v${JSON.parse(readFileSync('package.json', 'utf8')).version}`);
    for (const p of manifest.spec.platforms) {
      assert.equal(p.sha256, first.sha256);
      assert.equal(p.bin, 'kubectl-stsvol');
      assert.match(p.uri, /^https:\/\/.*\/stsvol-krew-[\d.]+\.tar\.gz$/);
    }

    const installed = mkdtempSync(join(tmpdir(), 'stsvol-krew-x-'));
    assert.deepEqual(execFileSync('tar', ['-tzf', first.archive], { encoding: 'utf8' }).trim().split('\n'), ['kubectl-stsvol', 'stsvol.mjs']);
    execFileSync('tar', ['-xzf', first.archive, '-C', installed]);
    const bin = mkdtempSync(join(tmpdir(), 'stsvol-krew-bin-'));
    symlinkSync(join(installed, 'kubectl-stsvol'), join(bin, 'kubectl-stsvol'));
    const env = { ...process.env, PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin` };
    const args = ['doctor', '--from', 'examples', '-o', 'json', '--fail-on', 'none'];
    const plugin = execFileSync('kubectl-stsvol', args, { encoding: 'utf8', env });
    assert.deepEqual(JSON.parse(plugin), JSON.parse((await cli(args, { now: Date.now() })).stdout), 'the plugin says what stsvol says');
  });
});
