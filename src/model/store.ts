// The objects of a cluster as watches keep them: by kind and UID, upserted and deleted one by one,
// so a model can be had at any moment without listing again. Each object is admitted (validated and
// pruned to the fields stsvol reads) when it arrives, so memory holds what the checks use, not what
// the API sent.

import { admit } from './admission.ts';
import type { KindName } from './kinds.ts';
import { SnapshotCollector, type Notice, type Snapshot } from './snapshot.ts';

interface Stored {
  resourceVersion?: string;
  object: unknown;
}

export type StoreChange = 'added' | 'updated' | 'unchanged' | 'refused';

export class ObjectStore {
  private readonly kinds = new Map<KindName, Map<string, Stored>>();
  private readonly kindNotices = new Map<KindName, Notice>();
  /** Grows on every change: a model built at one version is current until it moves. */
  version = 0;

  private of(kind: KindName): Map<string, Stored> {
    let objects = this.kinds.get(kind);
    if (!objects) this.kinds.set(kind, (objects = new Map()));
    return objects;
  }

  /** Adds or replaces the object with this UID; the same resourceVersion again is no change. */
  upsert(kind: KindName, raw: unknown): StoreChange {
    const metadata = (raw as { metadata?: { uid?: unknown; resourceVersion?: unknown } } | null)?.metadata;
    const uid = typeof metadata?.uid === 'string' ? metadata.uid : undefined;
    if (!uid) return 'refused';
    const objects = this.of(kind);
    const resourceVersion = typeof metadata?.resourceVersion === 'string' ? metadata.resourceVersion : undefined;
    const known = objects.get(uid);
    if (known && resourceVersion && known.resourceVersion === resourceVersion) return 'unchanged';
    (raw as { kind?: string }).kind = kind;
    const admitted = admit(raw, kind);
    if (admitted.problem) {
      // An object that no longer passes is dropped rather than kept in its older, valid form.
      if (known) this.delete(kind, uid);
      return 'refused';
    }
    objects.set(uid, { resourceVersion, object: admitted.object });
    this.version++;
    return known ? 'updated' : 'added';
  }

  delete(kind: KindName, uid: string): boolean {
    const gone = this.kinds.get(kind)?.delete(uid) ?? false;
    if (gone) this.version++;
    return gone;
  }

  /** After a relist: what the list did not return is gone. */
  retain(kind: KindName, uids: ReadonlySet<string>): void {
    for (const uid of [...this.of(kind).keys()]) if (!uids.has(uid)) this.delete(kind, uid);
  }

  /** A kind that cannot be read (not served, forbidden) weakens the checks that need it. */
  setNotice(kind: KindName, notice: Notice | undefined): void {
    if (notice) this.kindNotices.set(kind, notice);
    else this.kindNotices.delete(kind);
    this.version++;
  }

  count(kind: KindName): number {
    return this.kinds.get(kind)?.size ?? 0;
  }

  /** Every object as one snapshot, for a ClusterModel. The admitted objects are shared, not copied:
   *  a model only reads them, and the store replaces an object instead of changing it. */
  snapshot(): Snapshot {
    const collector = new SnapshotCollector({ clockKnown: true });
    for (const objects of this.kinds.values()) for (const { object } of objects.values()) collector.add(object);
    const snapshot = collector.finish();
    snapshot.notices.push(...this.kindNotices.values());
    return snapshot;
  }
}
