import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { costOf } from '../../../src/checks/audit/cost.ts';
import { BUILT_IN_PRICES } from '../../../src/model/pricing.ts';
import type { PersistentVolumeClaim, StorageClass } from '../../../src/model/types.ts';
import { bind, claim, modelOf, volume } from '../../fixtures/build.ts';
import { find, wellKept } from './well-kept.ts';

describe('audit cost', () => {
  it('prices provisioned, used and wasted storage by StatefulSet, namespace and class, with leftovers and snapshots', () => {
    const objects = wellKept();
    find<StorageClass>(objects, 'StorageClass', 'retain').parameters = { type: 'gp3' };
    const [left, lv] = bind(claim('db', 'data-pg-3', { cls: 'retain', size: '10Gi' }), volume('pv-pg-3', { cls: 'retain', size: '10Gi', reclaim: 'Retain' }));
    objects.push(left, lv, volume('pv-old', { cls: 'retain', size: '100Gi', phase: 'Released', reclaim: 'Retain' }));
    const cost = costOf(modelOf(objects), BUILT_IN_PRICES);
    assert.equal(cost.currency, 'USD');
    assert.match(cost.region!, /us-east-1/);
    // 4 claims of 10 GiB at gp3's 0.08: 3.20; 3 of them half used: waste 3 × 5 GiB × 0.08 = 1.20.
    assert.deepEqual(cost.byStatefulSet, [{ name: 'db/pg', provisionedGiB: 40, usedGiB: 15, monthly: 3.2, wasteMonthly: 1.2 }]);
    assert.deepEqual(cost.byClass.map((r) => r.name), ['retain']);
    assert.equal(cost.leftovers.released.monthly, 8, '100 GiB Released');
    assert.equal(cost.leftovers.beyondReplicas.provisionedGiB, 10, 'the claim of ordinal 3');
    assert.equal(cost.snapshots.monthly, 1.5, '3 snapshots of 10 GiB at 0.05');
    assert.equal(cost.total.leftoversMonthly, 8.8);
    assert.match(cost.references['ebs.csi.aws.com']!, /aws\.amazon\.com\/ebs\/pricing/);
  });

  it('says when a class has no known price instead of calling it free', () => {
    const objects = wellKept();
    for (const o of objects) if (o.kind === 'StorageClass') (o as StorageClass).provisioner = 'example.com/unknown';
    for (const o of objects) if (o.kind === 'PersistentVolumeClaim') delete (o as PersistentVolumeClaim).metadata.annotations;
    const cost = costOf(modelOf(objects), BUILT_IN_PRICES);
    assert.equal(cost.total.unpriced, 3);
    assert.equal(cost.byStatefulSet[0]!.monthly, undefined);
  });
});
