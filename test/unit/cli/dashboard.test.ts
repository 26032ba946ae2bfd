// stsvol dashboard's flags and --export, in-process: bad input is one line and exit 2 before
// anything is served; the exported page carries its data and its code and asks for nothing else.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli } from '../../fixtures/cli.ts';

describe('stsvol dashboard', () => {
  it('refuses bad flags in one line, exit 2, before reading or serving', async () => {
    const cases: [string[], RegExp][] = [
      [['--port', '99999'], /^stsvol: error: --port 99999: expected a port from 0 to 65535/],
      [['--usage-interval', '1s'], /^stsvol: error: --usage-interval 1s: expected 0 \(off\) or a duration from 5s/],
      [['--token', 'short'], /^stsvol: error: --token: expected 16 to 256 characters/],
      [['-n', 'Not_A_Namespace'], /^stsvol: error: .*Not_A_Namespace/],
      [['--from', 'examples/nope.yaml'], /^stsvol: error: .*nope\.yaml/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(['dashboard', ...args, ...(args.includes('--from') ? [] : ['--from', 'examples'])]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.equal(r.stdout, '');
    }
  });

  it('--export writes one page holding the data and the code, allowed by hash, with no address to fetch', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'stsvol-export-')), 'incident.html');
    const r = await cli(['dashboard', '--from', 'examples/seed-001-node-lost.yaml', '--export', file]);
    assert.equal(r.code, 0, r.stderr);
    const html = readFileSync(file, 'utf8');
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'/);
    assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)="(?!data:)/i, 'nothing loaded from elsewhere');
    const data = JSON.parse(/<script type="application\/json" id="stsvol-data">(.*?)<\/script>/s.exec(html)![1]!);
    assert.deepEqual(Object.keys(data.details).sort(), data.state.rows.map((r: { key: string }) => r.key).sort());
    assert.ok(data.details['db/mysql'].topology.nodes.length > 0);
  });

  it('--export refuses a target it cannot write, and writes nothing', async () => {
    const r = await cli(['dashboard', '--from', 'examples', '--export', '/dev/null']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^stsvol: error: --export \/dev\/null/);
  });
});
