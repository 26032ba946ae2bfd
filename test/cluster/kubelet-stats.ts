// The kubelet's Summary API (/stats/summary) for a kwok node, the one simulated piece of the
// operator tests: kwok has no kubelet and so no volume stats. The API server reaches it through its
// real node proxy (nodes/NAME/proxy/stats/summary) at the node's InternalIP and kubelet port, as it
// would reach a kubelet; the numbers come from the disk backend below CSI, per mounted claim.

import https from 'node:https';
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { BYTES_PER_INODE, type DiskBackend } from './disk-backend.ts';

type Obj = Record<string, any>;

export interface StatsReader {
  list(apiVersion: string, kind: string, namespace?: string): Promise<Obj[]>;
  backend: DiskBackend;
}

/** The API server refuses to proxy to loopback addresses, so a node's "kubelet" listens on this
 *  machine's first non-loopback IPv4 address. */
export function hostAddress(): string {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return '127.0.0.1';
}

export async function summaryOf(cluster: StatsReader, node: string): Promise<Obj> {
  const [pods, claims, volumes] = await Promise.all([cluster.list('v1', 'Pod'), cluster.list('v1', 'PersistentVolumeClaim'), cluster.list('v1', 'PersistentVolume')]);
  const claimByKey = new Map(claims.map((c) => [`${c.metadata.namespace}/${c.metadata.name}`, c]));
  const pvByName = new Map(volumes.map((v) => [v.metadata.name, v]));
  const podStats = pods.filter((p) => p.spec?.nodeName === node && p.status?.phase === 'Running').map((p) => ({
    podRef: { name: p.metadata.name, namespace: p.metadata.namespace, uid: p.metadata.uid },
    volume: (p.spec.volumes ?? []).flatMap((v: Obj) => {
      const claim = v.persistentVolumeClaim && claimByKey.get(`${p.metadata.namespace}/${v.persistentVolumeClaim.claimName}`);
      const handle = claim && pvByName.get(claim.spec?.volumeName)?.spec?.csi?.volumeHandle;
      const disk = handle && cluster.backend.disks.get(handle);
      // A raw block volume has no file system, and the kubelet reports nothing for it.
      if (!disk || claim.spec?.volumeMode === 'Block') return [];
      const inodes = Math.floor(disk.fsBytes / BYTES_PER_INODE);
      return [{
        name: v.name, pvcRef: { name: claim.metadata.name, namespace: claim.metadata.namespace },
        capacityBytes: disk.fsBytes, usedBytes: disk.usedBytes, availableBytes: disk.fsBytes - disk.usedBytes,
        inodes, inodesUsed: disk.inodesUsed, inodesFree: inodes - disk.inodesUsed,
      }];
    }),
  }));
  return { node: { nodeName: node }, pods: podStats };
}

/** Serves one node's Summary API over TLS (the API server does not verify a kubelet's serving
 *  certificate unless told to, so any certificate does). */
export async function serveKubeletStats(cluster: StatsReader, node: string, host: string, port: number, tls: { cert: string; key: string }): Promise<https.Server> {
  const server = https.createServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }, (req, res) => {
    if (!req.url?.startsWith('/stats/summary')) return void res.writeHead(404).end();
    summaryOf(cluster, node).then((summary) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(summary));
    }, (err: unknown) => res.writeHead(500).end(String(err)));
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return server;
}
