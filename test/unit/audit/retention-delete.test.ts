import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findingsOf, statefulSetOf, wellKept } from './well-kept.ts';

describe('retention-delete', () => {
  it('states plainly, as information, that the StatefulSet deletes its claims', () => {
    const objects = wellKept();
    statefulSetOf(objects).spec!.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Retain' };
    const [f] = findingsOf(objects, 'retention-delete');
    assert.equal(f!.severity, 'info');
    assert.match(f!.message, /deletes its claims when it is deleted \(persistentVolumeClaimRetentionPolicy\)/);
  });
});
