import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/model/types.ts';
import { ago, modelOf } from '../../fixtures/build.ts';
import { runAudit } from '../../../src/checks/audit/index.ts';
import { DEFAULT_AUDIT_OPTIONS } from '../../../src/checks/audit/scope.ts';
import { findingsOf, wellKept } from './well-kept.ts';

const unprotected = () => wellKept().filter((o) => o.kind !== 'VolumeSnapshot');

export function schedule(o: { template?: Record<string, unknown>; lastBackup?: number; paused?: boolean } = {}): KubeObject {
  return { apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: { name: 'nightly', namespace: 'velero' }, spec: { schedule: '0 2 * * *', paused: o.paused, template: o.template ?? {} }, status: { phase: 'Enabled', ...(o.lastBackup !== undefined ? { lastBackup: ago(o.lastBackup) } : {}) } } as KubeObject;
}

describe('backup-missing', () => {
  it('reports a StatefulSet none of whose claims has a copy', () => {
    const [f] = findingsOf(unprotected(), 'backup-missing');
    assert.equal(f!.severity, 'critical');
    assert.match(f!.message, /no backup of StatefulSet db\/pg: none of its 3 claims has a ReadyToUse VolumeSnapshot, and no Velero Schedule or Backup takes their data/);
  });

  it('counts a Velero Schedule that covers the namespace, and not one that excludes it', () => {
    assert.deepEqual(findingsOf([...unprotected(), schedule({ template: { includedNamespaces: ['d*'] }, lastBackup: 60 })], 'backup-missing'), []);
    assert.equal(findingsOf([...unprotected(), schedule({ template: { excludedNamespaces: ['db'] }, lastBackup: 60 })], 'backup-missing').length, 1);
  });

  it('does not call a StatefulSet unprotected when the backup kinds could not be read', () => {
    const model = modelOf(unprotected());
    model.snapshot.notices.push({ kind: 'Schedule', reason: 'forbidden', message: 'forbidden' });
    const run = runAudit(model, DEFAULT_AUDIT_OPTIONS, ['backup-missing']);
    assert.deepEqual(run.findings, []);
    assert.deepEqual(run.judged.flatMap((j) => j.workloads), [], 'not judged either: its score neither gains nor loses');
  });
});
