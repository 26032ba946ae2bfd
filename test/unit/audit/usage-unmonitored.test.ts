import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/model/types.ts';
import { findingsOf, statefulSetOf, wellKept } from './well-kept.ts';

const unwatched = () => wellKept().filter((o) => o.kind !== 'PrometheusRule');

describe('usage-unmonitored', () => {
  it('reports a StatefulSet nothing watches, with the command that adds the alerts', () => {
    const [f] = findingsOf(unwatched(), 'usage-unmonitored');
    assert.match(f!.message, /nothing watches the volume usage of StatefulSet db\/pg: no alert rule on kubelet_volume_stats_\*, no stsvol operator, no auto-expansion/);
    assert.equal(f!.remediation[0]!.command, 'stsvol alerts | kubectl apply -f -');
  });

  it('is satisfied by a running stsvol operator, or by auto-expansion of the StatefulSet', () => {
    const operator = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'stsvol-operator', namespace: 'stsvol', labels: { 'app.kubernetes.io/name': 'stsvol', 'app.kubernetes.io/component': 'operator' } }, spec: { replicas: 2 } } as KubeObject;
    assert.deepEqual(findingsOf([...unwatched(), operator], 'usage-unmonitored'), []);
    const objects = unwatched();
    statefulSetOf(objects).metadata.annotations = { 'stsvol.io/auto-expand': 'true' };
    assert.deepEqual(findingsOf(objects, 'usage-unmonitored'), []);
  });

  it('does not count a rule on something else', () => {
    const other = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'cpu', namespace: 'm' }, spec: { groups: [{ rules: [{ alert: 'CPU', expr: 'rate(node_cpu_seconds_total[5m]) > 0.9' }] }] } } as KubeObject;
    assert.equal(findingsOf([...unwatched(), other], 'usage-unmonitored').length, 1);
  });
});
