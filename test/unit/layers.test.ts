// The folders are layers: model → checks → plans → executor → operator → dashboard → cli. A layer imports only from itself and the layers
// before it, so the checks stay testable with plain objects and nothing depends on the CLI.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const LAYERS = ['model', 'checks', 'plans', 'executor', 'operator', 'dashboard', 'cli'];

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

describe('source layers', () => {
  it('import only from their own layer and the layers before it', () => {
    const violations: string[] = [];
    for (const file of sources('src')) {
      const layer = relative('src', file).split('/')[0]!;
      const rank = LAYERS.indexOf(layer);
      assert.ok(rank >= 0, `${file} is in a known layer`);
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const target = relative('src', resolve(dirname(file), spec!)).split('/')[0]!;
        const targetRank = LAYERS.indexOf(target);
        if (targetRank < 0 || targetRank > rank) violations.push(`${file} imports ${spec}`);
      }
    }
    assert.deepEqual(violations, []);
  });
});
