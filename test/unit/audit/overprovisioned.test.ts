import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PersistentVolumeClaim } from '../../../src/model/types.ts';
import { findingsOf, wellKept } from './well-kept.ts';

const GIB = 2 ** 30;

describe('overprovisioned', () => {
  it('reports, as information, a StatefulSet whose every volume is mostly empty', () => {
    const objects = wellKept();
    for (const o of objects) if (o.kind === 'PersistentVolumeClaim') (o as PersistentVolumeClaim).metadata.annotations!['stsvol.io/observed-usage'] = JSON.stringify({ usedBytes: GIB, capacityBytes: 10 * GIB, at: '2026-03-10T10:00:00Z', source: 'prometheus', window: '7d' });
    const [f] = findingsOf(objects, 'overprovisioned');
    assert.equal(f!.severity, 'info');
    assert.match(f!.message, /uses 3\.0 GiB of 30\.0 GiB \(10%\) at most over 7d \(prometheus\): every claim below 20%/);
    assert.deepEqual(findingsOf(objects, 'overprovisioned', { overprovisionedBelow: 0.05 }), [], 'below the threshold given');
  });

  it('does not judge a StatefulSet whose usage is unknown', () => {
    const objects = wellKept();
    for (const o of objects) if (o.kind === 'PersistentVolumeClaim') delete (o as PersistentVolumeClaim).metadata.annotations;
    assert.deepEqual(findingsOf(objects, 'overprovisioned'), []);
  });
});
