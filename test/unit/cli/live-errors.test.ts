// Live analysis when the cluster answers nothing useful: every such case ends with exit 3 and one
// line on stderr, within --request-timeout, and never with "ran clean".
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { kubeTransportFactory } from '../../../src/cli/load.ts';
import { KINDS } from '../../../src/model/kinds.ts';
import { serve, type Endpoint } from '../../fixtures/api-server.ts';
import { cli, type CliResult } from '../../fixtures/cli.ts';
import { RecordedTransport } from '../../fixtures/recorded-transport.ts';

const tmp = mkdtempSync(join(tmpdir(), 'stsvol-live-'));

async function doctorAgainst(endpoint: Endpoint, ...extra: string[]): Promise<CliResult> {
  try {
    return await cli(['doctor', '--kubeconfig', endpoint.kubeconfig, ...extra], { transports: kubeTransportFactory });
  } finally {
    await endpoint.close();
  }
}

function oneLineExit3(r: CliResult, message: RegExp): void {
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, message);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^stsvol: error: /);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

const healthy = { nodes: [{ metadata: { name: 'n1' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }] };

describe('live analysis that cannot conclude', () => {
  it('a server that accepts and never answers: exit 3 within --request-timeout, naming the limit', async () => {
    const began = Date.now();
    const r = await doctorAgainst(await serve(() => undefined), '--request-timeout', '1s');
    oneLineExit3(r, /no answer within --request-timeout 1s$/m);
    assert.ok(Date.now() - began < 10_000, 'ended, not hung');
  });

  it('a login page or a proxy in the way', async () => {
    const page = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Please sign in</body></html>');
    });
    oneLineExit3(await doctorAgainst(page), /the answer is an HTML page, not the Kubernetes API/);
  });

  it('credentials that may list nothing at all', async () => {
    const all403 = RecordedTransport.serving({}, { status: Object.fromEntries(KINDS.map((k) => [k.plural, 403])) });
    oneLineExit3(await doctorAgainst(await serve(all403)), new RegExp(`no kind could be listed \\(${KINDS.length} requests\\): Namespace forbidden`));
  });

  it('never "ran clean" without pods, claims, volumes and nodes: exit 3, and the report says why', async () => {
    const noNodes = RecordedTransport.serving({}, { status: { nodes: 403 } });
    const r = await doctorAgainst(await serve(noNodes));
    assert.equal(r.code, 3);
    assert.match(r.stdout, /No findings in what could be read, but Node could not be read: this is not a clean bill of health/);
    assert.doesNotMatch(r.stdout, /ran clean/);
    assert.match(r.stderr, /^stsvol: error: Node could not be read \(see the notes\), so the cluster cannot be called healthy\n$/);
    const clean = await doctorAgainst(await serve(RecordedTransport.serving(healthy)), '-o', 'json');
    assert.equal(clean.code, 0, 'empty lists that were read are an answer');
    assert.equal(JSON.parse(clean.stdout).summary.complete, true);
  });

  it('an exec credential plugin that fails, or hangs', async () => {
    const failing = await serve(RecordedTransport.serving(healthy), { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'sh', args: ['-c', 'echo "token expired: run aws sso login" >&2; echo more >&2; exit 1'] } });
    oneLineExit3(await doctorAgainst(failing), /cannot use context "test": token expired: run aws sso login$/m);
    const hanging = await serve(RecordedTransport.serving(healthy), { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'sleep', args: ['3'] } });
    oneLineExit3(await doctorAgainst(hanging, '--request-timeout', '1s'), /no credentials within --request-timeout 1s$/m);
  });

  it('a kubeconfig that is broken, names no server, or lacks the --context asked for', async () => {
    const broken = join(tmp, 'broken');
    writeFileSync(broken, 'apiVersion: v1\nclusters: [ {name: x\n');
    oneLineExit3(await cli(['doctor', '--kubeconfig', broken], { transports: kubeTransportFactory }), /broken is not a kubeconfig: not YAML \(/);
    oneLineExit3(await cli(['doctor', '--kubeconfig', 'package.json'], { transports: kubeTransportFactory }), /^stsvol: error: package\.json is not a kubeconfig: it has no clusters, contexts or users$/m);
    const noCurrent = join(tmp, 'no-current');
    writeFileSync(noCurrent, 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\n');
    oneLineExit3(await cli(['doctor', '--kubeconfig', noCurrent], { transports: kubeTransportFactory }), /the kubeconfig sets no current-context: pass --context/);
    const unreachable = join(tmp, 'unreachable');
    writeFileSync(unreachable, 'apiVersion: v1\nkind: Config\ncurrent-context: dead\nclusters: [{name: dead, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: dead, context: {cluster: dead, user: u}}]\n');
    const began = Date.now();
    oneLineExit3(await cli(['doctor', '--kubeconfig', unreachable], { transports: kubeTransportFactory }), /^stsvol: error: cannot reach https:\/\/127\.0\.0\.1:1: /);
    assert.ok(Date.now() - began < 3000, 'nothing listens there: no retries');
    const live = await cli(['dashboard', '--kubeconfig', unreachable, '--port', '0'], { transports: kubeTransportFactory });
    oneLineExit3(live, /^stsvol: error: cannot reach https:\/\/127\.0\.0\.1:1: /);
    assert.equal(live.stdout, '', 'the dashboard never served');
    const context = await cli(['doctor', '--kubeconfig', unreachable, '--context', 'prod'], { transports: kubeTransportFactory });
    assert.equal(context.code, 2);
    assert.match(context.stderr, /^stsvol: error: --context prod: no such context in the kubeconfig\n$/);
  });

  it('no kubeconfig anywhere', async () => {
    const home = mkdtempSync(join(tmpdir(), 'stsvol-home-'));
    const env = { PATH: process.env.PATH!, HOME: home };
    const result = await promisify(execFile)(process.execPath, ['src/cli/main.ts', 'doctor'], { env }).then(() => ({ code: 0, stderr: '' }), (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }));
    assert.equal(result.code, 3);
    assert.match(result.stderr, /^stsvol: error: no kubeconfig: none at ~\/\.kube\/config, KUBECONFIG is not set, and this is not a pod; pass --kubeconfig or --from\n$/);
  });
});
