// Times, quantities and ordinals: the small values every remedy is computed from.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { memberName, ordinalRange, replicasIncluding, runsOrdinal } from '../../../src/model/ordinals.ts';
import { formatBytes, parseQuantity } from '../../../src/model/quantity.ts';
import { parseRequestTimeout } from '../../../src/model/request-timeout.ts';
import { newestFirst, parseTime } from '../../../src/model/time.ts';
import { statefulSet } from '../../fixtures/build.ts';

describe('times', () => {
  it('refuses dates and hours the calendar does not have, which Date.parse would roll over', () => {
    for (const bad of ['2026-02-31T00:00:00Z', '2026-02-29T00:00:00Z', '2026-03-10T24:00:00Z', '2026-03-10T23:60:00Z', '2026-03-10T23:59:60Z', '2026-13-01T00:00:00Z', '2026-03-10T10:00:00+24:00', '2026-03-10', 'yesterday', '']) {
      assert.equal(parseTime(bad), undefined, bad);
    }
    assert.equal(parseTime('2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29));
    assert.equal(parseTime('2026-03-10T11:30:00.250+01:00'), Date.UTC(2026, 2, 10, 10, 30, 0, 250));
    assert.equal(parseTime('0099-12-31T23:59:59Z'), Date.parse('0099-12-31T23:59:59Z'), 'year 99 is not 1999');
    assert.equal(parseTime('0000-02-29T00:00:00Z'), Date.parse('0000-02-29T00:00:00Z'), 'year 0 is a leap year');
  });

  it('reads every valid RFC3339 text to its instant, whatever the offset and fraction', () => {
    fc.assert(fc.property(fc.date({ min: new Date('0000-01-02T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }), fc.integer({ min: 0, max: 9 }), (d, offset, places) => {
      const local = new Date(d.getTime() + offset * 60_000).toISOString().slice(0, 19);
      const zone = `${offset < 0 ? '-' : '+'}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
      const millis = d.getUTCMilliseconds();
      const fraction = places ? `.${`${String(millis).padStart(3, '0')}000000`.slice(0, places)}` : '';
      const kept = places >= 3 ? millis : places ? Math.floor(millis / 10 ** (3 - places)) * 10 ** (3 - places) : 0;
      assert.equal(parseTime(`${local}${fraction}${zone}`), d.getTime() - millis + kept);
    }), { numRuns: 3000 });
  });

  it('orders timestamps as instants, not as text', () => {
    const texts = ['2026-03-10T11:29:00+01:00', '2026-03-10T10:29:59.5Z', '2026-03-10T10:29:59Z', 'garbage', undefined];
    assert.deepEqual([...texts].sort(newestFirst), ['2026-03-10T10:29:59.5Z', '2026-03-10T10:29:59Z', '2026-03-10T11:29:00+01:00', 'garbage', undefined]);
  });
});

describe('quantities', () => {
  it('parses the API forms to whole bytes, rounding fractions up as Kubernetes does', () => {
    assert.equal(parseQuantity('10Gi'), 10 * 2 ** 30);
    assert.equal(parseQuantity('10G'), 10e9);
    assert.equal(parseQuantity('1.5Gi'), 1.5 * 2 ** 30);
    assert.equal(parseQuantity('1e3'), 1000);
    assert.equal(parseQuantity('100m'), 1);
    for (const bad of ['10 Gi', 'Gi', '1GiB', '', '--1']) assert.equal(parseQuantity(bad), undefined, bad);
  });

  it('writes any byte count exactly: what it prints parses back to the same bytes, never fewer', () => {
    assert.equal(formatBytes(10e9), '10G');
    assert.equal(formatBytes(1.5 * 2 ** 30), '1536Mi');
    assert.equal(formatBytes(1000 * 2 ** 30), '1000Gi');
    assert.equal(formatBytes(12345), '12345');
    fc.assert(fc.property(fc.nat({ max: 2 ** 52 }), (bytes) => assert.equal(parseQuantity(formatBytes(bytes)), bytes)));
    fc.assert(fc.property(fc.double({ min: 0, max: 2 ** 45, noNaN: true }), (bytes) => assert.ok(parseQuantity(formatBytes(bytes))! >= bytes)));
  });

});

describe('ordinals', () => {
  it('counts replicas from spec.ordinals.start and never goes below zero', () => {
    const shifted = statefulSet('a', 'web', { replicas: 3, start: 5 });
    assert.deepEqual(ordinalRange(shifted), { start: 5, end: 8 });
    assert.equal(runsOrdinal(shifted, 4), false);
    assert.equal(runsOrdinal(shifted, 7), true);
    assert.equal(replicasIncluding(shifted, 7), 3);
    assert.equal(replicasIncluding(shifted, 5), 1);
    assert.equal(replicasIncluding(shifted, 0), 0);
    assert.equal(replicasIncluding(statefulSet('a', 'web'), 0), 1, 'ordinal 0 runs at one replica');
    assert.equal(memberName(shifted, 7), 'web-7');
  });
});

describe('--request-timeout', () => {
  it('reads Go durations and whole seconds, and holds what no timer can keep to the longest one', () => {
    assert.equal(parseRequestTimeout('1m30s'), 90_000);
    assert.equal(parseRequestTimeout('250ms'), 250);
    assert.equal(parseRequestTimeout('5'), 5_000);
    assert.equal(parseRequestTimeout('0'), 0);
    assert.equal(parseRequestTimeout('999999h'), 2 ** 31 - 1, 'a longer timer would fire at once');
    assert.throws(() => parseRequestTimeout('soon'), /--request-timeout soon: not a duration/);
  });
});
