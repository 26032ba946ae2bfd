import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resizeUnsupported } from '../../../src/checks/rules/resize-unsupported.ts';
import { bind, claim, event, run, storageClass, volume } from '../../fixtures/build.ts';

const EXTERNAL = "Ignoring the PVC: didn't find a plugin capable of expanding the volume; waiting for an external controller to process this PVC.";

describe('resize-unsupported', () => {
  it('reports a local-path claim asking for more than it has (seed 002)', () => {
    const [c, v] = bind(claim('zk', 'data-zk-0', { cls: 'local-path', size: '10Gi', capacity: '8Gi' }), volume('pv-zk', { cls: 'local-path', size: '8Gi', hostPath: true, provisionedBy: 'rancher.io/local-path' }));
    const [f] = run(resizeUnsupported, [storageClass('local-path', { provisioner: 'rancher.io/local-path' }), c, v]);
    assert.equal(f!.severity, 'warning');
    assert.match(f!.message, /zk\/data-zk-0 requests 10Gi but has 8Gi, and nothing will expand it: its provisioner rancher.io\/local-path cannot expand volumes/);
    assert.ok(!f!.remediation.some((s) => s.command?.includes('"storage":"8Gi"')), 'the API refuses a request lowered to status.capacity');
    assert.ok(f!.remediation.some((s) => /move the data to a claim in a class that can expand/.test(s.text)));
  });

  it('reports a class that forbids expansion, and an expander waiting for a resizer that never comes', () => {
    const locked = claim('a', 'locked', { cls: 'locked', size: '20Gi', capacity: '10Gi' });
    const orphaned = claim('a', 'orphaned', { cls: 'csi', size: '20Gi', capacity: '10Gi' });
    const findings = run(resizeUnsupported, [
      storageClass('locked', { expand: false }), storageClass('csi', { provisioner: 'example.csi.io' }),
      locked, orphaned, event(orphaned, 'ExternalExpanding', EXTERNAL, { first: 45 }),
    ]);
    const byName = new Map(findings.map((f) => [f.object.name, f]));
    assert.match(byName.get('locked')!.message, /class locked does not allow expansion/);
    assert.match(byName.get('orphaned')!.message, /no resizer has acted in 45m/);
  });

  it('stays silent while a resizer works, a failure is reported, or the claim has what it asks', () => {
    const working = claim('a', 'working', { cls: 'csi', size: '20Gi', capacity: '10Gi' });
    const failing = claim('a', 'failing', { cls: 'local-path', size: '20Gi', capacity: '10Gi', conditions: [{ type: 'ControllerResizeError', message: 'x' }] });
    assert.deepEqual(run(resizeUnsupported, [
      storageClass('csi', { provisioner: 'example.csi.io' }), storageClass('local-path', { provisioner: 'rancher.io/local-path' }),
      working, event(working, 'ExternalExpanding', EXTERNAL, { first: 45 }), event(working, 'Resizing', 'External resizer is resizing volume', { type: 'Normal' }),
      failing, claim('a', 'fine', { cls: 'local-path' }),
    ]), []);
  });
});
