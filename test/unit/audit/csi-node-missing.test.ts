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

  it('leaves out nodes their required node affinity or an untolerated taint keeps them from', () => {
    const objects = [...wellKept(), node('far', { zone: 'zone-z' }), csiNode('far', []), node('tainted', { zone: 'zone-a', taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }), csiNode('tainted', [])];
    const sts = statefulSetOf(objects) as StatefulSet;
    sts.spec!.template!.spec!.affinity = { ...sts.spec!.template!.spec!.affinity, nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-a', 'zone-b', 'zone-c'] }] }] } } };
    assert.deepEqual(findingsOf(objects, 'csi-node-missing'), []);
    // Tolerating the taint (by key and value, or every taint of the key) opens the node again.
    for (const toleration of [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, { key: 'dedicated', operator: 'Exists' }]) {
      sts.spec!.template!.spec!.tolerations = [toleration];
      assert.match(findingsOf(objects, 'csi-node-missing')[0]!.message, /tainted has no ebs\.csi\.aws\.com/);
    }
    sts.spec!.template!.spec!.tolerations = [{ key: 'dedicated', value: 'cpu', effect: 'NoSchedule' }];
    assert.deepEqual(findingsOf(objects, 'csi-node-missing'), []);
  });
});
