// The control plane itself: built from the pinned release, ready quickly once built, gone after stop.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { componentsDir, TestCluster } from './test-cluster.ts';

describe('test control plane', { timeout: 180_000 }, () => {
  it('runs the pinned Kubernetes release, stamped into the binaries', () => {
    const dir = componentsDir();
    const goMod = readFileSync(join(import.meta.dirname, 'components', 'kubernetes', 'go.mod'), 'utf8');
    const pinned = /k8s\.io\/kubernetes (v1\.\d+\.\d+)/.exec(goMod)![1]!;
    for (const bin of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
      assert.equal(execFileSync(join(dir, 'bin', bin), ['--version'], { encoding: 'utf8' }).trim(), `Kubernetes ${pinned}`);
    }
    assert.match(execFileSync(join(dir, 'bin', 'etcd'), ['--version'], { encoding: 'utf8' }), /etcd Version: 3\.\d+\.\d+/);
  });

  it('starts within 20 seconds once built, serves the API with RBAC, and leaves nothing behind', async () => {
    const cluster = await TestCluster.start([{ name: 'n1' }, { name: 'n2' }, { name: 'n3' }]);
    let stopped = false;
    try {
      console.log(`# warm start of the control plane with 3 nodes: ${(cluster.startedInMs / 1000).toFixed(1)} s`);
      assert.ok(cluster.startedInMs < 20_000, `ready in ${cluster.startedInMs} ms`);
      const nodes = await cluster.list('v1', 'Node');
      assert.deepEqual(nodes.map((n) => n.metadata!.name).sort(), ['n1', 'n2', 'n3']);
      const csiNodes = await cluster.list('storage.k8s.io/v1', 'CSINode');
      assert.equal(csiNodes.length, 3);
      const roles = await cluster.list('rbac.authorization.k8s.io/v1', 'ClusterRole');
      assert.ok(roles.some((r) => r.metadata!.name === 'system:controller:attachdetach-controller'), 'RBAC is on, with upstream bootstrap roles');
      const dir = cluster.dir;
      await cluster.stop();
      stopped = true;
      assert.ok(!existsSync(dir), 'its temporary directory is removed');
      const leftovers = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(dir));
      assert.deepEqual(leftovers, [], 'no component outlives stop()');
    } finally {
      if (!stopped) await cluster.stop();
    }
  });
});
