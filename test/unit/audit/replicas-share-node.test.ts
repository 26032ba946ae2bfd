import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../../../src/model/types.ts';
import { find, findingsOf, statefulSetOf, wellKept } from './well-kept.ts';

describe('replicas-share-node', () => {
  it('reports replicas on one node', () => {
    const objects = wellKept();
    find<Pod>(objects, 'Pod', 'pg-2').spec!.nodeName = 'n1';
    assert.match(findingsOf(objects, 'replicas-share-node')[0]!.message, /share nodes \(pg-1, pg-2 on n1\)/);
  });

  it('reports a template with nothing that keeps replicas apart, though they happen to be', () => {
    const objects = wellKept();
    delete statefulSetOf(objects).spec!.template!.spec!.affinity;
    assert.match(findingsOf(objects, 'replicas-share-node')[0]!.message, /nothing keeps the replicas of StatefulSet db\/pg apart/);
    statefulSetOf(objects).spec!.template!.spec!.topologySpreadConstraints = [{ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1 }];
    assert.deepEqual(findingsOf(objects, 'replicas-share-node'), [], 'a zone spread keeps them apart');
  });
});
