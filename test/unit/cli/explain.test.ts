// stsvol explain CHECK: one check as kubectl explain gives a field; docs/checks.md the same, one
// anchor per check; the waits it quotes are the ones its rule applies.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CHECK_IDS, type CheckId } from '../../../src/checks/catalog.ts';
import { EXPLANATIONS } from '../../../src/checks/explanations.ts';
import * as THRESHOLDS from '../../../src/checks/thresholds.ts';
import { AUDIT_IDS } from '../../../src/checks/audit/catalog.ts';
import { checksMarkdown, withAuditChecks } from '../../../src/cli/explain.ts';
import { formatDuration } from '../../../src/model/time.ts';
import { cli } from '../../fixtures/cli.ts';

describe('stsvol explain', () => {
  it('prints what the check looks at, its waits, why it matters, where it comes from, the fix and its docs anchor', async () => {
    const { code, stdout } = await cli(['explain', 'stuck-terminating'], { env: { COLUMNS: '80' } });
    assert.equal(code, 0);
    for (const heading of ['WHAT IT LOOKS AT', 'WHY IT MATTERS', 'WAITS BEFORE IT REPORTS', 'WHERE IT COMES FROM', 'THE FIX']) assert.match(stdout, new RegExp(`^${heading}$`, 'm'));
    assert.match(stdout, /^ {2}- 5m past the deletion deadline$/m);
    assert.match(stdout, /Seed 004, statefulset storage, question by question:/);
    assert.match(stdout, /^DOCS: https:\/\/github\.com\/stsvol\/stsvol\/blob\/v0\.1\.0\/docs\/checks\.md#stuck-terminating$/m);
    for (const line of stdout.split('\n')) assert.ok(line.length <= 80 || line.startsWith('DOCS: '), line);
    assert.equal((await cli(['checks', 'stuck-terminating'], { env: { COLUMNS: '80' } })).stdout, stdout, 'stsvol checks CHECK is the same');
  });

  it('gives tools the same as JSON', async () => {
    const x = JSON.parse((await cli(['explain', 'multi-attach', '-o', 'json'])).stdout);
    assert.deepEqual(Object.keys(x), ['id', 'command', 'severity', 'title', 'looksAt', 'reads', 'why', 'thresholds', 'seeds', 'fix', 'docs']);
    const a = JSON.parse((await cli(['explain', 'backup-partial', '-o', 'json'])).stdout);
    assert.equal(a.command, 'audit');
    assert.equal(a.weight, 4);
    assert.match(a.docs, /docs\/audit\.md#backup-partial$/);
    assert.equal(x.seeds[0].id, '001');
  });

  it('refuses an unknown check in one line, with the near names', async () => {
    const { code, stdout, stderr } = await cli(['explain', 'pv-reuse']);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(stderr, 'stsvol: error: unknown check "pv-reuse": did you mean stale-pv-reuse? (stsvol checks lists them)\n');
  });

  it('quotes every wait a rule applies, at its value', () => {
    const rules = 'src/checks/rules';
    for (const file of readdirSync(rules)) {
      const source = readFileSync(join(rules, file), 'utf8');
      const id = /const ID = '([^']+)'/.exec(source)![1] as CheckId;
      const imported = /import \{([^}]+)\} from '\.\.\/thresholds\.ts'/.exec(source)?.[1]?.split(',').map((s) => s.trim()).filter(Boolean) ?? [];
      const quoted = EXPLANATIONS[id].thresholds.join(' ');
      for (const name of imported) {
        const ms = (THRESHOLDS as Record<string, number>)[name]!;
        assert.ok(quoted.includes(formatDuration(ms)), `${id} waits ${name} (${formatDuration(ms)}) but does not say so`);
      }
    }
  });
});

describe('docs/checks.md', () => {
  it('is generated from the catalog and the explanations (node scripts/checks-doc.ts), with a heading per check', () => {
    const doc = readFileSync('docs/checks.md', 'utf8');
    assert.equal(doc, checksMarkdown());
    for (const id of CHECK_IDS) assert.match(doc, new RegExp(`^## ${id}$`, 'm'));
  });
});

describe('docs/audit.md', () => {
  it('has its checks section generated from the audit catalog, with a heading per audit check', () => {
    const doc = readFileSync('docs/audit.md', 'utf8');
    assert.equal(doc, withAuditChecks(doc));
    for (const id of AUDIT_IDS) assert.match(doc, new RegExp(`^### ${id}$`, 'm'));
  });
});
