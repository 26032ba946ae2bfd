// npm run cluster:up -- --nodes N [--zones a,b] --kubeconfig FILE
// The control plane of the tests as a sandbox: rehearse a runbook (stsvol resize, scale, recover)
// before running it in production. It has the test CSI driver (disk.csi.stsvol.test) with the
// snapshot stack, a default StorageClass "standard" and a VolumeSnapshotClass "standard" for it, and
// runs until interrupted (Ctrl-C), then removes everything.

import { copyFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { storageClass } from './objects.ts';
import { DRIVER, TestCluster } from './test-cluster.ts';

const { values } = parseArgs({ options: { nodes: { type: 'string', default: '3' }, zones: { type: 'string' }, kubeconfig: { type: 'string' } } });
const count = Number(values.nodes);
if (!Number.isInteger(count) || count < 1 || count > 50) {
  process.stderr.write(`cluster:up: --nodes ${values.nodes}: expected 1 to 50\n`);
  process.exit(2);
}
if (!values.kubeconfig) {
  process.stderr.write('cluster:up: --kubeconfig FILE is required (where to write the admin kubeconfig)\n');
  process.exit(2);
}
const zones = values.zones?.split(',').filter(Boolean) ?? [];
process.stderr.write(`starting a control plane with ${count} node(s)${zones.length ? ` in zones ${zones.join(', ')}` : ''} (the first run builds the components: 15-25 minutes)…\n`);
const cluster = await TestCluster.start(Array.from({ length: count }, (_, i) => ({ name: `node-${i + 1}`, ...(zones.length ? { zone: zones[i % zones.length] } : {}) })), { snapshots: true });
const sc = storageClass('standard');
await cluster.create({ ...sc, metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } });
await cluster.create({ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: 'standard' }, driver: DRIVER, deletionPolicy: 'Delete' } as never);
copyFileSync(cluster.kubeconfigPath, values.kubeconfig);
process.stderr.write(`ready in ${(cluster.startedInMs / 1000).toFixed(0)}s: export KUBECONFIG=${values.kubeconfig}\nCtrl-C stops it.\n`);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  process.stderr.write('stopping…\n');
  await cluster.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => {
  if (cluster.crashed) {
    process.stderr.write(`${cluster.crashed}\n`);
    void stop();
  }
}, 1000);
