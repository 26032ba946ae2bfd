// Live mode and `stsvol snapshot` through the CLI, with the cluster's list responses replayed from
// the seed examples: doctor live, and doctor on the snapshot of that same moment, agree; and a
// snapshot holds only what stsvol reads, whatever the cluster put in its objects.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { eventToWire } from '../../../src/model/snapshot.ts';
import { loadOffline } from '../../../src/model/offline.ts';
import { serve } from '../../fixtures/api-server.ts';
import { cli } from '../../fixtures/cli.ts';
import { RecordedTransport } from '../../fixtures/recorded-transport.ts';

const CAPTURED = Date.parse('2026-03-10T10:30:00Z');

async function recordedCluster(options: ConstructorParameters<typeof Object>[0] = {}, extraPods: object[] = []): Promise<RecordedTransport> {
  const { snapshot } = await loadOffline(['examples/seed-001-node-lost.yaml']);
  // Replay the same objects the API would list; events go back to their core/v1 wire shape.
  const fields: Record<string, unknown[]> = {
    nodes: snapshot.nodes, pods: [...snapshot.pods, ...extraPods], persistentvolumeclaims: snapshot.claims, persistentvolumes: snapshot.volumes,
    storageclasses: snapshot.storageClasses, csidrivers: snapshot.csiDrivers, csinodes: snapshot.csiNodes,
    volumeattachments: snapshot.attachments, statefulsets: snapshot.statefulSets, events: snapshot.events.map(eventToWire),
  };
  return RecordedTransport.serving(fields, { pageSize: 3, ...(options as object) });
}

const tmp = () => mkdtempSync(join(tmpdir(), 'stsvol-snap-'));

describe('live doctor and stsvol snapshot', () => {
  it('finds live what it finds offline, and the snapshot reads back to the same findings and notices', async () => {
    const broken = { metadata: { name: 'broken', namespace: 'db' }, spec: { nodeName: 42 } };
    const cluster = () => recordedCluster({ status: { volumesnapshots: 404, resourcequotas: 403 } }, [broken]);
    const transport = await cluster();
    const live = JSON.parse((await cli(['doctor', '-o', 'json'], { transports: () => transport, now: CAPTURED })).stdout);
    const offline = JSON.parse((await cli(['doctor', '--from', 'examples/seed-001-node-lost.yaml', '-o', 'json'])).stdout);
    assert.equal(live.summary.source, 'live');
    assert.equal(live.summary.clock, 'wall-clock');
    assert.deepEqual(live.findings, offline.findings);

    const file = join(tmp(), 'snap.json');
    const snap = await cli(['snapshot', '-f', file], { transports: cluster, now: CAPTURED });
    assert.equal(snap.code, 0);
    assert.match(snap.stderr, /wrote \d+ objects \(\d+ requests\) to .*snap\.json\n  skipped ResourceQuota: listing resourcequotas\.core\/v1 is forbidden by RBAC/);
    assert.match(snap.stderr, /skipped 1 invalid object\(s\); the snapshot records them/);
    const report = JSON.parse((await cli(['doctor', '--from', file, '-o', 'json'], { now: CAPTURED + 7 * 86_400_000 })).stdout);
    assert.equal(report.summary.clock, 'captured-at');
    assert.deepEqual(report.findings, live.findings);
    assert.ok(live.notices.some((n: { reason: string; object?: { name: string } }) => n.reason === 'invalid' && n.object?.name === 'broken'));
    assert.deepEqual(report.notices, live.notices, 'the kinds live could not read and the objects it skipped are recorded, so offline says the same');
  });

  it('names at most 100 skipped objects in a snapshot and counts the rest, so the report counts them all', async () => {
    const broken = Array.from({ length: 150 }, (_, i) => ({ metadata: { name: `broken-${i}`, namespace: 'db' }, spec: { nodeName: 42 } }));
    const file = join(tmp(), 'snap.json');
    assert.equal((await cli(['snapshot', '-f', file], { transports: () => recordedCluster({}, broken), now: CAPTURED })).code, 0);
    const { stdout } = await cli(['doctor', '--from', file]);
    assert.match(stdout, /note: 150 input object\(s\) skipped:/);
  });

  it('holds only the fields stsvol reads: no container command, environment or args but the leader-election flags, no unknown annotation or class parameter', async () => {
    const secret = 'hunter2';
    const container = { name: 'app', image: 'db:1', command: ['sh', '-c', `PGPASSWORD=${secret} run`], args: [`--token=${secret}`], env: [{ name: 'P', value: secret }, { name: 'F', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] };
    const podSpec = { containers: [container], initContainers: [container], ephemeralContainers: [container] };
    const annotations = { 'kubectl.kubernetes.io/last-applied-configuration': `{"p":"${secret}"}`, 'vault.hashicorp.com/agent-inject-secret-db': secret, 'meta.helm.sh/release-name': 'db' };
    const cluster = RecordedTransport.serving({
      nodes: [{ metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'a' } }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }],
      pods: [{ metadata: { name: 'db-0', namespace: 'db', annotations, managedFields: [{ manager: secret }] }, spec: { ...podSpec, nodeName: 'n1' } }],
      statefulsets: [{ metadata: { name: 'db', namespace: 'db', annotations }, spec: { replicas: 1, template: { metadata: { annotations }, spec: podSpec } } }],
      deployments: [{ metadata: { name: 'web', namespace: 'db' }, spec: { replicas: 1, template: { spec: podSpec } } }],
      replicasets: [{ metadata: { name: 'web-1', namespace: 'db' }, spec: { replicas: 1, template: { spec: podSpec } } }],
      storageclasses: [{ metadata: { name: 'ceph' }, provisioner: 'rbd.csi.ceph.com', parameters: { 'csi.storage.k8s.io/fstype': 'ext4', userKey: secret, 'csi.storage.k8s.io/provisioner-secret-name': 'ceph-admin' } }],
      events: [{ metadata: { name: 'e', namespace: 'db' }, involvedObject: { kind: 'Pod', namespace: 'db', name: 'db-0' }, reason: 'FailedMount', message: 'MountVolume.SetUp failed: the evidence stays', type: 'Warning' }],
    });
    for (const name of ['snap.json', 'snap.yaml']) {
      const file = join(tmp(), name);
      assert.equal((await cli(['snapshot', '-f', file], { transports: () => cluster })).code, 0);
      const written = readFileSync(file, 'utf8');
      for (const gone of [secret, 'ceph-admin', 'managedFields', 'last-applied-configuration', 'vault.hashicorp.com', 'command', '"args"', 'args:', 'env', 'initContainers', 'ephemeralContainers']) {
        assert.ok(!written.includes(gone), `${name} holds no "${gone}"`);
      }
      for (const kept of ['meta.helm.sh/release-name', 'csi.storage.k8s.io/fstype', 'topology.kubernetes.io/zone', 'the evidence stays', 'db:1']) assert.ok(written.includes(kept), `${name} keeps ${kept}`);
      const { snapshot } = await loadOffline([file]);
      assert.equal(snapshot.pods[0]!.spec!.nodeName, 'n1', `${name} reads back`);
    }
  });

  it('writes to standard output by default, -o picks the format, and refuses a directory or a device', async () => {
    const out = await cli(['snapshot'], { transports: recordedCluster, now: CAPTURED });
    assert.equal(out.code, 0);
    const list = JSON.parse(out.stdout);
    assert.equal(list.kind, 'List');
    assert.equal(list.metadata.annotations['stsvol.io/captured-at'], '2026-03-10T10:30:00Z');
    assert.ok(list.items.length > 10);
    const yaml = await cli(['snapshot', '-o', 'yaml'], { transports: recordedCluster });
    assert.match(yaml.stdout, /^apiVersion: "v1"\nkind: "List"\n/, "every string double-quoted, so escapes stay escapes");
    const dir = tmp();
    for (const [target, message] of [[dir, /is a directory/], ['/dev/null', /is not a regular file/]] as const) {
      const r = await cli(['snapshot', '-f', target], { transports: () => { throw new Error('the target is checked before the cluster is read'); } });
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
    }
  });

  it('still takes the old -o FILE (and --format), with a note that -o is the format now', async () => {
    const file = join(tmp(), 'old.yaml');
    const r = await cli(['snapshot', '-o', file], { transports: recordedCluster });
    assert.equal(r.code, 0);
    assert.match(r.stderr, /^stsvol: warning: -o FILE is deprecated: -o is the format \(json or yaml\); write to a file with -f /);
    assert.match(readFileSync(file, 'utf8'), /^apiVersion: "v1"\nkind: "List"/, 'the format still follows the file name');
    assert.match((await cli(['snapshot', '--format', 'yaml'], { transports: recordedCluster })).stdout, /^apiVersion: "v1"/);
    const both = await cli(['snapshot', '-o', 'out.json', '-f', 'x.json'], { transports: recordedCluster });
    assert.equal(both.code, 2);
  });

  it('leaves nothing behind when it fails: not on a cluster error, not on a failed write', async () => {
    const dir = tmp();
    const failing = RecordedTransport.serving({}, { status: { pods: 500 } });
    const r = await cli(['snapshot', '-f', join(dir, 'snap.json')], { transports: () => failing });
    assert.equal(r.code, 3);
    assert.deepEqual(readdirSync(dir), []);
    const missing = join(dir, 'no-such-dir', 'snap.json');
    const w = await cli(['snapshot', '-f', missing], { transports: recordedCluster });
    assert.equal(w.code, 74);
    assert.match(w.stderr, /cannot write: ENOENT; nothing was written/);
    // A write that fails half-way (the file size limit, as a full disk would): no partial file.
    const endpoint = await serve(await recordedCluster());
    const full = join(dir, 'full');
    mkdirSync(full);
    try {
      const script = `trap '' XFSZ; ulimit -f 2; exec "${process.execPath}" src/cli/main.ts snapshot --kubeconfig "${endpoint.kubeconfig}" -f "${join(full, 'snap.json')}"`;
      const result = await promisify(execFile)('bash', ['-c', script]).then(() => ({ code: 0, stderr: '' }), (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }));
      assert.equal(result.code, 74, result.stderr);
      assert.match(result.stderr, /^stsvol: error: -f .*snap\.json: cannot write: EFBIG; nothing was written\n$/);
      assert.deepEqual(readdirSync(full), [], 'neither the snapshot nor its temporary file');
      assert.ok(!existsSync(join(full, 'snap.json')));
    } finally {
      await endpoint.close();
    }
  });
});
