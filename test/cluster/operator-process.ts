// `stsvol operator` in its own process, as a pod would run it, authenticated as the chart's
// ServiceAccount; its JSON logs are kept for the assertions and its port read from its first line.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { TestCluster } from './test-cluster.ts';

export type LogLine = { level: string; msg: string; [k: string]: unknown };

export class OperatorProcess {
  readonly logs: LogLine[] = [];
  readonly name: string;
  port = 0;
  private readonly child: ChildProcess;
  private stderr = '';

  private constructor(name: string, child: ChildProcess) {
    this.name = name;
    this.child = child;
  }

  static start(name: string, kubeconfig: string, args: string[]): Promise<OperatorProcess> {
    const child = spawn(process.execPath, [join(import.meta.dirname, '../../src/cli/main.ts'), 'operator', '--kubeconfig', kubeconfig, '--listen', '127.0.0.1:0', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, POD_NAME: name },
    });
    const op = new OperatorProcess(name, child);
    let buffer = '';
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
          const line = JSON.parse(buffer.slice(0, nl)) as LogLine;
          buffer = buffer.slice(nl + 1);
          op.logs.push(line);
          if (line.msg === 'operator started') {
            op.port = line.port as number;
            resolve(op);
          }
        }
      });
      child.stderr!.on('data', (c: Buffer) => (op.stderr += c.toString()));
      child.on('exit', (code) => reject(new Error(`operator ${name} exited (${code}) before starting: ${op.stderr.slice(-2000)}`)));
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.alive) return Promise.resolve();
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill(signal);
    return exited;
  }

  async metrics(): Promise<string> {
    return (await fetch(`http://127.0.0.1:${this.port}/metrics`)).text();
  }

  async status(path: '/healthz' | '/readyz'): Promise<number> {
    return (await fetch(`http://127.0.0.1:${this.port}${path}`)).status;
  }

  /** The value of one series in /metrics (0 when absent). */
  async metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    const text = await this.metrics();
    let total = 0;
    for (const line of text.split('\n')) {
      if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
      if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return total;
  }

  describe(): string {
    return `${this.name}: ${this.logs.slice(-15).map((l) => JSON.stringify(l)).join('\n')}\n${this.stderr.slice(-1000)}`;
  }
}

/** A kubeconfig that authenticates with a ServiceAccount token (TokenRequest API), like a pod's. */
export async function serviceAccountKubeconfig(cluster: TestCluster, namespace: string, name: string): Promise<string> {
  const response = await fetchAsAdmin(cluster, 'POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } });
  const token = (response as { status: { token: string } }).status.token;
  const admin = parse(readFileSync(cluster.kubeconfigPath, 'utf8')) as { clusters: { cluster: { 'certificate-authority': string } }[] };
  const path = join(cluster.dir, `${namespace}-${name}.kubeconfig`);
  writeFileSync(path, `apiVersion: v1\nkind: Config\ncurrent-context: sa\nclusters:\n- name: test\n  cluster: {server: "${cluster.server}", certificate-authority: "${admin.clusters[0]!.cluster['certificate-authority']}"}\nusers:\n- name: sa\n  user: {token: "${token}"}\ncontexts:\n- name: sa\n  context: {cluster: test, user: sa, namespace: ${namespace}}\n`);
  return path;
}

/** Asks the API server whether the identity of `kubeconfig` may do something. */
export async function allowed(kubeconfig: string, attributes: { verb: string; resource: string; group?: string; subresource?: string; namespace?: string }): Promise<boolean> {
  const { createKubeTransport } = await import('../../src/model/kube-transport.ts');
  const t = createKubeTransport({ kubeconfig });
  const r = await t.request('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { json: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { group: '', ...attributes } } } });
  return (JSON.parse(r.body) as { status: { allowed: boolean } }).status.allowed;
}

async function fetchAsAdmin(cluster: TestCluster, method: string, path: string, json: unknown): Promise<unknown> {
  const { createKubeTransport } = await import('../../src/model/kube-transport.ts');
  const r = await createKubeTransport({ kubeconfig: cluster.kubeconfigPath }).request(method, path, { json });
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.body}`);
  return JSON.parse(r.body);
}
