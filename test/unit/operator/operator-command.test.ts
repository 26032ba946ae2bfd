// `stsvol operator`'s command line: bad flags are one line and exit 2 before any cluster is
// contacted; the leader election timings must keep client-go's order; a feature that needs usage
// numbers gets a source.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { operatorOptions } from '../../../src/cli/operator-command.ts';
import { cli } from '../../fixtures/cli.ts';

const DEFAULTS = { requestTimeout: '30s', listen: ':8080', leaseName: 'stsvol-operator', leaseDuration: '15s', renewDeadline: '10s', retryPeriod: '2s', events: true, usageInterval: '1m', resync: '30m' };

describe('stsvol operator flags', () => {
  for (const [args, message] of [
    [['--lease-duration', 'soon'], /--lease-duration soon: not a positive duration/],
    [['--lease-duration', '5s', '--renew-deadline', '10s'], /--lease-duration must be longer than --renew-deadline/],
    [['--listen', 'everywhere'], /--listen everywhere: not an address/],
    [['--usage-source', 'prometheus'], /needs --prometheus-url/],
    [['--auto-expand', '--usage-source', 'none'], /--auto-expand needs a usage source/],
    [['--dashboard-listen', '0.0.0.0:8484'], /--dashboard-listen 0\.0\.0\.0:8484: expected a loopback address and port/],
    [['--dashboard-listen', ':8484'], /--dashboard-listen :8484: expected a loopback address/],
  ] as const) {
    it(`refuses ${args.join(' ')} in one line, exit 2`, async () => {
      const r = await cli(['operator', ...args], { env: {} });
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    });
  }

  it('reads its identity and Lease namespace from the pod, and picks the kubelet for auto-expansion', () => {
    const o = operatorOptions({ ...DEFAULTS, autoExpand: true, janitorDryRun: true }, { POD_NAME: 'stsvol-7d9-abc', POD_NAMESPACE: 'stsvol' }, 'ignored');
    assert.equal(o.identity, 'stsvol-7d9-abc');
    assert.equal(o.namespace, 'stsvol');
    assert.deepEqual([o.autoExpand, o.janitor, o.janitorDryRun, o.leaseDurationMs, o.host, o.port], [true, true, true, 15_000, '0.0.0.0', 8080]);
  });
});
