// Scores: each judged check by its weight; a critical costs the whole weight, a warning half, info nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AUDIT_CATALOG } from '../../../src/checks/audit/catalog.ts';
import { score } from '../../../src/checks/audit/score.ts';
import type { Finding } from '../../../src/checks/finding.ts';

const sts = { kind: 'StatefulSet', namespace: 'db', name: 'pg' };
const finding = (check: keyof typeof AUDIT_CATALOG, severity: 'critical' | 'warning' | 'info') => ({ check, severity, object: sts, workload: sts, related: [], message: '', evidence: [], remediation: [] }) as Finding<keyof typeof AUDIT_CATALOG>;

describe('audit score', () => {
  it('weighs each judged check; critical costs its weight, warning half, info nothing', () => {
    const judged = (['backup-missing', 'no-pdb', 'retention-delete', 'default-class'] as const).map((check) => ({ check, workloads: [check === 'default-class' ? { kind: 'Cluster', name: 'cluster' } : sts] }));
    // weights 5 + 2 + 1 = 8 for pg; backup-missing critical loses 5, no-pdb warning 1, retention-delete info 0.
    const s = score(judged, [finding('backup-missing', 'critical'), finding('no-pdb', 'warning'), finding('retention-delete', 'info')]);
    assert.deepEqual(s.workloads.map((w) => [w.workload.name, w.score, w.checks, w.failed]), [['pg', 25, 3, 2], ['cluster', 100, 1, 0]]);
    assert.equal(s.cluster, Math.round(100 * (1 - 6 / 9)));
  });

  it('scores 100 with nothing judged, and counts a finding once per check and workload, at its worst', () => {
    assert.equal(score([], []).cluster, 100);
    const s = score([{ check: 'no-pdb', workloads: [sts, sts] }], [finding('no-pdb', 'warning'), finding('no-pdb', 'warning')]);
    assert.equal(s.workloads[0]!.score, 50);
  });
});
