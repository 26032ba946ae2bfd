// stsvol alerts: every check that can raise critical has its alert (with --operator), every runbook
// link lands on a heading of the docs, and the command prints rules Prometheus (and the Prometheus
// Operator) load.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { CATALOG, CHECK_IDS, type CheckId } from '../../../src/checks/catalog.ts';
import { alertRuleGroups, CRITICAL_CHECKS, DEFAULT_RUNBOOK_BASE, ESCALATED_TO_CRITICAL, FORECAST_LEAD_SECONDS, githubAnchor, prometheusRule, type AlertRule } from '../../../src/operator/alerts.ts';
import { METRIC } from '../../../src/operator/metrics.ts';
import { cli } from '../../fixtures/cli.ts';

const options = { docsBase: DEFAULT_RUNBOOK_BASE, operator: true };
const rules: AlertRule[] = alertRuleGroups(options).flatMap((g) => g.rules);
const named = (alert: string) => rules.filter((r) => r.alert === alert);

/** Exported helpers of src/checks/*.ts whose body can hand a rule 'critical' (severityForClaim). */
function criticalHelpers(): string[] {
  const names: string[] = [];
  for (const file of readdirSync('src/checks').filter((f) => f.endsWith('.ts'))) {
    for (const chunk of readFileSync(join('src/checks', file), 'utf8').split(/^(?=export )/m)) {
      const name = /^export function (\w+)/.exec(chunk)?.[1];
      if (name && chunk.includes("'critical'")) names.push(name);
    }
  }
  return names;
}

/** What the rule sources can raise critical: the catalog default, a literal, or a helper. */
function checksRaisingCritical(): Set<CheckId> {
  const helpers = criticalHelpers();
  const found = new Set<CheckId>(CHECK_IDS.filter((id) => CATALOG[id].severity === 'critical'));
  for (const file of readdirSync('src/checks/rules').filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join('src/checks/rules', file), 'utf8');
    const id = /const ID = '([^']+)'/.exec(source)?.[1] as CheckId | undefined;
    assert.ok(id && CHECK_IDS.includes(id), `${file} declares its check id`);
    if (source.includes("'critical'") || helpers.some((h) => source.includes(`${h}(`))) found.add(id);
  }
  return found;
}

/** GitHub's anchors of a Markdown file's headings, fenced code skipped, repeats numbered as GitHub does. */
function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? undefined : /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = githubAnchor(heading);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n ? `${slug}-${n}` : slug);
  }
  return anchors;
}

describe('alerts: checks', () => {
  it('lists exactly the checks whose rules can raise critical (catalog default, literal or helper)', () => {
    const raising = checksRaisingCritical();
    assert.ok(raising.has('stale-volumeattachment') && raising.has('pvc-no-provisioner'), 'the scan sees literals and helpers');
    assert.deepEqual([...CRITICAL_CHECKS].sort(), [...raising].sort());
  });

  it('escalates only checks whose default is below critical', () => {
    for (const id of ESCALATED_TO_CRITICAL) assert.notEqual(CATALOG[id].severity, 'critical', id);
  });

  it('has exactly one critical alert per critical-capable check, and none for the others', () => {
    for (const id of CHECK_IDS) {
      const selecting = rules.filter((r) => r.expr.includes(`check="${id}"`));
      assert.equal(selecting.length, CRITICAL_CHECKS.includes(id) ? 1 : 0, id);
      for (const r of selecting) {
        assert.match(r.expr, new RegExp(`${METRIC.findings}\\{check="${id}",severity="critical"\\}`));
        assert.equal(r.labels.severity, 'critical');
        assert.equal(r.for, '5m');
        assert.match(r.annotations.summary, /\{\{ \$labels\.namespace \}\}\/\{\{ \$labels\.workload \}\}/);
      }
    }
  });
});

describe('alerts: volumes and operator', () => {
  it('warns like kubernetes-mixin: under 15% free and predict_linear says empty within 4 days, for 1h', () => {
    for (const [alert, free] of [['StsvolVolumeFillingUp', 'kubelet_volume_stats_available_bytes'], ['StsvolVolumeInodesFillingUp', 'kubelet_volume_stats_inodes_free']]) {
      const warning = named(alert!).find((r) => r.labels.severity === 'warning');
      assert.ok(warning, alert);
      assert.ok(warning.expr.includes(`predict_linear(${free}[6h], 4 * 24 * 3600) < 0`), alert);
      assert.match(warning.expr, /\) < 0\.15\n/);
      assert.equal(warning.for, '1h');
    }
  });

  it('pages under 3% free, from the kubelet or else the operator, with the mixin exclusions', () => {
    for (const alert of ['StsvolVolumeFillingUp', 'StsvolVolumeInodesFillingUp']) {
      const critical = named(alert).filter((r) => r.labels.severity === 'critical');
      assert.equal(critical.length, 1, `${alert}: one rule per name and severity (promtool's duplicate-rules lint)`);
      assert.match(critical[0]!.expr, /\) < 0\.03\n/);
      assert.equal(critical[0]!.for, '1m');
    }
    for (const r of rules.filter((r) => r.expr.includes('kubelet_volume_stats_'))) {
      assert.ok(r.expr.includes('kube_persistentvolumeclaim_access_mode{access_mode="ReadOnlyMany"} == 1'), r.alert);
      assert.ok(r.expr.includes('kube_persistentvolumeclaim_labels{label_excluded_from_alerts="true"} == 1'), r.alert);
    }
  });

  it('alerts on the operator forecast and on the operator itself', () => {
    assert.ok(named('StsvolVolumeForecastFull')[0]?.expr.endsWith(`(${METRIC.volumeFullInSeconds}) < ${FORECAST_LEAD_SECONDS}`));
    assert.match(named('StsvolOperatorDown')[0]?.expr ?? '', /absent\(up\{job=~"\.\*stsvol\.\*"\} == 1\)/);
    assert.ok(named('StsvolAutoExpansionFailing')[0]?.expr.includes(`increase(${METRIC.expansionFailures}[1h])`));
    assert.ok(named('StsvolWatchRestartsHigh')[0]?.expr.includes(`rate(${METRIC.watchRestarts}[15m])`));
  });

  it('names only metrics the operator exports', () => {
    const exported = new Set<string>(Object.values(METRIC));
    for (const r of rules) for (const [name] of r.expr.matchAll(/\bstsvol_\w+/g)) assert.ok(exported.has(name), `${r.alert}: ${name}`);
  });

  it('gives each alert a summary, a description and a runbook_url onto a heading of the docs: a check alert onto its own check', () => {
    assert.ok(anchorsOf('README.md').has('resize-seeds-002-and-003') || anchorsOf('README.md').has('check-catalog'), 'GitHub slugs');
    for (const r of rules) {
      assert.ok(r.annotations.summary && r.annotations.description, r.alert);
      assert.ok(r.annotations.runbook_url.startsWith(DEFAULT_RUNBOOK_BASE), r.alert);
      const [page, anchor] = r.annotations.runbook_url.slice(DEFAULT_RUNBOOK_BASE.length).split('#');
      assert.ok(anchorsOf(`docs/${page}`).has(anchor!), `${r.alert}: docs/${page} has no heading #${anchor}`);
      const check = /check="([^"]+)"/.exec(r.expr)?.[1];
      if (check) assert.equal(r.annotations.runbook_url, `${DEFAULT_RUNBOOK_BASE}checks.md#${check}`);
    }
  });

  it('without --operator, prints only the alerts that need no operator: none on findings, forecast or its health', () => {
    const plain = alertRuleGroups({ ...options, operator: false }).flatMap((g) => g.rules);
    assert.deepEqual([...new Set(plain.map((r) => r.alert))], ['StsvolVolumeFillingUp', 'StsvolVolumeInodesFillingUp']);
  });
});

describe('docs/alerts.md', () => {
  it('lists every alert with its severities and what it needs scraped', () => {
    const doc = readFileSync('docs/alerts.md', 'utf8');
    for (const r of rules) assert.match(doc, new RegExp(`\\| \`${r.alert}\` \\| ${r.labels.severity} \\| [^|]+ \\| [^|]*(kubelet|operator)[^|]* \\|`), `${r.alert} (${r.labels.severity})`);
  });
});

describe('stsvol alerts', () => {
  it('prints a PrometheusRule by default, in -n, with the rule groups', async () => {
    const { code, stdout, stderr } = await cli(['alerts', '--operator']);
    assert.equal(code, 0, stderr);
    const doc = parse(stdout);
    assert.equal(doc.apiVersion, 'monitoring.coreos.com/v1');
    assert.equal(doc.kind, 'PrometheusRule');
    assert.equal(doc.metadata.namespace, 'monitoring');
    assert.deepEqual(doc.spec.groups, alertRuleGroups(options));
    assert.equal(parse((await cli(['alerts', '-n', 'observability'])).stdout).metadata.namespace, 'observability');
    assert.deepEqual(parse((await cli(['alerts'])).stdout).spec.groups.map((g: { name: string }) => g.name), ['stsvol-volumes'], 'no operator, no alerts that need one');
    assert.deepEqual(prometheusRule({ ...options, name: 'x', namespace: 'y' }).spec.groups, doc.spec.groups);
  });

  it('prints a plain rule file with --format rules, as YAML or JSON', async () => {
    const yaml = parse((await cli(['alerts', '--format', 'rules', '--operator'])).stdout);
    assert.deepEqual(Object.keys(yaml), ['groups']);
    assert.deepEqual(yaml.groups, alertRuleGroups(options));
    assert.deepEqual(JSON.parse((await cli(['alerts', '--format', 'rules', '--operator', '-o', 'json'])).stdout), yaml);
  });

  it('points the runbooks at --runbook-base, and still takes the old --runbook-url with a note', async () => {
    const base = 'https://git.example.com/ops/stsvol/docs';
    const doc = parse((await cli(['alerts', '--operator', '--runbook-base', base])).stdout);
    for (const g of doc.spec.groups) for (const r of g.rules) assert.match(r.annotations.runbook_url, /^https:\/\/git\.example\.com\/ops\/stsvol\/docs\/(checks|alerts)\.md#/, r.alert);
    const old = await cli(['alerts', '--runbook-url', 'https://git.example.com/ops/stsvol/README.md']);
    assert.match(old.stderr, /--runbook-url is deprecated: use --runbook-base/);
    assert.match(parse(old.stdout).spec.groups[0].rules[0].annotations.runbook_url, /^https:\/\/git\.example\.com\/ops\/stsvol\/docs\/alerts\.md#volume-alerts$/);
  });

  const bad: [string, string[], RegExp][] = [
    ['--format', ['--format', 'xml'], /--format xml: expected prometheusrule or rules/],
    ['-o', ['-o', 'text'], /-o text: expected yaml or json/],
    ['-n', ['-n', 'Not_A_Namespace'], /not a valid namespace name/],
    ['--runbook-base', ['--runbook-base', 'https://x.example/docs#top'], /without a #fragment/],
  ];
  for (const [flag, args, message] of bad) {
    it(`exits 2 on a bad ${flag}, with one line on stderr and nothing on stdout`, async () => {
      const { code, stdout, stderr } = await cli(['alerts', ...args]);
      assert.equal(code, 2);
      assert.equal(stdout, '');
      assert.match(stderr, /^stsvol: error: /);
      assert.match(stderr, message);
      assert.equal(stderr.trim().split('\n').length, 1);
    });
  }
});
