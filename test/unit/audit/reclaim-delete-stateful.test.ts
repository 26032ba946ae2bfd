import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PersistentVolume, StorageClass } from '../../../src/model/types.ts';
import { find, findingsOf, wellKept } from './well-kept.ts';

describe('reclaim-delete-stateful', () => {
  it('names the volumes deleted with their claim, with the patch that keeps each', () => {
    const objects = wellKept();
    find<PersistentVolume>(objects, 'PersistentVolume', 'pv-pg-1').spec!.persistentVolumeReclaimPolicy = 'Delete';
    const [f] = findingsOf(objects, 'reclaim-delete-stateful');
    assert.match(f!.message, /its volume \(pv-pg-1\) is deleted with its claim/);
    assert.equal(f!.remediation[0]!.command, `kubectl patch pv pv-pg-1 --type=merge -p '{"spec":{"persistentVolumeReclaimPolicy":"Retain"}}'`);
  });

  it('reports a template whose class deletes, Delete being the default of a class', () => {
    const objects = wellKept();
    delete find<StorageClass>(objects, 'StorageClass', 'retain').reclaimPolicy;
    const [f] = findingsOf(objects, 'reclaim-delete-stateful');
    assert.match(f!.message, /claim template "data" provisions from class retain with reclaimPolicy Delete/);
    assert.match(f!.evidence[0]!.text, /reclaimPolicy=Delete \(the default\)/);
  });
});
