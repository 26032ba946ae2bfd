import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../../../src/model/types.ts';
import { findingsOf, wellKept } from './well-kept.ts';
import { schedule } from './backup-missing.test.ts';

describe('backup-partial', () => {
  it('reports the claims without a copy when others have one', () => {
    const objects = wellKept().filter((o) => !(o.kind === 'VolumeSnapshot' && o.metadata.name === 'data-pg-2-snap'));
    const [f] = findingsOf(objects, 'backup-partial');
    assert.match(f!.message, /only partly backed up: 2 of 3 claims have a copy; data-pg-2 has none/);
  });

  it('sees a Velero selector that misses a replica, as Velero matches it (the claim, or the pod that mounts it)', () => {
    const objects = wellKept().filter((o) => o.kind !== 'VolumeSnapshot');
    for (const o of objects) if (o.kind === 'Pod') (o as Pod).metadata.labels = { app: 'pg', role: o.metadata.name === 'pg-0' ? 'primary' : 'replica' };
    const [f] = findingsOf([...objects, schedule({ template: { labelSelector: { matchLabels: { role: 'primary' } } }, lastBackup: 60 })], 'backup-partial');
    assert.match(f!.message, /1 of 3 claims have a copy; data-pg-1, data-pg-2 have none/);
  });
});
