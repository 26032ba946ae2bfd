// Volume usage as the kubelet's Summary API and Prometheus' kubelet_volume_stats_* report it, and
// the reason given for each opted-in claim without numbers.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { samplesFromPrometheus, samplesFromSummary, whyNoStats } from '../../../src/operator/usage.ts';
import { bind, claim, modelOf, node, pod, volume } from '../../fixtures/build.ts';

describe('volume usage', () => {
  it('reads the claims of a kubelet Summary, and skips volumes that are not claims or have no numbers', () => {
    const summary = {
      node: { nodeName: 'n1' },
      pods: [{
        podRef: { name: 'pg-0', namespace: 'db' },
        volume: [
          { name: 'data', pvcRef: { name: 'data-pg-0', namespace: 'db' }, capacityBytes: 1000, usedBytes: 800, availableBytes: 150, inodes: 100, inodesUsed: 7 },
          { name: 'kube-api-access', capacityBytes: 50, usedBytes: 1 },
          { name: 'raw', pvcRef: { name: 'raw-pg-0', namespace: 'db' } },
        ],
      }],
    };
    assert.deepEqual([...samplesFromSummary(JSON.stringify(summary), 5)], [['db/data-pg-0', { at: 5, usedBytes: 800, capacityBytes: 1000, availableBytes: 150, inodes: 100, inodesUsed: 7 }]]);
  });

  it('joins the five kubelet_volume_stats series per claim', () => {
    const v = (ns: string, pvc: string, value: number) => ({ metric: { namespace: ns, persistentvolumeclaim: pvc }, value: [0, String(value)] as [number, string] });
    const samples = samplesFromPrometheus({
      usedBytes: [v('db', 'a', 10), v('db', 'b', 1)], capacityBytes: [v('db', 'a', 100)], availableBytes: [v('db', 'a', 85)], inodesUsed: [v('db', 'a', 3)], inodes: [v('db', 'a', 30)],
    }, 9);
    assert.deepEqual([...samples], [['db/a', { at: 9, usedBytes: 10, capacityBytes: 100, availableBytes: 85, inodes: 30, inodesUsed: 3 }]]);
  });

  it('says per claim why there are no numbers, and which reasons are only idleness', () => {
    const [c, v] = bind(claim('db', 'data-pg-0'), volume('pv-1'));
    const [b, bv] = bind(claim('db', 'raw-pg-0'), volume('pv-2'));
    b.spec!.volumeMode = 'Block';
    const idle = claim('db', 'left-over');
    const model = modelOf([c, v, b, bv, idle, node('n1'), pod('db', 'pg-0', { node: 'n1', claims: ['data-pg-0'], ready: true })]);
    const empty = { samples: new Map(), failedNodes: new Map() };
    const why = (name: string, reading = empty) => whyNoStats(model, model.claims.get('db', name)!, reading, 'kubelet');
    assert.match(why('raw-pg-0').reason, /raw block volume/);
    assert.equal(why('left-over').idle, true);
    assert.match(why('data-pg-0').reason, /NodeGetVolumeStats/);
    assert.match(why('data-pg-0', { samples: new Map(), failedNodes: new Map([['n1', 'HTTP 403']]) }).reason, /node n1 could not be read \(HTTP 403\)/);
  });
});
