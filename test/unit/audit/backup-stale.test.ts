import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findingsOf, snapshotOf, wellKept } from './well-kept.ts';
import { schedule } from './backup-missing.test.ts';

describe('backup-stale', () => {
  it('reports copies older than --backup-max-age', () => {
    const objects = wellKept().map((o) => (o.kind === 'VolumeSnapshot' ? snapshotOf('db', o.metadata.name.replace(/-snap$/, ''), 3 * 24 * 60) : o));
    const [f] = findingsOf(objects, 'backup-stale');
    assert.match(f!.message, /backups of StatefulSet db\/pg are older than 24h: data-pg-0 \(newest copy 3d old\)/);
    assert.deepEqual(findingsOf(objects, 'backup-stale', { backupMaxAgeMs: 7 * 24 * 3600_000 }), []);
  });

  it('counts a paused Schedule, and one that never ran, as stopped', () => {
    const velero = wellKept().filter((o) => o.kind !== 'VolumeSnapshot');
    assert.match(findingsOf([...velero, schedule({ lastBackup: 60, paused: true })], 'backup-stale')[0]!.evidence[0]!.text, /velero schedule velero\/nightly \(paused\)/);
    assert.match(findingsOf([...velero, schedule({})], 'backup-stale')[0]!.message, /never copied/);
  });
});
