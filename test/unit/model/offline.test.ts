import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analysisClock } from '../../../src/model/clock.ts';
import { InputError } from '../../../src/model/errors.ts';
import { loadOffline } from '../../../src/model/offline.ts';

function dir(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'stsvol-offline-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

async function rejects(paths: string[], message: RegExp): Promise<void> {
  await assert.rejects(loadOffline(paths), (err: unknown) => err instanceof InputError && message.test(err.message));
}

const POD = (name: string, extra = '') => `{"kind": "Pod", "metadata": {"name": "${name}", "namespace": "x"${extra}}}`;

describe('offline loader', () => {
  it('reads kubectl lists, typed API lists, multi-document YAML, JSON streams and single objects, recursively', async () => {
    const root = dir({
      'a/list.json': JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ kind: 'Pod', metadata: { name: 'p1', namespace: 'x' } }] }),
      'a/b/podlist.json': JSON.stringify({ apiVersion: 'v1', kind: 'PodList', items: [{ metadata: { name: 'p2', namespace: 'x' } }] }),
      'a/late-kind.json': '{"items": [{"metadata": {"name": "p3", "namespace": "x"}}], "kind": "PodList"}',
      'watch.json': `${POD('p4')}\n${POD('p5')}\n`,
      'multi.yaml': 'kind: Node\nmetadata: {name: n1}\n---\nkind: StorageClass\nmetadata: {name: fast}\nprovisioner: x\n---\n',
      'flow.yaml': '{kind: Node, metadata: {name: n2}}\n',
      'secret.yml': 'kind: Secret\nmetadata: {name: s}\ndata: {password: aGk=}\n',
      'notes.txt': 'ignored: not a manifest',
    });
    const { snapshot, files, ignored } = await loadOffline([root]);
    assert.equal(files.length, 7);
    assert.deepEqual(snapshot.pods.map((p) => p.metadata.name).sort(), ['p1', 'p2', 'p3', 'p4', 'p5']);
    assert.ok(snapshot.pods.every((p) => p.kind === 'Pod'));
    assert.deepEqual(snapshot.nodes.map((n) => n.metadata.name).sort(), ['n1', 'n2']);
    assert.equal(snapshot.storageClasses.length, 1);
    assert.equal(ignored, 1, 'the Secret is dropped unread');
  });

  it('merges both Event APIs into one shape and counts a stored event once', async () => {
    const core = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e', namespace: 'db', uid: 'u1' }, involvedObject: { kind: 'Pod', namespace: 'db', name: 'p' }, reason: 'FailedMount', message: 'core', type: 'Warning', count: 3, lastTimestamp: '2026-01-01T00:00:00Z' };
    const modern = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e', namespace: 'db', uid: 'u1' }, regarding: { kind: 'Pod', namespace: 'db', name: 'p' }, reason: 'FailedMount', note: 'modern', type: 'Warning', series: { count: 7, lastObservedTime: '2026-01-02T00:00:00Z' } };
    const other = { ...modern, metadata: { name: 'f', namespace: 'db', uid: 'u2' } };
    const { snapshot } = await loadOffline([dir({ 'e.json': JSON.stringify({ kind: 'List', items: [core, modern, other] }) })]);
    assert.equal(snapshot.events.length, 2);
    assert.equal(snapshot.events[0]!.message, 'modern', 'the newer copy of one stored event is kept');
    assert.deepEqual({ ...snapshot.events[1], uid: undefined }, {
      uid: undefined, namespace: 'db', name: 'f', regarding: { kind: 'Pod', namespace: 'db', name: 'p', uid: undefined },
      reason: 'FailedMount', message: 'modern', type: 'Warning', count: 7, firstTime: undefined, lastTime: '2026-01-02T00:00:00Z', reporter: undefined,
    });
  });

  it('counts an object once across files, lists and --from paths, keeping the newest copy', async () => {
    const a = dir({ 'one.yaml': 'kind: Node\nmetadata: {name: n1, resourceVersion: "10"}\nspec: {unschedulable: true}\n' });
    const b = dir({ 'two.json': JSON.stringify({ kind: 'List', items: [{ kind: 'Node', metadata: { name: 'n1', resourceVersion: '12' } }, { kind: 'Node', metadata: { name: 'n1', resourceVersion: '11' } }] }) });
    const { snapshot } = await loadOffline([a, b, join(b, 'two.json'), a]);
    assert.equal(snapshot.nodes.length, 1);
    assert.equal(snapshot.nodes[0]!.metadata.resourceVersion, '12');
    assert.match(snapshot.notices.find((n) => n.reason === 'duplicate')!.message, /^2 objects appeared more than once/);
  });

  it('follows symlinked files and directories, reads each file once, and survives a symlink loop', async () => {
    const root = dir({ 'real/pods.json': POD('p1'), 'other/nodes.yaml': 'kind: Node\nmetadata: {name: n1}\n' });
    symlinkSync(join(root, 'real', 'pods.json'), join(root, 'linked.json'));
    symlinkSync(join(root, 'other'), join(root, 'real', 'to-other'));
    symlinkSync(root, join(root, 'other', 'loop'));
    const { snapshot, files } = await loadOffline([root]);
    assert.deepEqual(snapshot.pods.map((p) => p.metadata.name), ['p1']);
    assert.deepEqual(snapshot.nodes.map((n) => n.metadata.name), ['n1']);
    assert.equal(files.length, 2, 'each real file once');
  });

  it('never splits a --from path, commas included', async () => {
    const root = dir({ 'a,b.json': POD('p1') });
    assert.equal((await loadOffline([join(root, 'a,b.json')])).snapshot.pods.length, 1);
  });

  it('skips objects of the wrong shape with a notice naming the file, line, object and field', async () => {
    const root = dir({
      'mixed.yaml': 'kind: Pod\nmetadata: {name: good, namespace: x}\n---\nkind: Pod\nmetadata: {name: bad, namespace: x}\nspec: {nodeName: [n1]}\n---\nmetadata: {name: nokind}\n---\njust a string\n',
      'list.json': '{"kind": "List", "items": [\n' + POD('fine') + ',\n{"kind": "PersistentVolumeClaim", "metadata": {"namespace": "x"}}\n]}',
    });
    const { snapshot } = await loadOffline([root]);
    assert.deepEqual(snapshot.pods.map((p) => p.metadata.name).sort(), ['fine', 'good']);
    const invalid = snapshot.notices.filter((n) => n.reason === 'invalid').map((n) => `${n.source?.replace(root, '')} ${n.object ? `${n.object.kind}/${n.object.name}` : '-'} ${n.message}`);
    assert.deepEqual(invalid, [
      '/list.json:3 PersistentVolumeClaim/(unnamed) skipped: metadata.name is required',
      '/mixed.yaml:4 Pod/bad skipped: spec.nodeName must be string',
      '/mixed.yaml:8 - skipped: not a Kubernetes object (no kind)',
      '/mixed.yaml:10 - skipped: not a Kubernetes object (string)',
    ]);
  });

  it('takes its clock from captured-at, else the newest believable timestamp: never deletionTimestamp, never one from the future', async () => {
    const stamped = dir({ 's.yaml': 'kind: List\nmetadata: {annotations: {stsvol.io/captured-at: "2026-05-01T00:00:00Z"}}\nitems: [{kind: Node, metadata: {name: n, creationTimestamp: "2026-01-01T00:00:00Z"}}]\n' });
    assert.equal((await loadOffline([stamped])).snapshot.capturedAt, Date.parse('2026-05-01T00:00:00Z'));
    const skewed = dir({ 'p.yaml': [
      'kind: Pod\nmetadata: {name: p, namespace: x, creationTimestamp: "2026-01-01T00:00:00Z", deletionTimestamp: "2026-09-01T00:00:00Z"}\nstatus: {conditions: [{type: Ready, status: "True", lastTransitionTime: "2026-02-01T00:00:00.5+00:00"}]}',
      'kind: Node\nmetadata: {name: broken-clock, creationTimestamp: "2099-01-01T00:00:00Z"}',
    ].join('\n---\n') });
    const { snapshot } = await loadOffline([skewed], { notAfter: Date.parse('2026-11-22T00:00:00Z') });
    assert.deepEqual(snapshot.newestTimes.map((w) => w.ms), [Date.parse('2026-02-01T00:00:00.5Z')]);
    const clock = analysisClock(snapshot, { live: false, wallClock: Date.parse('2026-11-21T00:00:00Z') });
    assert.equal(clock.source, 'newest-timestamp');
    assert.equal(clock.now, Date.parse('2026-02-01T00:00:00.5Z'));
    assert.match(clock.reason, /the newest timestamp in the input \(2026-02-01T00:00:00\.500Z, Pod x\/p\), the only object with one; 1 later timestamp ignored as after this machine's clock \(latest 2099-01-01T00:00:00Z, Node broken-clock\)/);
  });

  it('takes the newest timestamp another object confirms: one node a year ahead in an old dump does not move the clock', async () => {
    const node = (name: string, heartbeat: string) => `kind: Node\nmetadata: {name: ${name}, creationTimestamp: "2024-01-01T00:00:00Z"}\nstatus: {conditions: [{type: Ready, status: "True", lastHeartbeatTime: "${heartbeat}", lastTransitionTime: "2024-06-01T00:00:00Z"}]}`;
    const old = dir({ 'nodes.yaml': [node('a', '2025-03-10T10:29:50Z'), node('ahead', '2025-09-01T00:00:00Z'), node('b', '2025-03-10T10:25:00Z')].join('\n---\n') });
    const { snapshot } = await loadOffline([old], { notAfter: Date.parse('2026-11-22T00:00:00Z') });
    const clock = analysisClock(snapshot, { live: false, wallClock: Date.parse('2026-11-21T00:00:00Z') });
    assert.equal(clock.now, Date.parse('2025-03-10T10:29:50Z'));
    assert.match(clock.reason, /^the newest timestamp another object confirms within 1h \(2025-03-10T10:29:50Z, Node a\); ignored as unconfirmed: later times of 1 object \(latest 2025-09-01T00:00:00Z, Node ahead\); pass --now to choose$/);
    // The outlier cannot confirm itself: listed twice, or through the events its kubelet wrote about it.
    const event = (name: string, about: string, at: string) => `kind: Event\nmetadata: {name: ${name}, namespace: default, uid: ${name}}\ninvolvedObject: {kind: Node, name: ${about}}\nreason: NodeReady\nlastTimestamp: "${at}"`;
    const twice = dir({
      'a.yaml': [node('a', '2025-03-10T10:29:50Z'), node('ahead', '2025-09-01T00:00:00Z'), node('b', '2025-03-10T10:25:00Z'), event('e1', 'ahead', '2025-09-01T00:10:00Z')].join('\n---\n'),
      'b.yaml': node('ahead', '2025-09-01T00:00:00Z'),
      'c.json': JSON.stringify({ apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e1', namespace: 'default', uid: 'e1' }, regarding: { kind: 'Node', name: 'ahead' }, reason: 'NodeReady', eventTime: '2025-09-01T00:10:00.000000Z' }),
    });
    const self = analysisClock((await loadOffline([twice])).snapshot, { live: false, wallClock: Date.parse('2026-11-21T00:00:00Z') });
    assert.equal(self.now, Date.parse('2025-03-10T10:29:50Z'), self.reason);
    assert.match(self.reason, /ignored as unconfirmed: later times of 1 object \(latest 2025-09-01T00:10:00Z, Node ahead\)/);
    const apart = dir({ 'nodes.yaml': [node('a', '2025-03-10T10:29:50Z'), node('b', '2025-03-08T00:00:00Z')].join('\n---\n') });
    const alone = analysisClock((await loadOffline([apart])).snapshot, { live: false, wallClock: Date.parse('2026-11-21T00:00:00Z') });
    assert.equal(alone.now, Date.parse('2025-03-10T10:29:50Z'), 'with no two objects agreeing, the newest is used');
    assert.match(alone.reason, /which no other object confirms within 1h/);
  });

  it('notes kinds a dump leaves out entirely, and the kinds a snapshot recorded it could not read', async () => {
    const { snapshot } = await loadOffline([dir({ 'p.yaml': 'kind: Pod\nmetadata: {name: p}\n' })]);
    assert.deepEqual(snapshot.notices.map((n) => n.kind).sort(), ['Backup', 'CSIDriver', 'Event', 'Node', 'PersistentVolume', 'PersistentVolumeClaim', 'Schedule', 'StorageClass', 'VolumeSnapshot']);
    const recorded = JSON.stringify([{ kind: 'Node', reason: 'forbidden', message: 'listing nodes.core/v1 is forbidden by RBAC' }]);
    const snap = await loadOffline([dir({ 's.json': JSON.stringify({ kind: 'List', metadata: { annotations: { 'stsvol.io/notices': recorded } }, items: [{ kind: 'Pod', metadata: { name: 'p' } }] }) })]);
    const node = snap.snapshot.notices.filter((n) => n.kind === 'Node');
    assert.deepEqual(node, [{ kind: 'Node', reason: 'forbidden', message: 'listing nodes.core/v1 is forbidden by RBAC' }], 'the recorded reason, not "absent"');
    const taken = await loadOffline([dir({ 's.json': JSON.stringify({ kind: 'List', metadata: { annotations: { 'stsvol.io/captured-at': '2026-05-01T00:00:00Z', 'stsvol.io/notices': recorded } }, items: [{ kind: 'Pod', metadata: { name: 'p' } }] }) })]);
    assert.deepEqual(taken.snapshot.notices.map((n) => `${n.kind} ${n.reason}`), ['Node forbidden'], 'a snapshot listed every other kind: empty there means none in the cluster');
  });

  it('rejects what cannot be read at all with one message naming the file and line', async () => {
    const root = dir({
      'bad.yaml': 'kind: Pod\nmetadata:\n  name: p: q\n',
      'bad.json': '{"kind": "Pod",\n "metadata": {"name": "p"},\n}',
      'junk.yaml': 'just a string\n---\n42\n',
      'nothing.json': '[]',
      'empty/.keep': '',
      'only-txt/readme.txt': 'hello',
    });
    await rejects([join(root, 'bad.yaml')], /bad\.yaml:3: malformed YAML: Nested mappings are not allowed in compact mappings$/);
    await rejects([join(root, 'bad.json')], /bad\.json:3: malformed JSON/);
    await rejects([join(root, 'junk.yaml')], /--from .*junk\.yaml: holds no Kubernetes object$/);
    await rejects([join(root, 'nothing.json')], /--from .*nothing\.json: holds no Kubernetes object$/);
    await rejects([join(root, 'missing.yaml')], /--from .*missing\.yaml: no such file or directory/);
    await rejects([join(root, 'empty')], /directory holds no \.yaml, \.yml or \.json file/);
    await rejects([join(root, 'only-txt')], /directory holds no \.yaml, \.yml or \.json file/);
  });

  it('rejects YAML whose aliases or nesting would exhaust it, naming the file and line; skips Lists nested deeper than any dump', async () => {
    const laughs = ['kind: List', 'items:', '- kind: Pod', '  metadata: {name: p}', '  x: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) laughs.push(`  x${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
    const root = dir({
      'laughs.yaml': laughs.join('\n') + '\n',
      'unresolved.yaml': 'kind: Pod\nmetadata: {name: *nope}\n',
      'deep.yaml': `kind: Pod\nmetadata: {name: p}\nspec: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
      'self.yaml': 'kind: List\nitems: &x\n- kind: List\n  items: *x\n- {kind: Pod, metadata: {name: p}}\n',
      'self-list.yaml': '&a {kind: List, items: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]}\n',
      'shared.yaml': 'kind: List\nitems:\n- {kind: Pod, metadata: &m {name: a, namespace: db, labels: {x: y}}}\n- {kind: Pod, metadata: {name: b, namespace: db}, spec: {volumes: [{name: v, ephemeral: *m}]}}\n',
      'complex-key.yaml': 'kind: Pod\nmetadata: {name: p}\n? [a, b]\n: c\n',
    });
    await rejects([join(root, 'laughs.yaml')], /laughs\.yaml:1: malformed YAML: Excessive alias count/);
    await rejects([join(root, 'unresolved.yaml')], /unresolved\.yaml:1: malformed YAML: Unresolved alias .*nope$/);
    await rejects([join(root, 'deep.yaml')], /deep\.yaml:3: malformed YAML: nested too deeply$/);
    await rejects([join(root, 'self.yaml')], /self\.yaml:1: malformed YAML: an alias refers to a node that contains it$/);
    await rejects([join(root, 'self-list.yaml')], /self-list\.yaml:1: malformed YAML: an alias refers to a node that contains it$/);
    const shared = await loadOffline([join(root, 'shared.yaml')]);
    assert.deepEqual(shared.snapshot.pods.map((p) => [p.metadata.name, p.metadata.labels]), [['a', { x: 'y' }], ['b', undefined]], 'an alias is a copy: admitting one place does not prune the other');
    const deep = `{"kind": "List", "items": [{"kind": "Node", "metadata": {"name": "n"}}, ${'{"kind": "List", "items": ['.repeat(20)}{"kind": "Pod", "metadata": {"name": "p"}}${']}'.repeat(20)}]}`;
    const nested = await loadOffline([dir({ 'deep.json': deep })]);
    assert.ok(nested.snapshot.notices.some((n) => n.reason === 'invalid' && /a List nested more than 8 deep/.test(n.message)));
    const warnings: string[] = [];
    const listen = (w: Error) => warnings.push(w.message);
    process.on('warning', listen);
    try {
      assert.equal((await loadOffline([join(root, 'complex-key.yaml')])).snapshot.pods.length, 1);
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', listen);
    }
    assert.deepEqual(warnings, [], 'the YAML library prints nothing of its own');
  });

  it('rejects a manifest symlink that leads nowhere, naming it', async () => {
    const root = dir({ 'ok.yaml': 'kind: Node\nmetadata: {name: n}\n' });
    symlinkSync(join(root, 'gone.yaml'), join(root, 'dangling.yaml'));
    await rejects([root], /dangling\.yaml: no such file or directory/);
    const loop = dir({});
    symlinkSync(join(loop, 'b.yaml'), join(loop, 'a.yaml'));
    symlinkSync(join(loop, 'a.yaml'), join(loop, 'b.yaml'));
    await rejects([join(loop, 'a.yaml')], /a\.yaml: symlink loop/);
  });

  it('rejects a directory it cannot read, naming it (run without the capabilities that let root read everything)', () => {
    const root = dir({ 'ok.yaml': 'kind: Node\nmetadata: {name: n}\n', 'locked/pods.yaml': 'kind: Pod\nmetadata: {name: p}\n' });
    chmodSync(root, 0o755);
    chmodSync(join(root, 'locked'), 0o000);
    // Root keeps its uid (so it still reads this checkout, wherever it is) but loses the capabilities
    // that bypass permissions.
    const unprivileged = process.getuid?.() === 0 ? ['setpriv', '--bounding-set=-all', '--inh-caps=-all'] : [];
    let stderr = '';
    try {
      execFileSync(unprivileged[0] ?? process.execPath, [...unprivileged.slice(1), ...(unprivileged.length ? [process.execPath] : []), 'src/cli/main.ts', 'doctor', '--from', root], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      assert.equal((err as { status: number }).status, 2);
      stderr = (err as { stderr: string }).stderr;
    }
    assert.match(stderr, /^stsvol: error: --from .*locked: cannot read directory: EACCES\n$/);
  });
});
