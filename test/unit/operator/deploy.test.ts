// The operator's deployment artefacts: the committed manifests and chart RBAC are what
// scripts/deploy-manifests.ts generates from src/operator/rbac.ts, they grant exactly those rules, the pod
// runs locked down, and the chart's values, schema and templates agree with each other.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { Check } from 'typebox/schema';
import { parse, parseAllDocuments } from 'yaml';
import { deployFiles } from '../../../scripts/deploy-manifests.ts';
import { addOperatorCommand, operatorOptions } from '../../../src/cli/operator-command.ts';
import { kebab, operatorArgs, rbacObjects } from '../../../src/operator/deploy-manifests.ts';
import { ACCESS, type PolicyRule } from '../../../src/operator/rbac.ts';

type K8sObject = { kind: string; metadata: { name: string }; rules?: PolicyRule[]; roleRef?: { name: string }; spec?: any };

const MANIFESTS = 'deploy/manifests';
const CHART = 'deploy/helm/stsvol';
const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const read = (path: string) => readFileSync(path, 'utf8');
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as K8sObject).filter(Boolean);
const manifest = (file: string) => docs(read(`${MANIFESTS}/${file}`));
const manifestFiles = readdirSync(MANIFESTS).filter((f) => f.endsWith('.yaml'));
const accessOf = (name: string) => ACCESS.find((a) => name.endsWith(`-${kebab(a.feature)}`));

describe('deploy manifests', () => {
  it('are what node scripts/deploy-manifests.ts writes (npm run deploy:manifests after changing rbac.ts)', () => {
    for (const [path, content] of Object.entries(deployFiles())) assert.equal(read(path), content, `${path} is stale`);
    assert.deepEqual(manifestFiles.sort(), ['feature-auto-expand.yaml', 'feature-dashboard.yaml', 'feature-janitor.yaml', 'feature-template-sync.yaml', 'stsvol-operator.yaml']);
  });

  it('grant each ClusterRole exactly the rules ACCESS lists for its feature, bound to the operator', () => {
    for (const file of manifestFiles) {
      for (const o of manifest(file)) {
        if (o.kind === 'ClusterRole') assert.deepEqual(o.rules, accessOf(o.metadata.name)?.clusterRules, `${file}: ${o.metadata.name}`);
        if (o.kind === 'ClusterRoleBinding') assert.equal(o.roleRef?.name, o.metadata.name);
        if (o.kind === 'Role') assert.deepEqual(o.rules, ACCESS.flatMap((a) => a.namespaceRules));
      }
    }
    const features = (file: string) => manifest(file).filter((o) => o.kind === 'ClusterRole').map((o) => accessOf(o.metadata.name)!.feature);
    assert.deepEqual(features('stsvol-operator.yaml'), ['base', 'events']);
    for (const f of ['autoExpand', 'templateSync', 'janitor', 'dashboard'] as const) assert.deepEqual(features(`feature-${kebab(f)}.yaml`), [f]);
  });

  it('write nothing by default but Events and the Lease', () => {
    for (const o of manifest('stsvol-operator.yaml')) {
      for (const r of o.rules ?? []) {
        const writes = r.verbs.filter((v) => WRITE_VERBS.includes(v));
        if (writes.length === 0) continue;
        const events = o.kind === 'ClusterRole' && r.resources.every((x) => x === 'events') && writes.every((v) => v === 'create' || v === 'patch');
        const leases = o.kind === 'Role' && r.resources.every((x) => x === 'leases');
        assert.ok(events || leases, `${o.metadata.name} writes ${r.resources.join(',')}`);
      }
    }
  });

  it('use no wildcard anywhere', () => {
    const rules = [...ACCESS.flatMap((a) => [...a.clusterRules, ...a.namespaceRules]), ...manifestFiles.flatMap((f) => manifest(f).flatMap((o) => o.rules ?? []))];
    for (const r of rules) assert.ok(![...r.apiGroups, ...r.resources, ...r.verbs].includes('*'), JSON.stringify(r));
    assert.doesNotMatch(read(`${CHART}/templates/rbac.yaml`), /\*/);
  });

  it('drop nodes/proxy when usage comes from Prometheus', () => {
    const features = { events: true, autoExpand: true, templateSync: false, janitor: false };
    const resources = (usageSource: 'kubelet' | 'prometheus') =>
      (rbacObjects({ namespace: 'ns', serviceAccount: 'sa', features, usageSource }) as K8sObject[]).flatMap((o) => o.rules ?? []).flatMap((r) => r.resources);
    assert.ok(resources('kubelet').includes('nodes/proxy'));
    assert.ok(!resources('prometheus').includes('nodes/proxy'));
  });

  it('run the operator as a non-root user on a read-only root file system', () => {
    const deployment = manifest('stsvol-operator.yaml').find((o) => o.kind === 'Deployment')!;
    const [container] = deployment.spec.template.spec.containers;
    assert.deepEqual(container.securityContext, {
      runAsNonRoot: true,
      runAsUser: 1000,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    assert.deepEqual(container.args, ['operator', '--namespace', 'stsvol', '--listen', ':8080', '--lease-name', 'stsvol-operator']);
    // The chart's Deployment is written by hand: it must say the same.
    const chart = read(`${CHART}/templates/deployment.yaml`);
    for (const line of ['runAsNonRoot: true', 'runAsUser: 1000', 'readOnlyRootFilesystem: true', 'allowPrivilegeEscalation: false', 'drop: [ALL]', 'type: RuntimeDefault'])
      assert.ok(chart.includes(line), `chart deployment: ${line}`);
  });

  it('pass one flag per switched-on feature, the janitor in dry run unless told otherwise', () => {
    const off = { events: false, autoExpand: false, templateSync: false, janitor: false };
    const tail = (o: Partial<Parameters<typeof operatorArgs>[0]>) => operatorArgs({ namespace: 'ns', image: 'i', features: off, ...o }).slice(7);
    assert.deepEqual(tail({}), ['--no-events']);
    assert.deepEqual(tail({ features: { ...off, events: true, janitor: true } }), ['--janitor', '--janitor-dry-run']);
    assert.deepEqual(tail({ features: { ...off, events: true, janitor: true }, janitorDryRun: false }), ['--janitor']);
    assert.deepEqual(tail({ features: { ...off, events: true, dashboard: true } }), ['--dashboard-listen', '127.0.0.1:8484'], 'the dashboard on loopback only');
    assert.deepEqual(tail({ features: { ...off, events: true, autoExpand: true, templateSync: true }, usageSource: 'prometheus', prometheusUrl: 'http://p:9090' }), [
      '--auto-expand', '--usage-source', 'prometheus', '--prometheus-url', 'http://p:9090', '--template-sync',
    ]);
  });

  it('give stsvol operator args it accepts, meaning what the features say', async () => {
    // The real command line, its action replaced: parse the args and build the options, start nothing.
    const parsed = async (args: string[]) => {
      const root = new Command().exitOverride();
      addOperatorCommand(root, {} as never, () => {});
      let options: ReturnType<typeof operatorOptions> | undefined;
      root.commands[0]!.action((flags) => void (options = operatorOptions(flags, {})));
      await root.parseAsync(args, { from: 'user' });
      return options!;
    };
    const deployment = manifest('stsvol-operator.yaml').find((o) => o.kind === 'Deployment')!;
    const base = await parsed(deployment.spec.template.spec.containers[0].args);
    assert.deepEqual([base.namespace, base.port, base.leaseName, base.events, base.autoExpand, base.templateSync, base.janitor], ['stsvol', 8080, 'stsvol-operator', true, false, false, false]);
    const all = await parsed(operatorArgs({ namespace: 'ns', image: 'i', features: { events: false, autoExpand: true, templateSync: true, janitor: true } }));
    assert.deepEqual([all.events, all.autoExpand, all.templateSync, all.janitor, all.janitorDryRun], [false, true, true, true, true]);
  });
});

describe('Helm chart', () => {
  const chart = parse(read(`${CHART}/Chart.yaml`));
  const values = parse(read(`${CHART}/values.yaml`));
  const templates = readdirSync(`${CHART}/templates`).map((f) => read(`${CHART}/templates/${f}`));

  it('has Chart.yaml v2 at the version of package.json', () => {
    const { version } = JSON.parse(read('package.json'));
    assert.deepEqual([chart.apiVersion, chart.name, chart.appVersion], ['v2', 'stsvol', version]);
  });

  it('has a value for every .Values path its templates use', () => {
    const paths = new Set(templates.flatMap((t) => [...t.matchAll(/\.Values((?:\.\w+)+)/g)].map((m) => m[1]!.slice(1))));
    assert.ok(paths.size > 10);
    for (const path of paths) {
      let node = values;
      for (const key of path.split('.')) {
        assert.ok(node !== null && typeof node === 'object' && key in node, `.Values.${path} is not in values.yaml`);
        node = node[key];
      }
    }
  });

  it('switches exactly the features of rbac.ts, the write features off by default', () => {
    assert.deepEqual(values.features, { events: true, autoExpand: false, templateSync: false, janitor: false, dashboard: false });
    assert.deepEqual(Object.keys(values.features), ACCESS.filter((a) => a.feature !== 'base').map((a) => a.feature));
  });

  it('checks its values with values.schema.json', () => {
    const schema = JSON.parse(read(`${CHART}/values.schema.json`));
    const valid = (v: unknown): boolean => Check(schema, v); // a plain boolean: Check's type guard would narrow `values`
    assert.ok(valid(values), 'values.yaml meets the schema');
    assert.ok(!valid({ ...values, features: { ...values.features, autoexpand: true } }), 'a misspelt feature is refused');
    assert.ok(!valid({ ...values, usage: { source: 'kubelet-api' } }), 'an unknown usage source is refused');
  });

  it('grants in rbac.yaml the rules of ACCESS, each feature behind its switch', () => {
    const text = read(`${CHART}/templates/rbac.yaml`);
    for (const a of ACCESS.filter((x) => x.feature !== 'base')) assert.ok(text.includes(`{{- if .Values.features.${a.feature} }}`), a.feature);
    // Every condition taken: drop the lines that are only template actions, fill in the expressions.
    const plain = text.split('\n').filter((l) => !/^\s*\{\{-.*\}\}\s*$/.test(l)).join('\n').replaceAll(/\{\{[^}]*\}\}/g, 'x');
    const roles = docs(plain).filter((o) => o.kind === 'ClusterRole');
    assert.deepEqual(roles.map((o) => o.rules), ACCESS.map((a) => a.clusterRules));
  });
});

describe('Dockerfile', () => {
  const stages = read('Dockerfile').split(/^FROM /m).slice(1);
  const runtime = stages.at(-1)!;

  it('runs on a Node 24 slim image as a non-root user', () => {
    assert.ok(stages.length >= 2, 'multi-stage');
    assert.match(runtime, /^node:24-(bookworm-)?slim\b/);
    const user = /^USER (\S+)$/m.exec(runtime)?.[1];
    assert.ok(user && !/^(root|0)(:|$)/.test(user), `USER ${user}`);
    assert.match(runtime, /^ENTRYPOINT \["node", "bin\/stsvol\.js"\]$/m);
    assert.match(runtime, /^CMD \["operator"\]$/m);
    assert.doesNotMatch(runtime, /^RUN /m, 'the runtime stage only copies');
  });
});
