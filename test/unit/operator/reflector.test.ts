// The reflector and the store on scripted answers: one list, then one watch; upserts and deletes by
// UID; a watch the server closes resumes from the last resourceVersion without listing again; a
// 410 lists again and drops what the new list no longer has; an unreadable kind is a notice.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeApi } from '../../../src/model/kube-api.ts';
import { kindInfo } from '../../../src/model/kinds.ts';
import { ObjectStore } from '../../../src/model/store.ts';
import { Reflector, type RestartReason, type WatchFn } from '../../../src/operator/reflector.ts';
import { claim } from '../../fixtures/build.ts';
import { RecordedTransport } from '../../fixtures/recorded-transport.ts';

type Script = (emit: (type: string, object: unknown) => void) => unknown;

/** Plays one script per watch request; records each request's query. */
function scriptedWatch(scripts: Script[], abort: AbortController): { watch: WatchFn; queries: Record<string, unknown>[] } {
  const queries: Record<string, unknown>[] = [];
  const watch: WatchFn = (_path, query, onEvent, onDone) => {
    queries.push(query);
    const script = scripts.shift();
    setImmediate(() => {
      if (!script) {
        abort.abort();
        return onDone(null);
      }
      const err = script(onEvent);
      onDone(err ?? null);
    });
  };
  return { watch, queries };
}

function withVersion<T extends { metadata: { resourceVersion?: string } }>(o: T, rv: string): T {
  o.metadata.resourceVersion = rv;
  return o;
}

describe('reflector', () => {
  it('lists once, applies watch events by UID, resumes a closed watch from its last resourceVersion, relists on 410', async () => {
    const a = withVersion(claim('db', 'a'), '1');
    const b = withVersion(claim('db', 'b'), '2');
    const transport = RecordedTransport.serving({ persistentvolumeclaims: [a, b] });
    const store = new ObjectStore();
    const abort = new AbortController();
    const c = withVersion(claim('db', 'c'), '5');
    const restarts: RestartReason[] = [];
    const { watch, queries } = scriptedWatch([
      (emit) => {
        emit('ADDED', c);
        emit('MODIFIED', withVersion({ ...structuredClone(a), spec: { ...a.spec, resources: { requests: { storage: '20Gi' } } } }, '6'));
        emit('DELETED', withVersion(structuredClone(b), '7'));
        emit('BOOKMARK', { metadata: { resourceVersion: '9' } });
      },
      () => Object.assign(new Error('Gone'), { statusCode: 410 }),
    ], abort);
    const reflector = new Reflector(kindInfo('PersistentVolumeClaim')!, {
      api: new KubeApi(transport), watch, store, log: () => undefined, resyncMs: 3_600_000, onRestart: (_k, r) => restarts.push(r),
      sleep: async () => undefined, random: () => 0,
    });
    await reflector.run(abort.signal);

    assert.equal(transport.requests.filter((p) => p.startsWith('/api/v1/persistentvolumeclaims')).length, 2, 'listed at the start and after the 410 only');
    assert.equal(queries[1]!.resourceVersion, '9', 'the closed watch resumed from the bookmark');
    assert.deepEqual(restarts, ['closed', 'expired']);
    // After the relist the store holds exactly what the list returned.
    const names = store.snapshot().claims.map((x) => x.metadata.name).sort();
    assert.deepEqual(names, ['a', 'b']);
  });

  it('keeps watch events between lists: added, modified and deleted by UID', async () => {
    const a = withVersion(claim('db', 'a'), '1');
    const store = new ObjectStore();
    const abort = new AbortController();
    const { watch } = scriptedWatch([(emit) => {
      emit('ADDED', withVersion(claim('db', 'new'), '2'));
      emit('DELETED', withVersion(structuredClone(a), '3'));
    }], abort);
    let snapshotDuringWatch: string[] = [];
    const reflector = new Reflector(kindInfo('PersistentVolumeClaim')!, {
      api: new KubeApi(RecordedTransport.serving({ persistentvolumeclaims: [a] })), watch, store, log: () => undefined, resyncMs: 3_600_000,
      onRestart: () => (snapshotDuringWatch = store.snapshot().claims.map((x) => x.metadata.name)), sleep: async () => undefined, random: () => 0,
    });
    await reflector.run(abort.signal);
    assert.deepEqual(snapshotDuringWatch, ['new']);
    assert.equal(reflector.synced, true);
  });

  it('marks a kind it may not read with a notice, and is synced all the same', async () => {
    const store = new ObjectStore();
    const abort = new AbortController();
    const reflector = new Reflector(kindInfo('VolumeAttachment')!, {
      api: new KubeApi(RecordedTransport.serving({}, { status: { volumeattachments: 403 } })), watch: scriptedWatch([], abort).watch, store, log: () => undefined,
      resyncMs: 3_600_000, onRestart: () => undefined, sleep: async () => abort.abort(),
    });
    await reflector.run(abort.signal);
    assert.equal(reflector.synced, true);
    assert.deepEqual(store.snapshot().notices.map((n) => [n.kind, n.reason]), [['VolumeAttachment', 'forbidden']]);
  });
});

describe('object store', () => {
  it('counts a resourceVersion once, replaces by UID, and drops an object that no longer passes admission', () => {
    const store = new ObjectStore();
    const a = withVersion(claim('db', 'a'), '1');
    assert.equal(store.upsert('PersistentVolumeClaim', structuredClone(a)), 'added');
    assert.equal(store.upsert('PersistentVolumeClaim', structuredClone(a)), 'unchanged');
    const version = store.version;
    assert.equal(store.upsert('PersistentVolumeClaim', withVersion(structuredClone(a), '2')), 'updated');
    assert.equal(store.version, version + 1);
    assert.equal(store.upsert('PersistentVolumeClaim', { ...withVersion(structuredClone(a), '3'), spec: 'broken' }), 'refused');
    assert.equal(store.count('PersistentVolumeClaim'), 0);
  });
});
