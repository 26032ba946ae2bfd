import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StorageClass } from '../../../src/model/types.ts';
import { find, findingsOf, wellKept } from './well-kept.ts';

describe('no-expansion', () => {
  it('reports a class that forbids expansion, and a provisioner that cannot expand', () => {
    const objects = wellKept();
    const sc = find<StorageClass>(objects, 'StorageClass', 'retain');
    sc.allowVolumeExpansion = false;
    assert.match(findingsOf(objects, 'no-expansion')[0]!.message, /template "data" uses class retain: it does not allow expansion/);
    sc.allowVolumeExpansion = true;
    sc.provisioner = 'rancher.io/local-path';
    assert.match(findingsOf(objects, 'no-expansion')[0]!.message, /its provisioner rancher\.io\/local-path cannot expand volumes/);
  });
});
