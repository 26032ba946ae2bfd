// The storage backend of the test cluster: a CSI plugin (Identity, Controller and the Node service's
// NodeExpandVolume) whose "disks" and snapshots are entries in memory. It is the one simulated layer:
// the real external-provisioner, -attacher, -resizer and -snapshotter talk to it over the CSI gRPC
// socket exactly as they would to a cloud's driver, and everything above them is upstream Kubernetes.
//
// StorageClass parameters steer it the way a real backend's limits would:
//   stsvol.test/fail-provision: <message>   CreateVolume fails with RESOURCE_EXHAUSTED <message>
//   stsvol.test/node-expansion: "true"      ControllerExpandVolume says the node must grow the file
//                                           system: it grows when a pod mounts the volume again
//   stsvol.test/offline-expansion: "true"   ControllerExpandVolume refuses (FAILED_PRECONDITION)
//                                           while the disk is attached to a node, as drivers that
//                                           expand only offline do; the node grows the file system
//   stsvol.test/max-size: <quantity>        ControllerExpandVolume beyond it fails with OUT_OF_RANGE
//
// Zonal (`new DiskBackend(driver, { zonal: true })`), it is a cloud's block storage: it announces
// VOLUME_ACCESSIBILITY_CONSTRAINTS, so external-provisioner asks for a topology (the selected node's
// zone, or with Immediate binding one of the cluster's zones), and each disk is made in the first
// zone asked for and reported accessible only there, which the provisioner writes into the volume's
// node affinity.
//
// A snapshot copies what the disk holds; a volume restored from it (CreateVolume with a snapshot
// as content source) starts with that copy.

import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { parseQuantity } from '../../src/model/quantity.ts';

export const PARAM_FAIL_PROVISION = 'stsvol.test/fail-provision';
export const PARAM_NODE_EXPANSION = 'stsvol.test/node-expansion';
export const PARAM_MAX_SIZE = 'stsvol.test/max-size';
export const PARAM_OFFLINE_EXPANSION = 'stsvol.test/offline-expansion';

interface Disk {
  id: string;
  name: string;
  bytes: number;
  /** The file system's size: behind `bytes` until the node grows it (NodeExpandVolume). */
  fsBytes: number;
  context: Record<string, string>;
  attachedTo: Set<string>;
  /** What the workload wrote, so a test can prove a volume kept its data. */
  data: string;
  /** How full its file system is, for the kubelet's volume stats (kubelet-stats.ts). */
  usedBytes: number;
  inodesUsed: number;
  /** Where a zonal disk lives: the topology segments it is accessible from. */
  topology?: Record<string, string>;
}

interface Topology {
  segments: Record<string, string>;
}

interface Snapshot {
  id: string;
  name: string;
  sourceVolumeId: string;
  bytes: number;
  data: string;
  createdAt: number;
}

/** ext4's default: one inode per 16 KiB, so a bigger disk has more inodes. */
export const BYTES_PER_INODE = 16 * 1024;

type Call<Req> = grpc.ServerUnaryCall<Req, unknown>;
type Reply = grpc.sendUnaryData<unknown>;

function fail(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() }) as grpc.ServiceError;
}

export class DiskBackend {
  readonly disks = new Map<string, Disk>();
  readonly snapshots = new Map<string, Snapshot>();
  readonly calls: string[] = [];
  private server?: grpc.Server;
  private readonly driver: string;
  private readonly zonal: boolean;

  constructor(driver: string, options: { zonal?: boolean } = {}) {
    this.driver = driver;
    this.zonal = options.zonal ?? false;
  }

  async listen(socket: string, protoPath: string): Promise<void> {
    const definition = protoLoader.loadSync(protoPath, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
    const csi = (grpc.loadPackageDefinition(definition) as unknown as { csi: { v1: Record<string, { service: grpc.ServiceDefinition }> } }).csi.v1;
    const server = new grpc.Server();
    server.addService(csi.Identity!.service, this.identity() as grpc.UntypedServiceImplementation);
    server.addService(csi.Controller!.service, this.controller() as grpc.UntypedServiceImplementation);
    server.addService(csi.Node!.service, this.node() as grpc.UntypedServiceImplementation);
    await new Promise<void>((resolve, reject) => server.bindAsync(`unix://${socket}`, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())));
    this.server = server;
  }

  /** The workload writes to the disk behind a volume handle. */
  write(volumeId: string, data: string): void {
    const disk = this.disks.get(volumeId);
    if (!disk) throw new Error(`no disk ${volumeId}`);
    disk.data = data;
  }

  /** The workload fills the disk's file system. */
  fill(volumeId: string, usedBytes: number, inodesUsed = 0): void {
    const disk = this.disks.get(volumeId);
    if (!disk) throw new Error(`no disk ${volumeId}`);
    disk.usedBytes = usedBytes;
    disk.inodesUsed = inodesUsed;
  }

  read(volumeId: string): string | undefined {
    return this.disks.get(volumeId)?.data;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.tryShutdown(() => resolve()) : resolve()));
  }

  private identity() {
    return {
      GetPluginInfo: (_: Call<unknown>, reply: Reply) => reply(null, { name: this.driver, vendor_version: '0.0.0-test' }),
      GetPluginCapabilities: (_: Call<unknown>, reply: Reply) =>
        reply(null, { capabilities: [{ service: { type: 'CONTROLLER_SERVICE' } }, { volume_expansion: { type: 'ONLINE' } }, ...(this.zonal ? [{ service: { type: 'VOLUME_ACCESSIBILITY_CONSTRAINTS' } }] : [])] }),
      Probe: (_: Call<unknown>, reply: Reply) => reply(null, { ready: { value: true } }),
    };
  }

  /** Only what the harness's kubelet stand-in calls (kubelet-expansion.ts): the file system grows
   *  to the disk's size. */
  private node() {
    return {
      NodeGetCapabilities: (_: Call<unknown>, reply: Reply) => reply(null, { capabilities: [{ rpc: { type: 'EXPAND_VOLUME' } }] }),
      NodeExpandVolume: (call: Call<{ volume_id: string; capacity_range?: { required_bytes?: number } }>, reply: Reply) => {
        this.calls.push(`NodeExpandVolume ${call.request.volume_id}`);
        const disk = this.disks.get(call.request.volume_id);
        if (!disk) return reply(fail(grpc.status.NOT_FOUND, `disk ${call.request.volume_id} does not exist`));
        disk.fsBytes = disk.bytes;
        reply(null, { capacity_bytes: disk.fsBytes });
      },
    };
  }

  private controller() {
    const rpc = ['CREATE_DELETE_VOLUME', 'PUBLISH_UNPUBLISH_VOLUME', 'EXPAND_VOLUME', 'CREATE_DELETE_SNAPSHOT'];
    return {
      ControllerGetCapabilities: (_: Call<unknown>, reply: Reply) => reply(null, { capabilities: rpc.map((type) => ({ rpc: { type } })) }),
      CreateVolume: (call: Call<{ name: string; capacity_range?: { required_bytes?: number }; parameters: Record<string, string> }>, reply: Reply) => this.create(call.request, reply),
      DeleteVolume: (call: Call<{ volume_id: string }>, reply: Reply) => {
        this.calls.push(`DeleteVolume ${call.request.volume_id}`);
        this.disks.delete(call.request.volume_id);
        reply(null, {});
      },
      ControllerPublishVolume: (call: Call<{ volume_id: string; node_id: string }>, reply: Reply) => this.publish(call.request, reply),
      ControllerUnpublishVolume: (call: Call<{ volume_id: string; node_id: string }>, reply: Reply) => {
        this.calls.push(`ControllerUnpublishVolume ${call.request.volume_id} ${call.request.node_id}`);
        this.disks.get(call.request.volume_id)?.attachedTo.delete(call.request.node_id);
        reply(null, {});
      },
      ControllerExpandVolume: (call: Call<{ volume_id: string; capacity_range?: { required_bytes?: number } }>, reply: Reply) => this.expand(call.request, reply),
      ValidateVolumeCapabilities: (call: Call<{ volume_capabilities: unknown[] }>, reply: Reply) => reply(null, { confirmed: { volume_capabilities: call.request.volume_capabilities } }),
      CreateSnapshot: (call: Call<{ source_volume_id: string; name: string }>, reply: Reply) => this.snapshot(call.request, reply),
      DeleteSnapshot: (call: Call<{ snapshot_id: string }>, reply: Reply) => {
        this.calls.push(`DeleteSnapshot ${call.request.snapshot_id}`);
        this.snapshots.delete(call.request.snapshot_id);
        reply(null, {});
      },
    };
  }

  private snapshot(req: { source_volume_id: string; name: string }, reply: Reply): void {
    this.calls.push(`CreateSnapshot ${req.source_volume_id} ${req.name}`);
    const disk = this.disks.get(req.source_volume_id);
    if (!disk) return reply(fail(grpc.status.NOT_FOUND, `disk ${req.source_volume_id} does not exist`));
    // Idempotent by name, as the sidecar retries with the same name.
    const snap = [...this.snapshots.values()].find((s) => s.name === req.name)
      ?? { id: `snap-${randomUUID().slice(0, 8)}`, name: req.name, sourceVolumeId: disk.id, bytes: disk.bytes, data: disk.data, createdAt: Date.now() };
    this.snapshots.set(snap.id, snap);
    reply(null, { snapshot: { snapshot_id: snap.id, source_volume_id: snap.sourceVolumeId, size_bytes: snap.bytes, creation_time: { seconds: Math.floor(snap.createdAt / 1000), nanos: 0 }, ready_to_use: true } });
  }

  private create(req: { name: string; capacity_range?: { required_bytes?: number }; parameters: Record<string, string>; volume_content_source?: { snapshot?: { snapshot_id: string } }; accessibility_requirements?: { requisite: Topology[]; preferred: Topology[] } }, reply: Reply): void {
    this.calls.push(`CreateVolume ${req.name}`);
    const failure = req.parameters[PARAM_FAIL_PROVISION];
    if (failure) return reply(fail(grpc.status.RESOURCE_EXHAUSTED, failure));
    const from = req.volume_content_source?.snapshot?.snapshot_id;
    const snap = from ? this.snapshots.get(from) : undefined;
    if (from && !snap) return reply(fail(grpc.status.NOT_FOUND, `snapshot ${from} does not exist`));
    // CreateVolume is idempotent by name: the provisioner retries with the same name.
    const existing = [...this.disks.values()].find((d) => d.name === req.name);
    const bytes = Math.max(req.capacity_range?.required_bytes || 2 ** 30, snap?.bytes ?? 0);
    const wanted = req.accessibility_requirements;
    const topology = this.zonal ? (wanted?.preferred[0] ?? wanted?.requisite[0])?.segments : undefined;
    if (this.zonal && !topology) return reply(fail(grpc.status.INVALID_ARGUMENT, 'a zonal disk needs an accessibility requirement'));
    const disk = existing ?? { id: `disk-${randomUUID().slice(0, 8)}`, name: req.name, bytes, fsBytes: bytes, context: { ...req.parameters }, attachedTo: new Set<string>(), data: snap?.data ?? '', usedBytes: 0, inodesUsed: 0, ...(topology ? { topology } : {}) };
    this.disks.set(disk.id, disk);
    reply(null, { volume: { volume_id: disk.id, capacity_bytes: disk.bytes, volume_context: disk.context, ...(disk.topology ? { accessible_topology: [{ segments: disk.topology }] } : {}), ...(snap ? { content_source: { snapshot: { snapshot_id: snap.id } } } : {}) } });
  }

  private publish(req: { volume_id: string; node_id: string }, reply: Reply): void {
    this.calls.push(`ControllerPublishVolume ${req.volume_id} ${req.node_id}`);
    const disk = this.disks.get(req.volume_id);
    if (!disk) return reply(fail(grpc.status.NOT_FOUND, `disk ${req.volume_id} does not exist`));
    // A block disk attaches to one machine at a time, as on every cloud.
    const elsewhere = [...disk.attachedTo].find((n) => n !== req.node_id);
    if (elsewhere) return reply(fail(grpc.status.FAILED_PRECONDITION, `disk ${req.volume_id} is attached to ${elsewhere}`));
    disk.attachedTo.add(req.node_id);
    reply(null, { publish_context: { devicePath: `/dev/disk/by-id/${req.volume_id}` } });
  }

  private expand(req: { volume_id: string; capacity_range?: { required_bytes?: number } }, reply: Reply): void {
    this.calls.push(`ControllerExpandVolume ${req.volume_id} ${req.capacity_range?.required_bytes}`);
    const disk = this.disks.get(req.volume_id);
    if (!disk) return reply(fail(grpc.status.NOT_FOUND, `disk ${req.volume_id} does not exist`));
    const wanted = req.capacity_range?.required_bytes ?? disk.bytes;
    const max = parseQuantity(disk.context[PARAM_MAX_SIZE]);
    if (max !== undefined && wanted > max) {
      return reply(fail(grpc.status.OUT_OF_RANGE, `disk ${req.volume_id}: requested size ${wanted} exceeds the backend limit of ${max} bytes`));
    }
    const offline = disk.context[PARAM_OFFLINE_EXPANSION] === 'true';
    if (offline && disk.attachedTo.size) return reply(fail(grpc.status.FAILED_PRECONDITION, `disk ${req.volume_id} is attached to ${[...disk.attachedTo].join(', ')}: it can be expanded only while detached`));
    disk.bytes = Math.max(disk.bytes, wanted);
    const nodeExpansion = offline || disk.context[PARAM_NODE_EXPANSION] === 'true';
    if (!nodeExpansion) disk.fsBytes = disk.bytes;
    reply(null, { capacity_bytes: disk.bytes, node_expansion_required: nodeExpansion });
  }
}
