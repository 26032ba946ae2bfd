import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readRecordedNotices, recordNotices } from '../../../src/model/recorded-notices.ts';
import type { Notice } from '../../../src/model/snapshot.ts';

describe('notices recorded on a snapshot', () => {
  it('carry hidden kinds and skipped objects back unchanged, in order, and name at most 100 objects', () => {
    const hidden: Notice = { kind: 'Node', reason: 'forbidden', message: 'listing nodes is forbidden' };
    const skipped = Array.from({ length: 150 }, (_, i): Notice => ({ kind: 'Pod', reason: 'invalid', message: 'skipped: spec.nodeName must be string', object: { kind: 'Pod', namespace: 'db', name: `p-${i}` }, source: 'GET /api/v1/pods' }));
    const dropped: Notice = { kind: '', reason: 'duplicate', message: '2 objects appeared more than once' };
    const back = readRecordedNotices(recordNotices([skipped[0]!, hidden, ...skipped.slice(1), dropped])!);
    assert.deepEqual(back.slice(0, 3), [skipped[0], hidden, skipped[1]]);
    assert.equal(back.length, 102);
    assert.deepEqual(back.at(-1), { kind: '', reason: 'invalid', message: '50 more objects were skipped as invalid when the snapshot was taken', count: 50 });
    assert.equal(recordNotices([dropped]), undefined, 'a notice about reading, not about the cluster, is not carried');
  });

  it('ignore whatever in the annotation is not a notice', () => {
    assert.deepEqual(readRecordedNotices('not json'), []);
    assert.deepEqual(readRecordedNotices('{"kind": "Node"}'), []);
    assert.deepEqual(readRecordedNotices(JSON.stringify([null, 1, { kind: 'Node', reason: 'check-failed', message: 'x' }, { kind: 'Pod', reason: 'invalid', message: 'm', object: { kind: 1 }, source: 2 }])), [{ kind: 'Pod', reason: 'invalid', message: 'm' }]);
  });
});
