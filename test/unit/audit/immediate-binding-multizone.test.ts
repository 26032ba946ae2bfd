import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node, StorageClass } from '../../../src/model/types.ts';
import { find, findingsOf, wellKept } from './well-kept.ts';

describe('immediate-binding-multizone', () => {
  it('reports a zonal class that binds at once while nodes span zones', () => {
    const objects = wellKept();
    find<StorageClass>(objects, 'StorageClass', 'retain').volumeBindingMode = 'Immediate';
    const [f] = findingsOf(objects, 'immediate-binding-multizone');
    assert.match(f!.message, /provisions from retain with volumeBindingMode Immediate while its nodes span 3 zones \(zone-a, zone-b, zone-c\)/);
  });

  it('says nothing in a single-zone cluster, where no zone can be chosen wrong', () => {
    const objects = wellKept();
    find<StorageClass>(objects, 'StorageClass', 'retain').volumeBindingMode = 'Immediate';
    for (const o of objects) if (o.kind === 'Node') (o as Node).metadata.labels = { 'topology.kubernetes.io/zone': 'zone-a' };
    assert.deepEqual(findingsOf(objects, 'immediate-binding-multizone'), []);
  });
});
