import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { controller, findingsOf, wellKept } from './well-kept.ts';

const withController = (replicas: number, leader: boolean) => wellKept().map((o) => (o.kind === 'Deployment' ? controller('kube-system', 'ebs-csi-controller', replicas, leader) : o));

describe('csi-controller-single', () => {
  it('reports a controller of one replica, and sidecars without leader election', () => {
    assert.match(findingsOf(withController(1, true), 'csi-controller-single')[0]!.message, /ebs\.csi\.aws\.com \(deployment kube-system\/ebs-csi-controller: 1 replica\)/);
    assert.match(findingsOf(withController(2, false), 'csi-controller-single')[0]!.message, /csi-provisioner, csi-attacher, csi-resizer without --leader-election/);
  });

  it('does not judge a driver whose controller is not visible (managed)', () => {
    const objects = wellKept().filter((o) => o.kind !== 'Deployment');
    const run = findingsOf(objects, 'csi-controller-single');
    assert.deepEqual(run, []);
  });
});
