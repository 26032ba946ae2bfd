// The kubelet's share of volume expansion, for kwok nodes, which have no kubelet: besides the disk
// backend and the volume stats, the one thing the harness plays. It does what kubelet v1.37 does when
// a pod (re)mounts a volume (pkg/volume/util/operationexecutor, expandVolumeDuringMount and
// NodeExpander.expandOnPlugin):
//   - only for a claim whose status.capacity is below its volume's spec.capacity and whose
//     status.allocatedResourceStatuses.storage is NodeResizePending or NodeResizeInProgress (the
//     resizer left the node's part), and only on a mount: a pod created since that state began;
//   - calls the driver's NodeExpandVolume;
//   - then, as MarkNodeExpansionFinishedWithRecovery (pkg/volume/util/resize_util.go) does, in one
//     status patch: status.capacity to the allocated size, the storage entry of
//     allocatedResourceStatuses removed, and the resize conditions (FileSystemResizePending,
//     Resizing, ControllerResizeError, NodeResizeError) removed.
// A volume that stays mounted is not grown here: the drivers these tests stand for grow the file
// system only when it is mounted again, which is what stsvol's remount and offline paths are for.

import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { createKubeTransport } from '../../src/model/kube-transport.ts';
import { parseQuantity } from '../../src/model/quantity.ts';

type Obj = Record<string, any>;

const RESIZE_CONDITIONS = new Set(['FileSystemResizePending', 'Resizing', 'ControllerResizeError', 'NodeResizeError']);
const NODE_PART = /^NodeResize(Pending|InProgress)$/;

export interface ExpansionSource {
  list(apiVersion: string, kind: string, namespace?: string): Promise<Obj[]>;
  read(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<Obj | undefined>;
}

export class KubeletExpansion {
  private readonly node: grpc.Client & { NodeExpandVolume: (req: unknown, cb: (err: grpc.ServiceError | null) => void) => void };
  private readonly cluster: ExpansionSource;
  private readonly transport: ReturnType<typeof createKubeTransport>;
  private running = true;
  private loop?: Promise<void>;

  constructor(cluster: ExpansionSource, kubeconfig: string, socket: string, protoPath: string) {
    const definition = protoLoader.loadSync(protoPath, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
    const csi = (grpc.loadPackageDefinition(definition) as unknown as { csi: { v1: { Node: new (address: string, credentials: grpc.ChannelCredentials) => never } } }).csi.v1;
    this.node = new csi.Node(`unix://${socket}`, grpc.credentials.createInsecure());
    this.cluster = cluster;
    this.transport = createKubeTransport({ kubeconfig });
  }

  start(): void {
    this.loop = (async () => {
      while (this.running) {
        await this.tick().catch(() => undefined); // a control plane starting or stopping
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.node.close();
  }

  private async tick(): Promise<void> {
    const pending = (await this.cluster.list('v1', 'PersistentVolumeClaim')).filter((c) => NODE_PART.test(c.status?.allocatedResourceStatuses?.storage ?? ''));
    for (const claim of pending) {
      const pv = await this.cluster.read('v1', 'PersistentVolume', undefined, claim.spec.volumeName);
      const allocated = claim.status.allocatedResources?.storage ?? pv?.spec?.capacity?.storage;
      if (!pv?.spec?.csi || (parseQuantity(claim.status.capacity?.storage) ?? 0) >= (parseQuantity(pv.spec.capacity?.storage) ?? 0)) continue;
      if (!(await this.mountedSince(claim))) continue;
      await new Promise<void>((resolve, reject) => this.node.NodeExpandVolume({ volume_id: pv.spec.csi.volumeHandle, capacity_range: { required_bytes: parseQuantity(allocated) } }, (err) => (err ? reject(err) : resolve())));
      const statuses = { ...claim.status.allocatedResourceStatuses };
      delete statuses.storage;
      await this.transport.request('PATCH', `/api/v1/namespaces/${claim.metadata.namespace}/persistentvolumeclaims/${claim.metadata.name}/status`, {
        contentType: 'application/merge-patch+json',
        json: {
          metadata: { resourceVersion: claim.metadata.resourceVersion },
          status: {
            capacity: { storage: allocated },
            allocatedResourceStatuses: Object.keys(statuses).length ? { ...statuses, storage: null } : null,
            conditions: (claim.status.conditions ?? []).filter((c: Obj) => !RESIZE_CONDITIONS.has(c.type)),
          },
        },
      });
    }
  }

  /** A running pod on a node mounted the claim after its node part began (the resizer's
   *  FileSystemResizePending condition): the mount a kubelet grows the file system on. Object times
   *  are whole seconds, so a pod created in that same second counts as mounting after it. */
  private async mountedSince(claim: Obj): Promise<boolean> {
    const since = Date.parse(claim.status.conditions?.find((c: Obj) => c.type === 'FileSystemResizePending')?.lastTransitionTime ?? '');
    const pods = await this.cluster.list('v1', 'Pod', claim.metadata.namespace);
    return pods.some((p) => p.spec?.nodeName && p.status?.phase === 'Running' && !p.metadata.deletionTimestamp
      && (p.spec.volumes ?? []).some((v: Obj) => v.persistentVolumeClaim?.claimName === claim.metadata.name)
      && (!Number.isFinite(since) || Date.parse(p.metadata.creationTimestamp) >= since));
  }
}
