// The attachment janitor, the acting half of plans/janitor.ts. Before each delete it reads the node
// again from the API (not the model, which may lag): the fence must hold right now. The delete
// carries the attachment's uid, so a new attachment of the same name is never the one removed.

import { ApiError } from '../model/kube-api.ts';
import { isFenced, type ClusterModel, type NodeLike } from '../model/cluster-model.ts';
import { judgeAttachments, type JanitorAction } from '../plans/janitor.ts';
import type { ActingDeps } from './acting.ts';
import type { EventSpec } from './recorder.ts';

export interface JanitorDeps extends ActingDeps {
  dryRun: boolean;
}

export class AttachmentJanitor {
  /** Attachments already reported (dry run) or acted on, by uid: each is said once. */
  private readonly handled = new Set<string>();
  private readonly d: JanitorDeps;

  constructor(deps: JanitorDeps) {
    this.d = deps;
  }

  async reconcile(model: ClusterModel): Promise<void> {
    if (!this.d.isLeader()) return;
    const { act } = judgeAttachments(model);
    // Only attachments that still exist are remembered.
    const present = new Set(model.snapshot.attachments.map((va) => va.metadata.uid ?? va.metadata.name));
    for (const uid of this.handled) if (!present.has(uid)) this.handled.delete(uid);
    for (const a of act) {
      const uid = a.attachment.metadata.uid ?? a.attachment.metadata.name;
      if (this.handled.has(uid)) continue;
      if (this.d.dryRun) {
        this.handled.add(uid);
        this.d.metrics.janitorActions.inc({ reason: a.reason, result: 'dry-run' });
        this.d.log('info', 'would delete volume attachment (dry run)', { attachment: a.attachment.metadata.name, reason: a.reason });
        await this.d.record({ ...this.eventOf(a), reason: 'WouldDeleteVolumeAttachment', message: `dry run: ${a.message}` });
        continue;
      }
      await this.delete(a, uid);
    }
  }

  private async delete(a: JanitorAction, uid: string): Promise<void> {
    const name = a.attachment.metadata.name;
    const node = await this.d.api.get('Node', undefined, a.attachment.spec.nodeName);
    if (!isFenced(node as NodeLike | undefined) || !this.d.isLeader()) return;
    try {
      await this.d.api.delete('VolumeAttachment', undefined, name, { preconditions: { uid: a.attachment.metadata.uid } });
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 409)) return; // gone or replaced meanwhile
      this.d.metrics.janitorActions.inc({ reason: a.reason, result: 'failed' });
      this.d.log('error', 'volume attachment not deleted', { attachment: name, error: (err as Error).message });
      return;
    }
    this.handled.add(uid);
    this.d.metrics.janitorActions.inc({ reason: a.reason, result: 'deleted' });
    this.d.log('info', 'volume attachment deleted', { attachment: name, node: a.attachment.spec.nodeName, reason: a.reason });
    await this.d.record({ ...this.eventOf(a), reason: 'VolumeAttachmentDeleted', message: a.message });
  }

  /** On the volume: the attachment itself is about to disappear. */
  private eventOf(a: JanitorAction): EventSpec {
    const pv = a.attachment.spec.source.persistentVolumeName;
    const object = pv ? { kind: 'PersistentVolume', name: pv, apiVersion: 'v1' } : { kind: 'VolumeAttachment', name: a.attachment.metadata.name, apiVersion: 'storage.k8s.io/v1' };
    return { object, type: 'Normal', reason: '', message: a.message };
  }
}
