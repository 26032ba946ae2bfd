import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { catalogTable } from '../../scripts/catalog-table.ts';

const readme = readFileSync('README.md', 'utf8');

describe('README', () => {
  it('starts with the two set-up commands: install and demo, then the tests', () => {
    const first = /^# stsvol\n\n```sh\n([^`]*)```/.exec(readme);
    assert.ok(first, 'a shell block right under the title');
    assert.deepEqual(first[1]!.trim().split('\n'), ['npm install && npm run demo', 'npm test']);
  });

  it('shows the check catalog as src/checks/catalog.ts defines it (node scripts/catalog-table.ts)', () => {
    const table = /<!-- catalog:start -->\n([\s\S]*?)\n<!-- catalog:end -->/.exec(readme)?.[1];
    assert.equal(table, catalogTable());
  });
});
