// Running stsvol's operations against a test cluster, and the facts the operation tests assert:
// every replica keeps its volume and its data, at most one replica is ever unready, and a fault
// proxy between stsvol and the API server that fails chosen requests.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { parse } from 'yaml';
import { kubeTransportFactory } from '../../src/cli/load.ts';
import { cli, type CliResult } from '../fixtures/cli.ts';
import type { TestCluster } from './test-cluster.ts';

export async function stsvol(kubeconfig: string, args: string[]): Promise<CliResult> {
  return cli([...args, '--kubeconfig', kubeconfig], { transports: kubeTransportFactory, now: Date.now() });
}

export interface Held {
  claim: string;
  volume: string;
  handle: string;
  token: string;
}

/** Each replica writes its own token to its disk; returns what each claim holds. */
export async function writeTokens(cluster: TestCluster, ns: string, sts: string, ordinals: number[]): Promise<Held[]> {
  const held: Held[] = [];
  for (const o of ordinals) {
    const claim = `data-${sts}-${o}`;
    const pvc = await cluster.read('v1', 'PersistentVolumeClaim', ns, claim);
    const pv = await cluster.read('v1', 'PersistentVolume', undefined, pvc!.spec.volumeName);
    const token = `${ns}/${sts}-${o}@${Date.now()}`;
    cluster.backend.write(pv!.spec.csi.volumeHandle, token);
    held.push({ claim, volume: pv!.metadata!.name!, handle: pv!.spec.csi.volumeHandle, token });
  }
  return held;
}

/** No data lost: every claim is bound to the same volume, whose disk holds the same token. */
export async function assertDataKept(cluster: TestCluster, ns: string, held: Held[]): Promise<void> {
  for (const h of held) {
    const pvc = await cluster.read('v1', 'PersistentVolumeClaim', ns, h.claim);
    assert.equal(pvc?.spec.volumeName, h.volume, `${h.claim} is still bound to ${h.volume}`);
    assert.equal(cluster.backend.read(h.handle), h.token, `${h.volume} still holds the data of ${h.claim}`);
    assert.ok(!cluster.backend.calls.includes(`DeleteVolume ${h.handle}`), `${h.handle} was never deleted`);
  }
}

/** Watches a StatefulSet's pods every 100 ms; stop() gives the most replicas ever unready at once. */
export function watchUnready(cluster: TestCluster, ns: string, sts: string, replicas: number): { stop(): Promise<number> } {
  let worst = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const pods = (await cluster.list('v1', 'Pod', ns)).filter((p) => new RegExp(`^${sts}-\\d+$`).test(p.metadata!.name!));
      const ready = pods.filter((p) => !p.metadata?.deletionTimestamp && p.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True')).length;
      worst = Math.max(worst, replicas - ready);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return { stop: async () => ((running = false), await loop, worst) };
}

/** Runs stsvol in its own process with -o json, and SIGKILLs it once `killAfter` step events have
 *  reported done or skipped. Resolves with the events seen and how it ended. */
export function runAndKill(kubeconfig: string, args: string[], killAfter: number): Promise<{ events: { id: string; phase: string }[]; killed: boolean; code: number | null }> {
  const child = spawn(process.execPath, [join(import.meta.dirname, '../../src/cli/main.ts'), ...args, '--kubeconfig', kubeconfig, '-o', 'json', '--apply', '--yes'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const events: { id: string; phase: string }[] = [];
  let buffer = '';
  let finished = 0;
  let killed = false;
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const e = JSON.parse(line) as { type: string; id: string; phase: string };
      if (e.type !== 'step') continue;
      events.push({ id: e.id, phase: e.phase });
      if ((e.phase === 'done' || e.phase === 'skipped') && ++finished === killAfter && !killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    }
  });
  child.stderr.resume();
  return new Promise((resolve) => child.on('exit', (code) => resolve({ events, killed, code })));
}

export type Fault = { status: number; body?: string; retryAfter?: number } | 'drop' | 'hang';

/** An HTTP proxy in front of the API server (it authenticates as the admin); `rule` may fail a
 *  request instead of forwarding it. Returns a kubeconfig that goes through it. */
export async function faultProxy(cluster: TestCluster, dir: string, rule: (method: string, path: string) => Fault | undefined): Promise<{ kubeconfig: string; close(): Promise<void>; seen: string[] }> {
  const admin = parse(readFileSync(cluster.kubeconfigPath, 'utf8')) as { clusters: { cluster: { 'certificate-authority': string } }[]; users: { user: { 'client-certificate': string; 'client-key': string } }[] };
  const tls = { ca: readFileSync(admin.clusters[0]!.cluster['certificate-authority']), cert: readFileSync(admin.users[0]!.user['client-certificate']), key: readFileSync(admin.users[0]!.user['client-key']) };
  const seen: string[] = [];
  const hung: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const line = `${req.method} ${req.url}`;
    seen.push(line);
    const fault = rule(req.method!, req.url!);
    if (fault === 'drop') return req.socket.destroy();
    if (fault === 'hang') return void hung.push(res);
    if (fault) {
      res.writeHead(fault.status, { 'Content-Type': 'application/json', ...(fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {}) });
      return res.end(fault.body ?? JSON.stringify({ kind: 'Status', status: 'Failure', code: fault.status, reason: fault.status === 409 ? 'Conflict' : 'InternalError', message: `injected ${fault.status}` }));
    }
    const { host: _host, ...headers } = req.headers;
    const upstream = https.request(cluster.server + req.url, { method: req.method, headers, ...tls }, (up) => {
      res.writeHead(up.statusCode!, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const kubeconfig = join(dir, `proxy-${port}.kubeconfig`);
  writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\ncurrent-context: proxy\nclusters:\n- name: proxy\n  cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}\nusers:\n- name: anyone\n  user: {}\ncontexts:\n- name: proxy\n  context: {cluster: proxy, user: anyone}\n`);
  return {
    kubeconfig, seen,
    close: () => new Promise((r) => {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
