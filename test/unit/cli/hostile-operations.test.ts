// Hostile and careless input for the operations and the operator, by class: answers that are not
// Kubernetes lists, damaged journals, lists that never end, servers that ask to wait a day, absurd
// counts, devices given as files, numbers built to be slow, broken kubeconfigs, flags past what
// timers hold, busy ports, shutdown during a silent watch, raw control characters, empty or
// mistyped namespaces. Each ends with the documented exit code and one line, nothing changed, no
// stack trace, no hang. Server cases run against a scripted HTTP server on 127.0.0.1 that replays
// answers: it plays no Kubernetes controller.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { kubeTransportFactory } from '../../../src/cli/load.ts';
import { serve, type Endpoint } from '../../fixtures/api-server.ts';
import { cli, type CliResult } from '../../fixtures/cli.ts';

const tmp = mkdtempSync(join(tmpdir(), 'stsvol-hostile-ops-'));
const MAIN = join(import.meta.dirname, '../../../src/cli/main.ts');
const ESC = '\u001b';

type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';

const EMPTY_LIST: Answer = { status: 200, body: { kind: 'List', metadata: {}, items: [] } };
const NOT_FOUND: Answer = { status: 404, body: { kind: 'Status', reason: 'NotFound', code: 404 } };

/** A server answering by `rule`; any other list (a GET with a limit) is empty, anything else 404. */
function scripted(rule: (method: string, path: string) => Answer | undefined): Promise<Endpoint> {
  return serve((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    req.resume();
    // A server dry run is admitted: these tests are about what comes before any write.
    const answer = rule(req.method ?? 'GET', path) ?? (req.method === 'GET' && /[?&]limit=/.test(path) ? EMPTY_LIST : /[?&]dryRun=All/.test(path) ? { status: 200, body: {} } : NOT_FOUND);
    if (answer === 'hang') return;
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {}));
  });
}

async function against(endpoint: Endpoint, args: string[], o: { tty?: boolean } = {}): Promise<CliResult> {
  try {
    return await cli([...args, '--kubeconfig', endpoint.kubeconfig], { transports: kubeTransportFactory, now: Date.now(), tty: o.tty });
  } finally {
    await endpoint.close();
  }
}

function oneLine(r: CliResult, code: number, message: RegExp): void {
  assert.equal(r.code, code, `exit ${r.code}: ${r.stderr}${r.stdout.slice(0, 500)}`);
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('stsvol: error:'));
  assert.equal(errors.length, 1, r.stderr);
  assert.match(errors[0]!, message);
  assert.doesNotMatch(r.stderr, /\n\s+at |internal error/, 'no stack trace, no bug');
}

const journal = (name: string, data: Record<string, string> | null) => ({ metadata: { name, namespace: 'db', labels: { 'app.kubernetes.io/managed-by': 'stsvol' } }, data });
const CONFIGMAPS = /\/configmaps\?/;

describe('hostile answers to the operations', () => {
  const badLists: [string, Answer][] = [
    ['404', { status: 404, body: { kind: 'Status', reason: 'NotFound', code: 404, message: 'the server could not find the requested resource' } }],
    ['400', { status: 400, body: { kind: 'Status', reason: 'BadRequest', code: 400, message: 'unable to parse requirement' } }],
    ['503 asking to come back at once', { status: 503, body: 'upstream unavailable', headers: { 'retry-after': '0' } }],
    ['302 to a login page', { status: 302, body: '', headers: { location: 'https://sso.example.com/login' } }],
    ['a Status object in a 200', { status: 200, body: { kind: 'Status', status: 'Failure', message: 'denied by a proxy' } }],
    ['items: null', { status: 200, body: { kind: 'ConfigMapList', items: null } }],
    ["a proxy's JSON", { status: 200, body: { error: 'bad gateway', upstream: 'kube-apiserver' } }],
  ];
  for (const [what, answer] of badLists) {
    it(`journals listed as ${what}: exit 3 with one line, for ops and for an operation`, async () => {
      for (const args of [['ops', '-A'], ['resize', 'web', '-n', 'db', '--to', '2Gi']]) {
        const r = await against(await scripted((_m, p) => (CONFIGMAPS.test(p) ? answer : undefined)), args);
        oneLine(r, 3, /configmaps/);
      }
    });
  }

  it('a damaged journal is reported and skipped; it crashes neither ops nor an unrelated operation', async () => {
    const good = journal('stsvol-statefulset-kafka', {
      plan: JSON.stringify({ operation: 'resize', subject: { kind: 'StatefulSet', namespace: 'db', name: 'kafka' }, namespace: 'db', request: { to: '2Gi' }, summary: [], warnings: [], afterwards: [], steps: [{ id: 'save', title: 'save', action: { verb: 'none' }, requires: [], undo: '' }] }),
      state: JSON.stringify({ startedAt: '2026-03-10T10:00:00Z', updatedAt: '2026-03-10T10:00:00Z', steps: {} }),
    });
    const damaged = [
      journal('stsvol-statefulset-a', { plan: '{not json', state: '{}' }),
      journal('stsvol-statefulset-b', {}),
      journal('stsvol-statefulset-c', null),
      journal('stsvol-statefulset-d', { plan: good.data!.plan! }),
      journal('stsvol-statefulset-e', { plan: 'null', state: 'null' }),
    ];
    const list = { status: 200, body: { kind: 'ConfigMapList', metadata: {}, items: [good, ...damaged] } };
    const ops = await against(await scripted((_m, p) => (CONFIGMAPS.test(p) ? list : undefined)), ['ops', '-A']);
    assert.equal(ops.code, 0, ops.stderr);
    assert.match(ops.stdout, /db\/stsvol-statefulset-kafka: resize statefulset\/kafka/);
    for (const d of damaged) assert.match(ops.stderr, new RegExp(`journal db/${d.metadata.name} is damaged \\(`));
    const other = await against(await scripted((_m, p) => (CONFIGMAPS.test(p) ? list : undefined)), ['resize', 'web', '-n', 'db', '--to', '2Gi']);
    oneLine(other, 2, /statefulset\/web: not found in namespace db/);
    assert.match(other.stderr, /journal db\/stsvol-statefulset-a is damaged \(plan is not JSON\)/);
  });

  for (const [what, pager] of [
    ['repeats its continue token', (_n: number) => 'same'],
    ['never runs out of continue tokens', (n: number) => `page-${n}`],
  ] as const) {
    it(`a list that ${what} ends with exit 3 within --request-timeout, for doctor, snapshot and reclaim`, async () => {
      for (const args of [['doctor'], ['snapshot', '-f', join(tmp, 'never.json')], ['reclaim', '-A']]) {
        let page = 0;
        const endpoint = await scripted((_m, p) => (p.startsWith('/api/v1/pods?') ? { status: 200, body: { kind: 'PodList', metadata: { continue: pager(page++) }, items: [] } } : undefined));
        const began = Date.now();
        const r = await against(endpoint, [...args, '--request-timeout', '1s']);
        oneLine(r, 3, /pods.*(the same continue token twice|did not finish within --request-timeout 1s)/);
        assert.ok(Date.now() - began < 8000, `${args[0]} ended: ${Date.now() - began} ms`);
        assert.ok(page < 50_000, `${page} pages asked: not a busy loop of a thousand a second for ever`);
      }
    });
  }

  it('a Retry-After of a day is not waited for: the command gives up within its budget', async () => {
    for (const args of [['doctor'], ['ops', '-A']]) {
      const began = Date.now();
      const r = await against(await scripted(() => ({ status: 429, body: { kind: 'Status', code: 429, message: 'slow down' }, headers: { 'retry-after': '86400' } })), [...args, '--request-timeout', '2s']);
      assert.equal(r.code, 3, r.stderr);
      assert.ok(Date.now() - began < 5000, `${args[0]} gave up in ${Date.now() - began} ms`);
    }
  });

  it('refuses replica counts beyond int32 at once, and plans two billion replicas without a line each', async () => {
    const huge = await cli(['scale', 'web', '--replicas', '2147483648']);
    oneLine(huge, 2, /--replicas 2147483648: more than a StatefulSet can have \(2147483647/);
    const sts = { metadata: { name: 'web', namespace: 'db', uid: 'u' }, spec: { replicas: 2, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { storageClassName: 'fast', resources: { requests: { storage: '10Gi' } } } }] } };
    const endpoint = await scripted((_m, p) => (p.startsWith('/apis/apps/v1/namespaces/db/statefulsets?') ? { status: 200, body: { kind: 'StatefulSetList', metadata: {}, items: [sts] } } : undefined));
    const before = process.memoryUsage().rss;
    const began = Date.now();
    const r = await against(endpoint, ['scale', 'web', '-n', 'db', '--replicas', '2147483647']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /new ordinals 2 to 2147483646 \(2147483645\)/);
    assert.match(r.stdout, /2147483645 claims of template "data"/);
    assert.ok(Date.now() - began < 5000 && process.memoryUsage().rss - before < 200 << 20, 'no entry per replica');
  });

  it('reads no device as a file: --from, --prices, --kubeconfig', async () => {
    oneLine(await cli(['doctor', '--from', '/dev/zero']), 2, /--from \/dev\/zero: not a regular file \(a device\)/);
    oneLine(await cli(['reclaim', '--prices', '/dev/zero']), 2, /--prices \/dev\/zero: not a regular file \(a device\)/);
    oneLine(await cli(['doctor', '--kubeconfig', '/dev/zero'], { transports: kubeTransportFactory }), 2, /--kubeconfig \/dev\/zero: not a regular file \(a device\)/);
  });

  it('refuses a 200,000-digit size at once', async () => {
    const began = Date.now();
    oneLine(await cli(['resize', 'web', '--to', `${'9'.repeat(200_000)}x`]), 2, /--to 9{20}.*: not a storage size/);
    assert.ok(Date.now() - began < 2000);
  });

  it('a kubeconfig whose server is not a URL: exit 3, one line, never the password', async () => {
    for (const server of ['127.0.0.1:6443', 'https://127.0.0.1:99999', 'https://[::1', 'ftp://127.0.0.1/']) {
      const file = join(tmp, 'bad-server.kubeconfig');
      writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'Config', 'current-context': 'c', clusters: [{ name: 'c', cluster: { server } }], users: [{ name: 'u', user: { token: 't' } }], contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }] }));
      oneLine(await cli(['doctor', '--kubeconfig', file], { transports: kubeTransportFactory }), 3, /kubeconfig context "c": server .* is not an http\(s\) URL|is not a URL/);
    }
    const secret = await scripted(() => 'hang');
    const withPassword = join(tmp, 'password.kubeconfig');
    writeFileSync(withPassword, readFileSync(secret.kubeconfig, 'utf8').replace('http://127.0.0.1', 'http://admin:hunter2@127.0.0.1'));
    const r = await cli(['doctor', '--kubeconfig', withPassword, '--request-timeout', '1s'], { transports: kubeTransportFactory });
    await secret.close();
    assert.equal(r.code, 3);
    assert.doesNotMatch(r.stderr + r.stdout, /hunter2/);
  });

  it('reads KUBECONFIG as kubectl does: a missing file in the list is skipped', async () => {
    const endpoint = await scripted(() => undefined);
    const previous = process.env.KUBECONFIG;
    process.env.KUBECONFIG = `${join(tmp, 'missing.kubeconfig')}:${endpoint.kubeconfig}`;
    try {
      const ok = await cli(['ops', '-A'], { transports: kubeTransportFactory });
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /No operation in progress/);
    } finally {
      if (previous === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = previous;
      await endpoint.close();
    }
  });

  it('escapes raw C1 controls and bidirectional overrides in plans and snapshots, as JSON, YAML and text', async () => {
    const evil = `web\u009b31m\u202e\u0085`;
    const sts = { metadata: { name: evil, namespace: 'db', uid: 'u' }, spec: { replicas: 1, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '1Gi' } } } }] } };
    const event = { metadata: { name: 'e', namespace: 'db' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'db' }, reason: 'Failed', message: `disk \u009b2J\u202egone`, type: 'Warning', count: 1 };
    const rule = (_m: string, p: string): Answer | undefined => (p.startsWith('/apis/apps/v1/namespaces/db/statefulsets?') || p.startsWith('/apis/apps/v1/statefulsets?') ? { status: 200, body: { kind: 'StatefulSetList', metadata: {}, items: [sts] } }
      : p.startsWith('/api/v1/events?') ? { status: 200, body: { kind: 'EventList', metadata: {}, items: [event] } } : undefined);
    const outputs = [
      await against(await scripted(rule), ['scale', evil, '-n', 'db', '--replicas', '2', '-o', 'json']),
      await against(await scripted(rule), ['scale', evil, '-n', 'db', '--replicas', '2', '-o', 'yaml']),
      await against(await scripted(rule), ['scale', evil, '-n', 'db', '--replicas', '2']),
      await against(await scripted(rule), ['snapshot']),
      await against(await scripted(rule), ['snapshot', '-o', 'yaml']),
    ];
    for (const r of outputs) {
      assert.doesNotMatch(r.stdout + r.stderr, /[\u0080-\u009f\u202a-\u202e]/, r.stdout.slice(0, 300));
      assert.match(r.stdout, /u009b|x9b/, 'escaped, not dropped');
    }
    assert.equal(JSON.parse(outputs[0]!.stdout).plan.subject.name, evil, 'JSON escapes are exact for a parser');
  });

  it('colours a plan on a terminal with real escape codes, never printed as text', async () => {
    const sts = { metadata: { name: 'web', namespace: 'db', uid: 'u' }, spec: { replicas: 1 } };
    const r = await against(await scripted((_m, p) => (p.startsWith('/apis/apps/v1/namespaces/db/statefulsets?') ? { status: 200, body: { kind: 'StatefulSetList', metadata: {}, items: [sts] } } : undefined)), ['scale', 'web', '-n', 'db', '--replicas', '2'], { tty: true });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes(`${ESC}[1mPlan: scale statefulset/web`), 'bold, as a terminal shows it');
    assert.doesNotMatch(r.stdout, /\\x1b\[/, 'no colour code escaped into text');
  });

  it('a mistyped namespace is an error, and one that holds nothing says so', async () => {
    const namespaces = (_m: string, p: string): Answer | undefined => (p.startsWith('/api/v1/namespaces?') ? { status: 200, body: { kind: 'NamespaceList', metadata: {}, items: [{ metadata: { name: 'db' } }, { metadata: { name: 'empty' } }] } } : undefined);
    oneLine(await against(await scripted(namespaces), ['doctor', '-n', 'dbb']), 2, /-n dbb: no such namespace/);
    const empty = await against(await scripted(namespaces), ['doctor', '-n', 'empty', '-o', 'json']);
    assert.equal(empty.code, 0);
    assert.match(JSON.parse(empty.stdout).notices.map((n: { message: string }) => n.message).join(), /namespace empty holds no pod, claim or StatefulSet: nothing in it to judge \(it exists\)/);
  });

  it('refuses a namespace name longer than 63 characters in every command', async () => {
    const long = 'a'.repeat(64);
    for (const args of [['doctor'], ['snapshot'], ['resize', 'web', '--to', '2Gi'], ['ops'], ['alerts'], ['operator']]) {
      oneLine(await cli([...args, '-n', long]), 2, new RegExp(`-n ${long}: not a valid namespace name`));
    }
  });
});

describe('hostile flags and signals of the operator', () => {
  it('refuses durations a timer cannot hold, and a busy --listen port, in one line', async () => {
    oneLine(await cli(['operator', '--resync', '999999h']), 2, /--resync 999999h: longer than the operator can wait/);
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as { port: number }).port;
    const endpoint = await scripted(() => 'hang');
    try {
      oneLine(await cli(['operator', '--listen', `127.0.0.1:${port}`, '--kubeconfig', endpoint.kubeconfig], { transports: kubeTransportFactory }), 2, new RegExp(`--listen 127.0.0.1:${port}: the address is in use`));
    } finally {
      busy.close();
      await endpoint.close();
    }
  });

  it('ends at once on SIGTERM while its lists and watches get no answer', async () => {
    const endpoint = await scripted(() => 'hang');
    const child = spawn(process.execPath, [MAIN, 'operator', '--kubeconfig', endpoint.kubeconfig, '--listen', '127.0.0.1:0', '--request-timeout', '10m'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c));
    await new Promise((r) => setTimeout(r, 2000));
    const signalled = Date.now();
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    await endpoint.close();
    assert.ok(Date.now() - signalled < 5000, `stopped ${Date.now() - signalled} ms after SIGTERM`);
    assert.equal(code, 0);
    assert.match(out, /"msg":"operator stopped"/);
  });
});

describe('hostile local input', () => {
  it('reads standard input once however often --from - is given', () => {
    const pod = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0', namespace: 'db' } });
    const r = spawnSync(process.execPath, [MAIN, 'doctor', '--from', '-', '--from', '-', '-o', 'json'], { input: pod, encoding: 'utf8' });
    assert.equal(r.status, 3, 'a dump of pods alone cannot call the cluster healthy');
    assert.equal(JSON.parse(r.stdout).summary.objects.Pod, 1);
    assert.doesNotMatch(JSON.parse(r.stdout).notices.map((n: { message: string }) => n.message).join(), /more than once/);
  });

  it('reads a YAML file of JSON documents separated by ---', async () => {
    const file = join(tmp, 'json-docs.yaml');
    writeFileSync(file, ['a', 'b'].map((n) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: n, namespace: 'db' } })).join('\n---\n') + '\n---\n');
    const r = await cli(['doctor', '--from', file, '-o', 'json']);
    assert.equal(r.code, 3, 'a dump of pods alone cannot call the cluster healthy');
    assert.equal(JSON.parse(r.stdout).summary.objects.Pod, 2);
  });

  it('snapshot to standard output on a full device fails with exit 74, never claiming success', { skip: !existsSync('/dev/full') }, async () => {
    const endpoint = await scripted(() => undefined);
    const result = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn('bash', ['-c', `"${process.execPath}" "${MAIN}" snapshot --kubeconfig "${endpoint.kubeconfig}" > /dev/full`]);
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c));
      child.on('exit', (status) => resolve({ status, stderr }));
    });
    await endpoint.close();
    assert.equal(result.status, 74, result.stderr);
    assert.doesNotMatch(result.stderr, /^wrote /m, 'no success line');
    assert.match(result.stderr, /ENOSPC/);
  });

  it('kills a credential plugin that hangs, and fails at once on a certificate it cannot trust', async () => {
    const plugin = join(tmp, 'hanging-plugin.sh');
    const pidFile = join(tmp, 'plugin.pid');
    writeFileSync(plugin, `#!/bin/sh\necho $$ > ${pidFile}\nexec sleep 60\n`);
    chmodSync(plugin, 0o755);
    const endpoint = await scripted(() => undefined);
    const config = JSON.parse(readFileSync(endpoint.kubeconfig, 'utf8')) as { users: { user: unknown }[] };
    config.users[0]!.user = { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } };
    const file = join(tmp, 'plugin.kubeconfig');
    writeFileSync(file, JSON.stringify(config));
    const r = spawnSync(process.execPath, [MAIN, 'doctor', '--kubeconfig', file, '--request-timeout', '1s'], { encoding: 'utf8', timeout: 20_000 });
    await endpoint.close();
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /no credentials within --request-timeout 1s/);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((res) => setTimeout(res, 200));
    // Gone, or a zombie its new parent has not reaped yet: either way it runs no more.
    const state = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] : 'gone';
    assert.ok(state === 'gone' || state === 'Z', `the plugin is not running any more (state ${state})`);

    const https = await import('node:https');
    const { execFileSync } = await import('node:child_process');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', join(tmp, 'k.pem'), '-out', join(tmp, 'c.pem')], { stdio: 'ignore' });
    let requests = 0;
    const tls = https.createServer({ key: readFileSync(join(tmp, 'k.pem')), cert: readFileSync(join(tmp, 'c.pem')) }, (_req, res) => {
      requests++;
      res.end('{}');
    });
    await new Promise<void>((res) => tls.listen(0, '127.0.0.1', res));
    const untrusted = join(tmp, 'untrusted.kubeconfig');
    writeFileSync(untrusted, JSON.stringify({ apiVersion: 'v1', kind: 'Config', 'current-context': 'c', clusters: [{ name: 'c', cluster: { server: `https://127.0.0.1:${(tls.address() as { port: number }).port}` } }], users: [{ name: 'u', user: { token: 't' } }], contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }] }));
    const began = Date.now();
    const cert = await cli(['ops', '-A', '--kubeconfig', untrusted], { transports: kubeTransportFactory });
    tls.close();
    oneLine(cert, 3, /certificate problem does not heal by trying again/);
    assert.ok(Date.now() - began < 3000, 'not retried six times');
  });
});
