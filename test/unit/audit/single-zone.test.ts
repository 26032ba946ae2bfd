import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PersistentVolume } from '../../../src/model/types.ts';
import { findingsOf, wellKept } from './well-kept.ts';

describe('single-zone', () => {
  it('reports every volume in one zone while nodes span several', () => {
    const objects = wellKept();
    for (const o of objects) if (o.kind === 'PersistentVolume') (o as PersistentVolume).spec!.nodeAffinity!.required!.nodeSelectorTerms![0]!.matchExpressions![0]!.values = ['zone-a'];
    const [f] = findingsOf(objects, 'single-zone');
    assert.match(f!.message, /all 3 volumes of StatefulSet db\/pg are in zone zone-a while its nodes span zone-a, zone-b, zone-c/);
  });
});
