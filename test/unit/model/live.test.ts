import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterError } from '../../../src/model/errors.ts';
import { KINDS } from '../../../src/model/kinds.ts';
import { loadLive, type Transport } from '../../../src/model/live.ts';
import { RecordedTransport } from '../../fixtures/recorded-transport.ts';

function pods(n: number) {
  return Array.from({ length: n }, (_, i) => ({ metadata: { name: `p${i}`, namespace: 'db' } }));
}

describe('live loader', () => {
  it('lists every kind once, following continue tokens, and never asks per object', async () => {
    const transport = RecordedTransport.serving({ pods: pods(5), nodes: [{ metadata: { name: 'n1' } }] }, { pageSize: 2 });
    const { snapshot, requests } = await loadLive(transport, { pageSize: 2 });
    assert.equal(snapshot.pods.length, 5);
    assert.equal(snapshot.nodes[0]!.kind, 'Node', 'typed list items get their kind back');
    // pods: 3 pages of 2; every other kind: one request (empty list or 404).
    assert.equal(requests, KINDS.length - 1 + 3);
    assert.equal(transport.requests.filter((p) => p.startsWith('/api/v1/pods?')).length, 3);
    assert.ok(transport.requests.every((p) => /[?&]limit=2/.test(p)), 'every list is paginated');
    assert.ok(!transport.requests.some((p) => /\/pods\/[^?]/.test(p)), 'no request names a single object');
  });

  it('lists namespaced kinds in the namespace only, cluster-scoped kinds whole', async () => {
    const transport = RecordedTransport.serving({});
    await loadLive(transport, { namespace: 'db' });
    assert.ok(transport.requests.some((p) => p.startsWith('/api/v1/namespaces/db/pods?')));
    assert.ok(transport.requests.some((p) => p.startsWith('/api/v1/nodes?')));
    assert.ok(transport.requests.some((p) => p.startsWith('/apis/apps/v1/namespaces/db/statefulsets?')));
  });

  it('turns a kind that is not served or forbidden into a notice and goes on', async () => {
    const transport = RecordedTransport.serving({ pods: pods(1) }, { status: { events: 403, volumesnapshots: 404 } });
    const { snapshot } = await loadLive(transport);
    assert.equal(snapshot.pods.length, 1);
    const byKind = new Map(snapshot.notices.map((n) => [n.kind, n]));
    assert.equal(byKind.get('Event')!.reason, 'forbidden');
    assert.match(byKind.get('Event')!.message, /listing events\.core\/v1 is forbidden by RBAC/);
    assert.match(byKind.get('VolumeSnapshot')!.message, /not served by this cluster \(its CRDs are not installed\)/);
  });

  it('restarts a list once when its continue token expires', async () => {
    const transport = RecordedTransport.serving({ pods: pods(3) }, { pageSize: 2, expireFirstContinue: true });
    const { snapshot } = await loadLive(transport, { pageSize: 2 });
    assert.equal(snapshot.pods.length, 3, 'no duplicates from the abandoned first attempt');
  });

  it('refuses an answer that is not the Kubernetes API: a login page, a proxy\'s JSON, and a cluster where nothing could be listed', async () => {
    const html: Transport = { get: async () => ({ status: 200, body: '<!DOCTYPE html><html><body>Sign in</body></html>', contentType: 'text/html; charset=utf-8' }) };
    await assert.rejects(loadLive(html), (err: unknown) => err instanceof ClusterError && /HTTP 200: the answer is an HTML page, not the Kubernetes API/.test(err.message));
    const proxy: Transport = { get: async () => ({ status: 200, body: JSON.stringify({ status: 'ok', service: 'gateway' }) }) };
    await assert.rejects(loadLive(proxy), (err: unknown) => err instanceof ClusterError && /the answer is not a Kubernetes list/.test(err.message));
    const forbidden = RecordedTransport.serving({}, { status: Object.fromEntries(KINDS.map((k) => [k.plural, 403])) });
    await assert.rejects(loadLive(forbidden), (err: unknown) => err instanceof ClusterError && new RegExp(`no kind could be listed \\(${KINDS.length} requests\\): Namespace forbidden, Node forbidden`).test(err.message));
  });

  it('admits each listed object like a file\'s: a malformed one is skipped with a notice naming the request', async () => {
    const transport = RecordedTransport.serving({ pods: [...pods(2), { metadata: { name: 'odd', namespace: 'db' }, spec: { nodeName: 42 } }] });
    const { snapshot } = await loadLive(transport);
    assert.equal(snapshot.pods.length, 2);
    assert.deepEqual(snapshot.notices.filter((n) => n.reason === 'invalid').map((n) => `${n.source} ${n.object!.name} ${n.message}`), ['GET /api/v1/pods odd skipped: spec.nodeName must be string']);
  });

  it('fails with the API message on other errors', async () => {
    const failing: Transport = { get: async () => ({ status: 500, body: JSON.stringify({ message: 'etcdserver: request timed out' }) }) };
    await assert.rejects(loadLive(failing), (err: unknown) => err instanceof ClusterError && /HTTP 500: etcdserver: request timed out/.test(err.message));
  });
});
