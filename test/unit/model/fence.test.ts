// Fenced means not running: the Node object is gone, or it is tainted out-of-service and not Ready.
// A Ready node that still carries the taint (KEP-2268 removes it only after recovery) is not fenced.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFenced } from '../../../src/model/cluster-model.ts';
import { node } from '../../fixtures/build.ts';

const TAINT = { key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' };

describe('fenced', () => {
  it('is a node that is gone, or tainted out-of-service and not Ready', () => {
    assert.equal(isFenced(undefined), true);
    assert.equal(isFenced(node('n', { ready: 'False', taints: [TAINT] })), true);
    assert.equal(isFenced(node('n', { ready: 'Unknown', taints: [TAINT] })), true);
  });

  it('is not a Ready node under the taint, nor a NotReady node without it', () => {
    assert.equal(isFenced(node('n', { ready: 'True', taints: [TAINT] })), false);
    assert.equal(isFenced(node('n', { ready: 'Unknown' })), false);
    assert.equal(isFenced(node('n')), false);
  });

  it('reads raw objects as the API returns them', () => {
    assert.equal(isFenced({ spec: { taints: [TAINT] }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }), false);
    assert.equal(isFenced({ spec: { taints: [TAINT] }, status: {} }), true, 'a node without a Ready condition is not Ready');
  });
});
