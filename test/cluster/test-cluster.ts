// A real Kubernetes control plane for tests, on loopback: etcd, kube-apiserver (RBAC, certificates,
// service-account keys), kube-controller-manager with its default controllers and short node-monitor
// timings, kube-scheduler, kwok standing in for kubelets, and the real CSI sidecars
// (external-provisioner, -attacher, -resizer; with `snapshots`, snapshot-controller and
// csi-snapshotter and the VolumeSnapshot CRDs of their release) in front of the test disk backend.
//
// Binaries come from components/build.sh (built from upstream Go modules, cached). Each TestCluster
// lives in its own temporary directory with free ports and is torn down by stop(), and also when the
// test process exits, so no component outlives its test.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments, stringify } from 'yaml';
import { DiskBackend } from './disk-backend.ts';
import { KubeletExpansion } from './kubelet-expansion.ts';
import { serveKubeletStats, hostAddress } from './kubelet-stats.ts';
import { kubeconfig, makePki, type Pki } from './pki.ts';

export const DRIVER = 'disk.csi.stsvol.test';
/** kwok marks every pod Running at once, volumes or not. A pod with this annotation stays Pending,
 *  as a real kubelet keeps a pod whose volume cannot attach in ContainerCreating. */
export const WAITS_FOR_VOLUMES = 'stsvol.test/kubelet-waits-for-volumes';

export interface NodeSpec {
  name: string;
  zone?: string;
  attachLimit?: number;
  /** The driver's node plugin does not run there: its CSINode lists no driver. */
  withoutDriver?: boolean;
}

export interface ClusterOptions {
  /** The CSI snapshot stack: VolumeSnapshot CRDs, snapshot-controller, csi-snapshotter. */
  snapshots?: boolean;
  /** The CRDs audit reads: Velero's Schedule and Backup, the Prometheus Operator's PrometheusRule
   *  and ServiceMonitor (their objects only; nothing runs them). */
  auditCrds?: boolean;
  /** Zonal disks (disk-backend.ts): each volume made in one node zone and pinned to it. Every node
   *  then needs a zone, as external-provisioner refuses to provision for a node without one. */
  zonalDisks?: boolean;
}

const HERE = import.meta.dirname;

/** Builds the components if needed (see components/build.sh) and returns the cache directory. */
export function componentsDir(): string {
  return execFileSync('bash', [join(HERE, 'components', 'build.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop()!;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export class TestCluster {
  readonly dir: string;
  readonly server: string;
  readonly kubeconfigPath: string;
  readonly api: KubernetesObjectApi;
  readonly backend: DiskBackend;
  /** How long start() took until the control plane was ready. */
  startedInMs = 0;
  private readonly children: ChildProcess[] = [];
  private readonly kubelets = new Map<string, ChildProcess>();
  private bin = '';

  /** Where components/build.sh put the binaries (helm among them). */
  get componentsDir(): string {
    return this.bin;
  }
  private kwokConfigPath = '';
  private stopping = false;
  private pki!: Pki;
  private readonly statsServers: https.Server[] = [];
  private expansion?: KubeletExpansion;
  /** Where the nodes' kubelet endpoints (their volume stats) listen. */
  readonly nodeAddress = hostAddress();
  /** Set when a component dies on its own; every wait fails with its last log lines. */
  crashed?: string;

  private constructor(dir: string, server: string, kubeconfigPath: string, backend: DiskBackend) {
    this.dir = dir;
    this.server = server;
    this.kubeconfigPath = kubeconfigPath;
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    this.api = KubernetesObjectApi.makeApiClient(kc);
    this.backend = backend;
  }

  static async start(nodes: NodeSpec[], options: ClusterOptions = {}): Promise<TestCluster> {
    const began = Date.now();
    const bin = componentsDir();
    const dir = mkdtempSync(join(tmpdir(), 'stsvol-cluster-'));
    const pki = makePki(dir);
    const [etcdClient, etcdPeer, apiPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const server = `https://127.0.0.1:${apiPort}`;
    const configs = Object.fromEntries((['admin', 'controller-manager', 'scheduler'] as const).map((c) => {
      const path = join(dir, `${c}.kubeconfig`);
      writeFileSync(path, kubeconfig(server, pki, c));
      return [c, path];
    })) as Record<'admin' | 'controller-manager' | 'scheduler', string>;
    if (options.zonalDisks && nodes.some((n) => !n.zone)) throw new Error('zonal disks need a zone on every node');
    const backend = new DiskBackend(DRIVER, { zonal: options.zonalDisks });
    const socket = join(dir, 'csi.sock');
    await backend.listen(socket, join(bin, 'csi.proto'));
    const cluster = new TestCluster(dir, server, configs.admin, backend);
    cluster.bin = bin;
    cluster.pki = pki;
    try {
      cluster.spawn(bin, 'etcd', [
        `--data-dir=${join(dir, 'etcd')}`, `--listen-client-urls=http://127.0.0.1:${etcdClient}`, `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`, '--log-level=warn', '--unsafe-no-fsync',
      ]);
      cluster.spawn(bin, 'kube-apiserver', [
        `--etcd-servers=http://127.0.0.1:${etcdClient}`, '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`,
        `--tls-cert-file=${pki.serverCert}`, `--tls-private-key-file=${pki.serverKey}`, `--client-ca-file=${pki.ca}`,
        '--authorization-mode=Node,RBAC', '--service-cluster-ip-range=10.96.0.0/16', '--allow-privileged=true',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${pki.serviceAccountPub}`, `--service-account-signing-key-file=${pki.serviceAccountKey}`,
        `--cert-dir=${join(dir, 'apiserver-certs')}`,
        // The kubernetes Service endpoint cannot point at loopback; nothing here needs it.
        '--endpoint-reconciler-type=none',
        // kwok nodes have a Hostname address nothing resolves; their "kubelet" is at the InternalIP.
        '--kubelet-preferred-address-types=InternalIP',
      ]);
      await cluster.waitForApiServer(pki.ca, pki.clients.admin);
      cluster.spawn(bin, 'kube-controller-manager', [
        `--kubeconfig=${configs['controller-manager']}`, '--leader-elect=false', '--secure-port=0',
        `--service-account-private-key-file=${pki.serviceAccountKey}`, `--root-ca-file=${pki.ca}`,
        // Each controller acts as its own service account, with the RBAC roles upstream gives it.
        '--use-service-account-credentials=true',
        // Short node-monitor timings so a lost node is noticed in seconds, not minutes.
        '--node-monitor-period=1s', '--node-monitor-grace-period=20s',
        '--pvclaimbinder-sync-period=2s', '--attach-detach-reconcile-sync-period=5s',
      ]);
      cluster.spawn(bin, 'kube-scheduler', [`--kubeconfig=${configs.scheduler}`, '--leader-elect=false', '--secure-port=0']);
      cluster.kwokConfigPath = cluster.kwokConfig(bin);
      // The CRDs before the sidecars, so external-provisioner's snapshot informers start on them.
      if (options.snapshots) await cluster.installCrds(join(bin, 'snapshot-crds'), 'the VolumeSnapshot CRDs');
      if (options.auditCrds) await cluster.installCrds(join(bin, 'audit-crds'), "Velero's and the Prometheus Operator's CRDs");
      const csi = [`--csi-address=${socket}`, `--kubeconfig=${configs.admin}`, '--timeout=10s'];
      cluster.spawn(bin, 'csi-provisioner', [...csi, '--leader-election=false', '--extra-create-metadata', '--retry-interval-start=1s', '--retry-interval-max=5s']);
      cluster.spawn(bin, 'csi-attacher', [...csi, '--leader-election=false', '--retry-interval-start=1s', '--retry-interval-max=5s']);
      cluster.spawn(bin, 'csi-resizer', [...csi, '--leader-election=false', '--retry-interval-start=1s', '--retry-interval-max=5s']);
      if (options.snapshots) {
        cluster.spawn(bin, 'snapshot-controller', [`--kubeconfig=${configs.admin}`, '--leader-election=false', '--retry-interval-start=1s', '--retry-interval-max=5s']);
        cluster.spawn(bin, 'csi-snapshotter', [...csi, '--leader-election=false', '--retry-interval-start=1s', '--retry-interval-max=5s']);
      }
      cluster.expansion = new KubeletExpansion(cluster, configs.admin, socket, join(bin, 'csi.proto'));
      cluster.expansion.start();
      await cluster.create({ apiVersion: 'storage.k8s.io/v1', kind: 'CSIDriver', metadata: { name: DRIVER }, spec: { attachRequired: true, podInfoOnMount: false } });
      for (const node of nodes) await cluster.addNode(node);
      await cluster.waitFor('the default ServiceAccount (controller-manager running)', async () => (await cluster.read('v1', 'ServiceAccount', 'default', 'default')) !== undefined);
      await cluster.waitFor('every node Ready (kwok running)', async () => {
        for (const n of nodes) if (!(await cluster.nodeReady(n.name))) return false;
        return true;
      });
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    cluster.startedInMs = Date.now() - began;
    return cluster;
  }

  /** kwok's own stage rules, with pod-ready holding back pods that wait for their volumes. */
  private kwokConfig(bin: string): string {
    const stagesDir = join(bin, 'kwok-stages');
    const docs = readdirSync(stagesDir).sort().map((f) => parseAllDocuments(readFileSync(join(stagesDir, f), 'utf8'))[0]!.toJS() as { metadata: { name: string }; spec: { selector: { matchExpressions: unknown[] } } });
    const ready = docs.find((d) => d.metadata.name === 'pod-ready')!;
    ready.spec.selector.matchExpressions.push({ key: `.metadata.annotations["${WAITS_FOR_VOLUMES}"]`, operator: 'DoesNotExist' });
    const path = join(this.dir, 'kwok.yaml');
    writeFileSync(path, docs.map((d) => stringify(d)).join('---\n'));
    return path;
  }

  private spawn(bin: string, name: string, args: string[], logName = name): ChildProcess {
    const log = createWriteStream(join(this.dir, `${logName}.log`));
    const child = spawn(join(bin, 'bin', name), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    running.add(child);
    child.on('exit', (code, signal) => {
      running.delete(child);
      if (!this.stopping && !this.lost.has(child)) this.crashed ??= `${logName} exited (${signal ?? code}) unexpectedly:\n${this.log(logName).split('\n').slice(-15).join('\n')}`;
    });
    this.children.push(child);
    return child;
  }

  private readonly lost = new Set<ChildProcess>();

  private async waitForApiServer(ca: string, client: { cert: string; key: string }): Promise<void> {
    const options = { ca: readFileSync(ca), cert: readFileSync(client.cert), key: readFileSync(client.key) };
    await this.waitFor('kube-apiserver /readyz', () => new Promise<boolean>((resolve) => {
      https.get(`${this.server}/readyz`, options, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      }).on('error', () => resolve(false));
    }), 60_000);
  }

  /** Logs of a component, for a failing test's message. */
  log(name: string): string {
    try {
      return readFileSync(join(this.dir, `${name}.log`), 'utf8');
    } catch {
      return '';
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.expansion?.stop();
    await this.backend.close();
    for (const s of this.statsServers) s.close();
    for (const child of [...this.children].reverse()) child.kill('SIGTERM');
    await Promise.all(this.children.map((c) => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => {
      const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
      c.on('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    }))));
    if (!process.env.STSVOL_KEEP_CLUSTER_DIR) rmSync(this.dir, { recursive: true, force: true });
  }

  /** The CRDs build.sh copied from an upstream release into `dir`, Established. */
  private async installCrds(dir: string, what: string): Promise<void> {
    const crds = readdirSync(dir).map((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8'))[0]!.toJS() as KubernetesObject);
    // As JSON, untouched: @kubernetes/client-node's typed serializer would drop the schema keys it
    // has no field for (x-kubernetes-int-or-string), and the API server then refuses the schema.
    const { createKubeTransport } = await import('../../src/model/kube-transport.ts');
    const transport = createKubeTransport({ kubeconfig: this.kubeconfigPath });
    for (const crd of crds) {
      const r = await transport.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { json: crd });
      if (r.status >= 300) throw new Error(`creating CRD ${crd.metadata!.name}: ${r.status} ${r.body}`);
    }
    await this.waitFor(`${what} established`, async () => {
      for (const crd of crds) {
        const read = await this.read('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, crd.metadata!.name!);
        if (!read?.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True')) return false;
      }
      return true;
    });
  }

  // ---- the API, through @kubernetes/client-node ----

  async create<T extends KubernetesObject>(obj: T): Promise<T> {
    return this.api.create(obj);
  }

  async patch(obj: KubernetesObject, strategy: PatchStrategy = PatchStrategy.MergePatch): Promise<KubernetesObject> {
    return this.api.patch(obj, undefined, undefined, undefined, undefined, strategy);
  }

  async remove(apiVersion: string, kind: string, namespace: string | undefined, name: string, gracePeriodSeconds?: number): Promise<void> {
    await this.api.delete({ apiVersion, kind, metadata: { name, namespace } }, undefined, undefined, gracePeriodSeconds);
  }

  async read<T extends KubernetesObject = KubernetesObject & Record<string, any>>(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<T | undefined> {
    try {
      return (await this.api.read({ apiVersion, kind, metadata: { name, namespace } })) as T;
    } catch (err) {
      if ((err as { code?: number }).code === 404) return undefined;
      throw err;
    }
  }

  async list(apiVersion: string, kind: string, namespace?: string): Promise<(KubernetesObject & Record<string, any>)[]> {
    return (await this.api.list(apiVersion, kind, namespace)).items as (KubernetesObject & Record<string, any>)[];
  }

  /** Polls until `test` holds; fails with `what` and the last error after `timeoutMs`. */
  async waitFor(what: string, test: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      if (this.crashed) throw new Error(this.crashed);
      try {
        if (await test()) return;
      } catch (err) {
        last = err;
      }
      await sleep(250);
    }
    throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
  }

  // ---- nodes: one kwok per node plays its kubelet; the harness registers what a kubelet would ----

  async addNode(spec: NodeSpec): Promise<void> {
    // One kwok per node, so a node can be lost by stopping its kwok, as a kubelet dies with its machine.
    // Its kubelet port serves the volume stats kwok cannot (kubelet-stats.ts).
    const kubeletPort = await freePort();
    this.statsServers.push(await serveKubeletStats({ list: (v, k, ns) => this.list(v, k, ns), backend: this.backend }, spec.name, this.nodeAddress, kubeletPort, { cert: this.pki.serverCert, key: this.pki.serverKey }));
    this.kubelets.set(spec.name, this.spawn(this.bin, 'kwok', [
      `--kubeconfig=${this.kubeconfigPath}`, `--config=${this.kwokConfigPath}`, `--manage-single-node=${spec.name}`,
      '--node-lease-duration-seconds=10', `--node-ip=${this.nodeAddress}`, `--node-port=${kubeletPort}`,
      `--server-address=127.0.0.1:${await freePort()}`, '--cidr=10.244.0.0/16',
    ], `kwok-${spec.name}`));
    await this.create({
      apiVersion: 'v1', kind: 'Node',
      metadata: {
        name: spec.name,
        labels: { 'kubernetes.io/hostname': spec.name, 'kubernetes.io/os': 'linux', ...(spec.zone ? { 'topology.kubernetes.io/zone': spec.zone } : {}) },
        // A kubelet sets the second one; without it the attach-detach controller leaves the node alone.
        annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
      },
    } as KubernetesObject);
    // What the kubelet's CSI plugin registration writes: the driver and its attach limit on this node.
    await this.create({
      apiVersion: 'storage.k8s.io/v1', kind: 'CSINode',
      metadata: { name: spec.name },
      spec: { drivers: spec.withoutDriver ? [] : [{ name: DRIVER, nodeID: spec.name, topologyKeys: spec.zone ? ['topology.kubernetes.io/zone'] : [], ...(spec.attachLimit !== undefined ? { allocatable: { count: spec.attachLimit } } : {}) }] },
    } as KubernetesObject);
  }

  async nodeReady(name: string): Promise<boolean> {
    const node = await this.read('v1', 'Node', undefined, name);
    return node?.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True') ?? false;
  }

  /** A kubelet's last report of the volumes it has mounted (node.status.volumesInUse and
   *  volumesAttached, named as the CSI plugin names them: kubernetes.io/csi/<driver>^<handle>). kwok
   *  reports none; set on a lost node, it is what a dead kubelet leaves behind, and the
   *  attach-detach controller then keeps the volumes attached there as it would in a real cluster
   *  (no detach while mounted, until its force-detach timeout or the out-of-service taint). */
  async reportVolumesInUse(node: string, handles: string[]): Promise<void> {
    const names = handles.map((h) => `kubernetes.io/csi/${DRIVER}^${h}`);
    const { createKubeTransport } = await import('../../src/model/kube-transport.ts');
    const r = await createKubeTransport({ kubeconfig: this.kubeconfigPath }).request('PATCH', `/api/v1/nodes/${node}/status`, {
      contentType: 'application/merge-patch+json',
      json: { status: { volumesInUse: names, volumesAttached: names.map((name) => ({ name, devicePath: `/dev/disk/by-id/${name.split('^')[1]}` })) } },
    });
    if (r.status >= 300) throw new Error(`reporting volumes in use on ${node}: ${r.status} ${r.body}`);
  }

  /** The node's kubelet goes silent (a crashed or cut-off machine): its kwok is stopped for good. */
  async loseNode(name: string): Promise<void> {
    const kubelet = this.kubelets.get(name);
    if (!kubelet) throw new Error(`no node ${name}`);
    this.lost.add(kubelet);
    kubelet.kill('SIGKILL');
  }
}
