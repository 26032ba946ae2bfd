import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
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

function rejects(path: string, message: RegExp): void {
  assert.throws(() => loadOffline([path]), (err: unknown) => err instanceof InputError && message.test(err.message));
}

describe('offline loader', () => {
  it('reads kubectl lists, typed API lists, multi-document YAML and single objects, recursively', () => {
    const root = dir({
      'a/list.json': JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ kind: 'Pod', metadata: { name: 'p1', namespace: 'x' } }] }),
      'a/b/podlist.json': JSON.stringify({ apiVersion: 'v1', kind: 'PodList', items: [{ metadata: { name: 'p2', namespace: 'x' } }] }),
      'multi.yaml': 'kind: Node\nmetadata: {name: n1}\n---\nkind: StorageClass\nmetadata: {name: fast}\nprovisioner: x\n---\n',
      'secret.yml': 'kind: Secret\nmetadata: {name: s}\ndata: {password: aGk=}\n',
      'notes.txt': 'ignored: not a manifest',
    });
    const { snapshot, files, ignored } = loadOffline([root]);
    assert.equal(files.length, 4);
    assert.deepEqual(snapshot.pods.map((p) => p.metadata.name).sort(), ['p1', 'p2']);
    assert.equal(snapshot.pods.find((p) => p.metadata.name === 'p2')!.kind, 'Pod');
    assert.equal(snapshot.nodes.length, 1);
    assert.equal(snapshot.storageClasses.length, 1);
    assert.equal(ignored, 1, 'the Secret is dropped unread');
  });

  it('merges both Event APIs into one shape and counts a stored event once', () => {
    const core = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e', namespace: 'db', uid: 'u1' }, involvedObject: { kind: 'Pod', namespace: 'db', name: 'p' }, reason: 'FailedMount', message: 'core', type: 'Warning', count: 3, lastTimestamp: '2026-01-01T00:00:00Z' };
    const modern = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e', namespace: 'db', uid: 'u1' }, regarding: { kind: 'Pod', namespace: 'db', name: 'p' }, reason: 'FailedMount', note: 'modern', type: 'Warning', series: { count: 7, lastObservedTime: '2026-01-02T00:00:00Z' } };
    const other = { ...modern, metadata: { name: 'f', namespace: 'db', uid: 'u2' } };
    const { snapshot } = loadOffline([dir({ 'e.json': JSON.stringify({ kind: 'List', items: [core, modern, other] }) })]);
    assert.equal(snapshot.events.length, 2);
    assert.deepEqual({ ...snapshot.events[1], uid: undefined }, {
      uid: undefined, namespace: 'db', name: 'f', regarding: { kind: 'Pod', namespace: 'db', name: 'p', uid: undefined },
      reason: 'FailedMount', message: 'modern', type: 'Warning', count: 7, firstTime: undefined, lastTime: '2026-01-02T00:00:00Z', reporter: undefined,
    });
  });

  it('takes its clock from the captured-at annotation, else the newest timestamp (never deletionTimestamp)', () => {
    const stamped = dir({ 's.yaml': 'kind: List\nmetadata: {annotations: {stsvol.io/captured-at: "2026-05-01T00:00:00Z"}}\nitems: [{kind: Node, metadata: {name: n, creationTimestamp: "2026-01-01T00:00:00Z"}}]\n' });
    assert.equal(loadOffline([stamped]).snapshot.capturedAt, Date.parse('2026-05-01T00:00:00Z'));
    const plain = dir({ 'p.yaml': 'kind: Pod\nmetadata: {name: p, creationTimestamp: "2026-01-01T00:00:00Z", deletionTimestamp: "2027-01-01T00:00:00Z"}\nstatus: {conditions: [{type: Ready, status: "True", lastTransitionTime: "2026-02-01T00:00:00Z"}]}\n' });
    assert.equal(loadOffline([plain]).snapshot.newestTimestamp, Date.parse('2026-02-01T00:00:00Z'));
  });

  it('notes kinds a dump leaves out entirely, so checks do not read absence as deletion', () => {
    const { snapshot } = loadOffline([dir({ 'p.yaml': 'kind: Pod\nmetadata: {name: p}\n' })]);
    assert.deepEqual(snapshot.notices.map((n) => n.kind).sort(), ['Event', 'Node', 'PersistentVolume', 'PersistentVolumeClaim', 'StorageClass']);
  });

  it('rejects bad input with one message naming the file and line', () => {
    const root = dir({
      'bad.yaml': 'kind: Pod\nmetadata:\n  name: p: q\n',
      'bad.json': '{"kind": "Pod",\n "metadata": {"name": "p"},\n}',
      'nokind.yaml': 'kind: Node\nmetadata: {name: n}\n---\nmetadata: {name: orphan}\n',
      'noname.json': '{"kind": "List", "items": [{"kind": "Pod", "metadata": {}}]}',
      'scalar.yaml': 'just a string\n',
      'empty/.keep': '',
    });
    rejects(join(root, 'bad.yaml'), /bad\.yaml:3: malformed YAML: Nested mappings are not allowed in compact mappings$/);
    rejects(join(root, 'bad.json'), /bad\.json:3: malformed JSON/);
    rejects(join(root, 'nokind.yaml'), /nokind\.yaml:4: object without kind$/);
    rejects(join(root, 'noname.json'), /noname\.json:1: item 0: Pod without metadata\.name/);
    rejects(join(root, 'scalar.yaml'), /scalar\.yaml:1: expected a Kubernetes object or list, found string/);
    rejects(join(root, 'missing.yaml'), /--from .*missing\.yaml: no such file or directory/);
    rejects(join(root, 'empty'), /directory holds no \.yaml, \.yml or \.json file/);
  });
});
