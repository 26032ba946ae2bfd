// The dashboard's server is read-only, answers only its own origin on loopback, asks for the token
// elsewhere, and sends its Content-Security-Policy with everything.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { CONTENT_SECURITY_POLICY, serverUrl, startDashboardServer, type ViewSource } from '../../../src/dashboard/server.ts';
import type { WebAssets } from '../../../src/dashboard/assets.ts';
import { InputError } from '../../../src/model/errors.ts';
import { SEED_001, viewOf } from '../../fixtures/dashboard.ts';

const ASSETS: WebAssets = { js: 'void 0', css: 'body{}', indexHtml: '<!doctype html><title>t</title>' };

async function source(): Promise<ViewSource> {
  const view = await viewOf([SEED_001]);
  return { current: () => view, subscribe: () => () => {} };
}

describe('dashboard server', () => {
  let open: Server;
  let url: string;
  let guarded: Server;
  let guardedUrl: string;
  before(async () => {
    open = await startDashboardServer(await source(), ASSETS, { host: '127.0.0.1', port: 0 });
    url = serverUrl(open, '127.0.0.1');
    guarded = await startDashboardServer(await source(), ASSETS, { host: '127.0.0.1', port: 0, token: 'a-token-of-sixteen-chars' });
    guardedUrl = serverUrl(guarded, '127.0.0.1');
  });
  after(() => {
    open.close();
    guarded.close();
  });

  it('serves the state, a StatefulSet, and 404 for one it does not know, each with the CSP', async () => {
    const state = await fetch(`${url}api/state`);
    assert.equal(state.status, 200);
    assert.equal(state.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
    assert.equal(state.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(((await state.json()) as { rows: unknown[] }).rows.length > 0);
    assert.equal((await fetch(`${url}api/statefulsets/db/mysql`)).status, 200);
    assert.equal((await fetch(`${url}api/statefulsets/db/nope`)).status, 404);
    const page = await fetch(url);
    assert.match(page.headers.get('content-security-policy')!, /script-src 'self'/);
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-inline|unsafe-eval/);
  });

  it('answers nothing but GET and HEAD: no endpoint writes', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const res = await fetch(`${url}api/state`, { method });
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.get('allow'), 'GET, HEAD');
    }
  });

  it('on loopback, refuses a Host that is not loopback (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${url}api/state`, { headers: { Host: 'evil.example:80' } }, (res) => { res.resume(); resolve(res.statusCode!); });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 421);
  });

  it('with a token, the API needs it (header or, for the event stream, the query); the page itself does not', async () => {
    assert.equal((await fetch(`${guardedUrl}api/state`)).status, 401);
    assert.equal((await fetch(`${guardedUrl}api/state`, { headers: { Authorization: 'Bearer wrong-token-of-sixteen' } })).status, 401);
    assert.equal((await fetch(`${guardedUrl}api/state`, { headers: { Authorization: 'Bearer a-token-of-sixteen-chars' } })).status, 200);
    assert.equal((await fetch(`${guardedUrl}api/state?token=a-token-of-sixteen-chars`)).status, 200);
    assert.equal((await fetch(guardedUrl)).status, 200);
  });

  it('answers 503 while the live model is still being listed, not an empty cluster', async () => {
    const view = await source();
    const listing = await startDashboardServer({ ...view, ready: () => false }, ASSETS, { host: '127.0.0.1', port: 0 });
    try {
      const res = await fetch(`${serverUrl(listing, '127.0.0.1')}api/state`);
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), '2');
    } finally {
      listing.close();
    }
  });

  it('refuses to listen beyond loopback without a token', async () => {
    await assert.rejects(startDashboardServer(await source(), ASSETS, { host: '0.0.0.0', port: 0 }), (e: unknown) => e instanceof InputError && /needs a token/.test(e.message));
  });
});
