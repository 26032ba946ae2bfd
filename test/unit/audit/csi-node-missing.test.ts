import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StatefulSet } from '../../../src/model/types.ts';
import { csiNode, node } from '../../fixtures/build.ts';
import { findingsOf, statefulSetOf, wellKept } from './well-kept.ts';

describe('csi-node-missing', () => {
  it('reports schedulable nodes where the driver is not registered', () => {
    const objects = [...wellKept(), node('n9', { zone: 'zone-a' }), csiNode('n9', [])];
    const [f] = findingsOf(objects, 'csi-node-missing');
    assert.equal(f!.severity, 'critical');
    assert.match(f!.message, /node where StatefulSet db\/pg may run cannot mount its volumes: n9 has no ebs\.csi\.aws\.com/);
  });

  it('leaves out nodes the pods may not use (their nodeSelector) and unschedulable ones', () => {
    const objects = [...wellKept(), node('n9', { zone: 'zone-a', unschedulable: true }), node('gpu', { zone: 'zone-a' })];
    (statefulSetOf(objects) as StatefulSet).spec!.template!.spec!.nodeSelector = { 'topology.kubernetes.io/zone': 'zone-b' };
    assert.deepEqual(findingsOf(objects, 'csi-node-missing'), []);
  });
});
