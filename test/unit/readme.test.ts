import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { allowlistTable } from '../../scripts/allowlist-table.ts';
import { catalogTable } from '../../scripts/catalog-table.ts';

const readme = readFileSync('README.md', 'utf8');

function section(name: string): string | undefined {
  return new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`).exec(readme)?.[1];
}

describe('README', () => {
  it('starts with the two set-up commands: install and demo, then the tests', () => {
    const first = /^# stsvol\n\n```sh\n([^`]*)```/.exec(readme);
    assert.ok(first, 'a shell block right under the title');
    assert.deepEqual(first[1]!.trim().split('\n'), ['npm install && npm run demo', 'npm test']);
  });

  it('shows the check catalog as src/checks/catalog.ts defines it (node scripts/catalog-table.ts)', () => {
    assert.equal(section('catalog'), catalogTable());
  });

  it('shows the snapshot allowlist as src/model/schema.ts defines it (node scripts/allowlist-table.ts)', () => {
    assert.equal(section('allowlist'), allowlistTable());
  });
});
