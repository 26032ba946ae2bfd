// Auto-expansion's decisions on plain objects: when (threshold confirmed by two samples, the trend
// within the lead time, inodes), how much (increment, whole GiB, the provider's one larger step,
// the ceiling), and when not (cooldown from the claim's annotation, resize in flight, class,
// quota, maximum); the policy annotations; which templates follow their claims.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXPANDED_FROM_ANNOTATION, LAST_EXPANDED_ANNOTATION } from '../../../src/model/annotations.ts';
import { policyOf, type ExpandPolicy } from '../../../src/model/expand-policy.ts';
import type { KubeObject, PersistentVolumeClaim, StatefulSet } from '../../../src/model/types.ts';
import { decideExpansion } from '../../../src/plans/autoexpand/decide.ts';
import { remember, trendOf, HISTORY_WINDOW_MS, type UsageSample } from '../../../src/plans/autoexpand/forecast.ts';
import { templatesToSync } from '../../../src/plans/autoexpand/template-sync.ts';
import { claim, modelOf, NOW, quota, statefulSet } from '../../fixtures/build.ts';
import { running } from './replicas.ts';

const GiB = 2 ** 30;
const MINUTE = 60_000;
const now = Date.parse(NOW);
const POLICY: ExpandPolicy = { threshold: { usedPercent: 80 }, increment: { percent: 25 }, maxBytes: 100 * GiB, leadTimeMs: 6 * 60 * MINUTE, cooldownMs: 0 };

/** Samples one minute apart ending now, of a 10Gi volume at these fractions used. */
function samples(fractions: number[], capacity = 10 * GiB, inodes?: { total: number; used: number[] }): UsageSample[] {
  return fractions.map((f, i) => ({ at: now - (fractions.length - 1 - i) * MINUTE, usedBytes: f * capacity, capacityBytes: capacity, ...(inodes ? { inodes: inodes.total, inodesUsed: inodes.used[i] } : {}) }));
}

/** A StatefulSet on a provider without a modification interval (EBS has its own test). */
function pg(o: Parameters<typeof running>[2] = {}): KubeObject[] {
  return running('db', 'pg', { provisioner: 'pd.csi.storage.gke.io', ...o });
}

function opted(objects: KubeObject[], annotations: Record<string, string> = {}): { objects: KubeObject[]; pvc: PersistentVolumeClaim } {
  const pvc = objects.find((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name.endsWith('-0')) as PersistentVolumeClaim;
  pvc.metadata.annotations = { ...pvc.metadata.annotations, ...annotations };
  return { objects, pvc };
}

function decide(objects: KubeObject[], name: string, history: UsageSample[], policy = POLICY) {
  const model = modelOf(objects);
  return decideExpansion(model, model.claims.get('db', name)!, policy, history);
}

describe('auto-expansion decisions', () => {
  it('grows a volume over its threshold in two samples in a row, by the increment in whole GiB', () => {
    const d = decide(pg(), 'data-pg-0', samples([0.5, 0.85, 0.86]));
    assert.equal(d.action, 'expand');
    assert.equal(d.action === 'expand' && d.to, '13Gi'); // 10Gi + 25% = 12.5Gi, rounded up
    assert.match(d.reason, /86\.0% used/);
  });

  it('never on one sample over the threshold', () => {
    assert.equal(decide(pg(), 'data-pg-0', samples([0.5, 0.95])).action, 'none');
    assert.equal(decide(pg(), 'data-pg-0', samples([0.95])).action, 'none');
  });

  it('grows before the threshold when the trend fills it within the lead time', () => {
    // 5% a minute from 40%: full in about 11 minutes, well within 6h.
    const d = decide(pg(), 'data-pg-0', samples([0.3, 0.35, 0.4]));
    assert.equal(d.action, 'expand');
    assert.match(d.reason, /full in \d+m/);
    assert.ok(d.trend.fullInMs! > 10 * MINUTE && d.trend.fullInMs! < 14 * MINUTE);
    // The same level, flat: nothing.
    assert.equal(decide(pg(), 'data-pg-0', samples([0.4, 0.4, 0.4])).action, 'none');
  });

  it('counts inodes: a volume out of inodes is full', () => {
    const d = decide(pg(), 'data-pg-0', samples([0.1, 0.1], 10 * GiB, { total: 1000, used: [950, 960] }));
    assert.equal(d.action, 'expand');
    assert.match(d.reason, /inodes/);
  });

  it('waits out the cooldown written on the claim, so a restart or a new leader keeps it', () => {
    const { objects } = opted(pg(), { [LAST_EXPANDED_ANNOTATION]: new Date(now - 10 * MINUTE).toISOString() });
    const d = decide(objects, 'data-pg-0', samples([0.9, 0.9]), { ...POLICY, cooldownMs: 60 * MINUTE });
    assert.equal(d.action, 'wait');
    assert.match(d.reason, /next one possible in 50m/);
    assert.equal(decide(objects, 'data-pg-0', samples([0.9, 0.9]), { ...POLICY, cooldownMs: 5 * MINUTE }).action, 'expand');
  });

  it('on EBS: at least 6 hours apart, and one step big enough to last them', () => {
    const { objects } = opted(running('db', 'pg', { provisioner: 'ebs.csi.aws.com' }), { [LAST_EXPANDED_ANNOTATION]: new Date(now - 60 * MINUTE).toISOString() });
    assert.equal(decide(objects, 'data-pg-0', samples([0.9, 0.9])).action, 'wait', 'the provider interval applies though the policy has no cooldown');
    // Filling 1% (~100Mi) a minute from 81%: the plain increment (13Gi) would be full again within the hour.
    const fresh = running('db', 'pg', { provisioner: 'ebs.csi.aws.com' });
    const d = decide(fresh, 'data-pg-0', samples([0.79, 0.8, 0.81]));
    assert.equal(d.action, 'expand');
    // 8.1Gi + 0.1Gi/min * (6h + 6h) = ~80Gi used, / 80% = ~100Gi: capped by the maximum of 100Gi.
    const step = d.action === 'expand' ? d.toBytes : 0;
    assert.ok(step >= 90 * GiB, `one large step: ${step / GiB}Gi`);
    const elsewhere = decide(running('db', 'pg', { provisioner: 'pd.csi.storage.gke.io' }), 'data-pg-0', samples([0.79, 0.8, 0.81]));
    assert.equal(elsewhere.action === 'expand' && elsewhere.to, '13Gi', 'no interval, no larger step');
  });

  it('refuses a class that cannot expand, a quota the step would exceed, and a maximum reached', () => {
    const cannot = decide(pg({ expand: false }), 'data-pg-0', samples([0.9, 0.9]));
    assert.equal(cannot.action === 'refuse' && cannot.code, 'class-cannot-expand');
    const limited = [...pg(), quota('db', 'storage', { 'requests.storage': '31Gi' }, { 'requests.storage': '30Gi' })];
    const q = decide(limited, 'data-pg-0', samples([0.9, 0.9]));
    assert.equal(q.action === 'refuse' && q.code, 'quota');
    const max = decide(pg(), 'data-pg-0', samples([0.9, 0.9]), { ...POLICY, maxBytes: 10 * GiB });
    assert.equal(max.action === 'refuse' && max.code, 'max-size');
    const capped = decide(pg(), 'data-pg-0', samples([0.9, 0.9]), { ...POLICY, maxBytes: 11 * GiB });
    assert.equal(capped.action === 'expand' && capped.to, '11Gi', 'the last step stops at the maximum');
  });

  it('does not grow twice on samples of the file system before its resize', () => {
    const objects = pg();
    const pvc = objects.find((o) => o.metadata.name === 'data-pg-0') as PersistentVolumeClaim;
    pvc.spec!.resources!.requests!.storage = '13Gi';
    pvc.status!.capacity = { storage: '13Gi' };
    pvc.metadata.annotations = { [LAST_EXPANDED_ANNOTATION]: new Date(now - 3 * MINUTE).toISOString() };
    const before = samples([0.85, 0.86, 0.87, 0.88, 0.89]); // 10Gi, the last two after the expansion: the kubelet's cache
    assert.equal(decide(objects, 'data-pg-0', before).action, 'none');
    const after = [...before, ...samples([0.85, 0.86], 13 * GiB).map((x) => ({ ...x, at: x.at + 2 * MINUTE }))];
    assert.equal(decide(objects, 'data-pg-0', after).action, 'expand', 'once the grown file system itself fills, it grows again');
  });

  it('grows once per need with a small increment: samples of the old file system after the capacity changed are set aside', () => {
    // 100Gi grown by 10% to 110Gi: the old file system (~98Gi) is over 80% of the new capacity, so
    // only the recorded size of the file system decided on tells its late samples apart.
    const objects = pg({ size: '110Gi' });
    const pvc = objects.find((o) => o.metadata.name === 'data-pg-0') as PersistentVolumeClaim;
    const oldFs = 98 * GiB;
    pvc.metadata.annotations = { [LAST_EXPANDED_ANNOTATION]: new Date(now - 3 * MINUTE).toISOString(), [EXPANDED_FROM_ANNOTATION]: String(oldFs) };
    const late = samples([0.9, 0.9, 0.9], oldFs);
    const policy = { ...POLICY, increment: { percent: 10 }, maxBytes: 1000 * GiB };
    assert.equal(decide(objects, 'data-pg-0', late, policy).action, 'none', 'no second expansion on the old file system');
    const grown = [...late, ...samples([0.9, 0.9], 108 * GiB).map((x) => ({ ...x, at: x.at + MINUTE / 2 }))];
    assert.equal(decide(objects, 'data-pg-0', grown, policy).action, 'expand', 'the grown file system, once full, grows again');
  });

  it('records the file system it decided on, so the next decision can set its samples aside', () => {
    const d = decide(pg(), 'data-pg-0', samples([0.9, 0.9]));
    assert.equal(d.action === 'expand' && d.fileSystemBytes, 10 * GiB);
  });

  it('counts what the workload can write, not capacity minus used (ext4 keeps 5% for root)', () => {
    const reserved = samples([0.78, 0.78]).map((x) => ({ ...x, availableBytes: x.capacityBytes * 0.17 }));
    const d = decide(pg(), 'data-pg-0', reserved);
    assert.equal(d.action, 'expand');
    assert.match(d.reason, /82\.1% used/);
  });

  it('waits while a resize is still in flight', () => {
    const objects = pg();
    const pvc = objects.find((o) => o.metadata.name === 'data-pg-0') as PersistentVolumeClaim;
    pvc.spec!.resources!.requests!.storage = '13Gi';
    assert.equal(decide(objects, 'data-pg-0', samples([0.9, 0.9])).action, 'wait');
  });
});

describe('usage history', () => {
  it('keeps the last hour only, and the trend ignores one burst among steady samples less than the last two points would', () => {
    let h: UsageSample[] = [];
    for (let i = 0; i < 80; i++) h = remember(h, { at: now + i * MINUTE, usedBytes: GiB, capacityBytes: 10 * GiB });
    assert.ok(h.length <= 60 && h[0]!.at > now + 79 * MINUTE - HISTORY_WINDOW_MS);
    const burst = [...h.slice(0, -1), { ...h.at(-1)!, usedBytes: 3 * GiB }];
    const perMinute = trendOf(burst).bytesPerMs! * MINUTE;
    assert.ok(perMinute < 0.2 * GiB, `a 2Gi jump in the last minute reads as ${(perMinute / GiB).toFixed(2)}Gi/min, not 2Gi/min`);
  });
});

describe('auto-expansion policy annotations', () => {
  const pvc = (a: Record<string, string>) => claim('db', 'c', { annotations: a });
  it('opts in only with "true", reads the StatefulSet\'s, and lets the claim\'s own win', () => {
    assert.equal(policyOf(pvc({}), undefined), undefined);
    assert.equal(policyOf(pvc({ 'stsvol.io/auto-expand': 'yes', 'stsvol.io/expand-max-size': '1Ti' }), undefined), undefined);
    const sts = statefulSet('db', 'pg') as StatefulSet;
    sts.metadata.annotations = { 'stsvol.io/auto-expand': 'true', 'stsvol.io/expand-max-size': '1Ti', 'stsvol.io/expand-threshold': '10Gi' };
    const p = policyOf(pvc({ 'stsvol.io/expand-increment': '20Gi' }), sts)!.policy!;
    assert.deepEqual(p, { threshold: { freeBytes: 10 * GiB }, increment: { bytes: 20 * GiB }, maxBytes: 2 ** 40, leadTimeMs: 6 * 60 * MINUTE, cooldownMs: 0 });
  });

  it('says what it cannot read instead of guessing', () => {
    const problem = (a: Record<string, string>) => policyOf(pvc({ 'stsvol.io/auto-expand': 'true', ...a }), undefined)?.problem;
    assert.match(problem({})!, /expand-max-size is required/);
    assert.match(problem({ 'stsvol.io/expand-max-size': 'lots' })!, /not a size/);
    assert.match(problem({ 'stsvol.io/expand-max-size': '1Ti', 'stsvol.io/expand-threshold': '120%' })!, /between 0% and 100%/);
    assert.match(problem({ 'stsvol.io/expand-max-size': '1Ti', 'stsvol.io/expand-lead-time': 'soon' })!, /not a duration/);
  });
});

describe('template sync', () => {
  const grown = (sizes: [string, string][]) => {
    const objects = running('db', 'pg', { replicas: 2, size: '10Gi' });
    (objects[0] as StatefulSet).metadata.annotations = { 'stsvol.io/template-sync': 'true' };
    sizes.forEach(([request, capacity], i) => {
      const c = objects.find((o) => o.metadata.name === `data-pg-${i}`) as PersistentVolumeClaim;
      c.spec!.resources!.requests!.storage = request;
      c.status!.capacity = { storage: capacity };
    });
    return objects;
  };
  it('follows the smallest settled claim, only when opted in', () => {
    assert.deepEqual(templatesToSync(modelOf(grown([['20Gi', '20Gi'], ['15Gi', '15Gi']]))).map((t) => [t.statefulSet.metadata.name, t.template, t.to]), [['pg', 'data', '15Gi']]);
    const notOpted = grown([['20Gi', '20Gi'], ['20Gi', '20Gi']]);
    (notOpted[0] as StatefulSet).metadata.annotations = {};
    assert.deepEqual(templatesToSync(modelOf(notOpted)), []);
  });
  it('waits for a resize in flight and leaves a template that is not behind', () => {
    assert.deepEqual(templatesToSync(modelOf(grown([['20Gi', '10Gi'], ['20Gi', '20Gi']]))), []);
    assert.deepEqual(templatesToSync(modelOf(grown([['20Gi', '20Gi'], ['10Gi', '10Gi']]))), []);
  });
});
