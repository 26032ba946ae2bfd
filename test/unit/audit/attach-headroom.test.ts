import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attachment, csiNode } from '../../fixtures/build.ts';
import { DRIVER, findingsOf, wellKept } from './well-kept.ts';

describe('attach-headroom', () => {
  it('reports when the other nodes cannot take the volumes of the busiest one', () => {
    // n0 holds 3 attachments; n1 and n2 have 1 free slot each.
    const objects = wellKept().map((o) => (o.kind === 'CSINode' ? csiNode(o.metadata.name, [{ name: DRIVER, count: o.metadata.name === 'n0' ? 5 : 1 }]) : o));
    objects.push(...[0, 1, 2].map((i) => attachment(`va-${i}`, { pv: `pv-x-${i}`, node: 'n0', attached: true, attacher: DRIVER })));
    const [f] = findingsOf(objects, 'attach-headroom');
    assert.match(f!.message, /if node n0 is lost, its 3 volumes of ebs\.csi\.aws\.com need as many attach slots and the other Ready nodes have 2: 1 would stay unattached/);
    assert.deepEqual(f!.workload, { kind: 'Cluster', name: 'cluster' });
  });
});
