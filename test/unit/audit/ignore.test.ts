import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyIgnores } from '../../../src/checks/audit/ignore.ts';
import type { Finding } from '../../../src/checks/finding.ts';

const f = (check: string, ns: string, name: string) => ({ check, severity: 'critical', object: { kind: 'StatefulSet', namespace: ns, name }, workload: { kind: 'StatefulSet', namespace: ns, name }, related: [], message: '', evidence: [], remediation: [] }) as unknown as Finding<'backup-missing'>;
const NOW = Date.parse('2026-03-10T10:00:00Z');

describe('the ignore file', () => {
  it('suppresses by check, namespace and object, with the reason, and leaves the rest', () => {
    const { kept, suppressed } = applyIgnores([f('backup-missing', 'cache', 'redis'), f('backup-missing', 'db', 'pg'), f('no-pdb', 'cache', 'redis')],
      [{ check: 'backup-missing', namespace: 'cache', object: 'statefulset/redis', reason: 'a cache, rebuilt from the primary' }], NOW);
    assert.deepEqual(kept.map((x) => `${x.check} ${x.object.name}`), ['backup-missing pg', 'no-pdb redis']);
    assert.deepEqual(suppressed.map((s) => s.reason), ['a cache, rebuilt from the primary']);
  });

  it('stops suppressing after its expiry date, and says which entries expired', () => {
    const rule = { check: '*', namespace: 'db', reason: 'migration week', expires: '2026-03-09' };
    const { kept, expired } = applyIgnores([f('backup-missing', 'db', 'pg')], [rule], NOW);
    assert.equal(kept.length, 1);
    assert.deepEqual(expired, [rule]);
    assert.equal(applyIgnores([f('backup-missing', 'db', 'pg')], [{ ...rule, expires: '2026-03-10' }], NOW).kept.length, 0, 'valid through its last day');
  });
});
