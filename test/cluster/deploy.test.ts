// What users install, checked by the tools that install it: the chart linted and rendered by a real
// helm (built from helm.sh/helm/v4), every object of the rendered chart and of the plain manifests
// accepted by the API server (a server-side apply dry run: schema, defaulting, RBAC escalation
// checks), and the read-only identity of deploy/ci proven enough for doctor, audit and snapshot and
// nothing more. One control plane without nodes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { createKubeTransport } from '../../src/model/kube-transport.ts';
import { allowed, serviceAccountKubeconfig } from './operator-process.ts';
import { stsvol } from './operate.ts';
import { TestCluster } from './test-cluster.ts';

const CHART = 'deploy/helm/stsvol';
const RELEASE_NAMESPACE = 'stsvol';
type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };

let cluster: TestCluster;
const run = promisify(execFile);

async function helm(args: string[]): Promise<string> {
  const { stdout } = await run(join(cluster.componentsDir, 'bin', 'helm'), args, { env: { ...process.env, HELM_CACHE_HOME: join(cluster.dir, 'helm-cache'), HELM_CONFIG_HOME: join(cluster.dir, 'helm-config'), HELM_DATA_HOME: join(cluster.dir, 'helm-data') } });
  return stdout;
}

const objectsOf = (yaml: string) => parseAllDocuments(yaml).map((d) => d.toJS() as Obj | null).filter((o): o is Obj => Boolean(o?.kind));

/** Where the API serves a kind: from discovery, as kubectl finds it. */
async function resourcePath(o: Obj): Promise<string> {
  const t = createKubeTransport({ kubeconfig: cluster.kubeconfigPath });
  const base = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
  const list = JSON.parse((await t.get(base)).body) as { resources: { name: string; kind: string; namespaced: boolean }[] };
  const resource = list.resources.find((r) => r.kind === o.kind && !r.name.includes('/'));
  assert.ok(resource, `${o.apiVersion} ${o.kind} is served`);
  const namespace = resource.namespaced ? `/namespaces/${o.metadata.namespace ?? RELEASE_NAMESPACE}` : '';
  return `${base}${namespace}/${resource.name}/${o.metadata.name}`;
}

/** Server-side apply with dryRun=All: the API server validates, defaults and authorizes the object
 *  as it would install it, and stores nothing. Returns the refusals, "Kind name: message". */
async function dryRunApply(objects: Obj[]): Promise<string[]> {
  const t = createKubeTransport({ kubeconfig: cluster.kubeconfigPath });
  const refused: string[] = [];
  for (const o of objects) {
    const r = await t.request('PATCH', `${await resourcePath(o)}?dryRun=All&fieldManager=stsvol-ci&force=true`, { json: o, contentType: 'application/apply-patch+yaml' });
    if (r.status >= 300) refused.push(`${o.kind} ${o.metadata.name}: ${r.status} ${(JSON.parse(r.body) as { message?: string }).message}`);
  }
  return refused;
}

describe('what users install', { timeout: 600_000 }, () => {
  before(async () => {
    cluster = await TestCluster.start([]);
    await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: RELEASE_NAMESPACE } } as never);
  });
  after(() => cluster?.stop());

  it('helm lints the chart strictly, with its defaults and with every feature on', async () => {
    assert.match(await helm(['version', '--short']), /^v4\.\d+\.\d+/);
    assert.match(await helm(['lint', CHART, '--strict']), /1 chart\(s\) linted, 0 chart\(s\) failed/);
    assert.match(await helm(['lint', CHART, '--strict', '--set', 'features.autoExpand=true,features.templateSync=true,features.janitor=true,features.dashboard=true']), /0 chart\(s\) failed/);
  });

  for (const [what, set] of [['defaults', []], ['every feature, Prometheus as the usage source', ['--set', 'features.autoExpand=true,features.templateSync=true,features.janitor=true,features.dashboard=true,usage.source=prometheus,usage.prometheusUrl=http://prometheus:9090']]] as const) {
    it(`the chart rendered with ${what} is accepted by the API server, object by object`, async () => {
      const objects = objectsOf(await helm(['template', 'stsvol', CHART, '-n', RELEASE_NAMESPACE, ...set]));
      assert.ok(objects.some((o) => o.kind === 'Deployment') && objects.some((o) => o.kind === 'ClusterRole'), 'a Deployment and its RBAC');
      assert.deepEqual(await dryRunApply(objects), []);
    });
  }

  it('the chart refuses a misspelt value (values.schema.json), through helm', async () => {
    await assert.rejects(helm(['template', 'stsvol', CHART, '--set', 'feature.autoExpand=true']), /additional properties|feature/);
  });

  it('the plain manifests are accepted by the API server, object by object', async () => {
    for (const dir of ['deploy/manifests', 'deploy/ci']) {
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
        const objects = objectsOf(readFileSync(join(dir, file), 'utf8'));
        assert.ok(objects.length > 0, file);
        // A dry run creates no namespace, so the objects in one a file creates would be refused: its
        // namespaces are made for real first, as an apply of the file would make them first.
        for (const ns of objects.filter((o) => o.kind === 'Namespace')) await cluster.create(ns as never).catch(() => undefined);
        assert.deepEqual(await dryRunApply(objects.filter((o) => o.kind !== 'Namespace')), [], `${dir}/${file}`);
      }
    }
  });

  it('the read-only identity of deploy/ci reads all doctor and audit need, and may change nothing', async () => {
    for (const o of objectsOf(readFileSync('deploy/ci/stsvol-readonly.yaml', 'utf8'))) {
      await cluster.create(o as never).catch((err: { code?: number }) => { if (err.code !== 409) throw err; }); // the namespace, made by the test above
    }
    const kubeconfig = await serviceAccountKubeconfig(cluster, 'stsvol-ci', 'stsvol-readonly');
    const doctor = await stsvol(kubeconfig, ['doctor', '-o', 'json']);
    assert.equal(doctor.code, 0, doctor.stderr + doctor.stdout);
    const report = JSON.parse(doctor.stdout);
    assert.deepEqual(report.notices.filter((n: { reason: string }) => n.reason === 'forbidden'), [], 'no kind hidden from it');
    assert.equal(report.summary.complete, true);
    const audit = await stsvol(kubeconfig, ['audit', '-o', 'json']);
    assert.equal(audit.code, 0, audit.stderr + audit.stdout);
    const audited = JSON.parse(audit.stdout);
    assert.deepEqual(audited.notices.filter((n: { reason: string }) => n.reason === 'forbidden'), [], 'no kind hidden from audit');
    assert.equal((await stsvol(kubeconfig, ['snapshot', '-f', join(cluster.dir, 'ci-snapshot.json')])).code, 0);
    for (const [verb, resource, group] of [['delete', 'pods', ''], ['patch', 'persistentvolumeclaims', ''], ['list', 'secrets', ''], ['get', 'configmaps', ''], ['create', 'statefulsets', 'apps'], ['get', 'pods', '']] as const) {
      assert.equal(await allowed(kubeconfig, { verb, resource, group, namespace: 'default' }), false, `${verb} ${resource}`);
    }
    const refused = await stsvol(kubeconfig, ['scale', 'web', '-n', 'default', '--replicas', '1']);
    assert.notEqual(refused.code, 0, 'an operation cannot even look for its journals');
  });
});
