// The one way to change what a StatefulSet's spec forbids changing (volumeClaimTemplates): save it,
// delete only the object (--cascade=orphan: its pods keep running, nothing restarts), and create it
// again changed; the new object adopts the running pods. Seeds 002 and 003.

import type { StatefulSet } from '../../model/types.ts';
import { kubectl, localFile } from '../commands.ts';
import type { RemediationStep } from '../finding.ts';

/** `change` says what to edit in the saved manifest, e.g. 'set volumeClaimTemplates "data" storage to 20Gi'. */
export function recreateStatefulSet(sts: StatefulSet, change: string): RemediationStep[] {
  const ns = sts.metadata.namespace;
  const name = sts.metadata.name;
  const file = localFile(name, '.yaml');
  return [
    { text: 'Save the StatefulSet as it is.', command: kubectl.saveTo('statefulset', name, ns, file) },
    {
      text: 'Delete only the StatefulSet object; its pods keep running, orphaned, and nothing restarts.',
      command: kubectl.delete('statefulset', name, ns, ' --cascade=orphan'),
      safeWhen: `${file} is saved; until the StatefulSet is re-created no controller replaces a failed pod`,
    },
    {
      text: `In ${file} ${change}, drop status, metadata.resourceVersion and metadata.uid, and apply it: the new StatefulSet adopts the running pods. With Helm, change the chart value instead and upgrade; with Argo CD or Flux, pause self-heal first and change the source.`,
      command: kubectl.apply(file),
      safeWhen: `${file} is edited as said: applied as saved (with its uid and resourceVersion) it is refused, and the StatefulSet stays deleted`,
    },
    { text: 'Check that it adopted every pod (READY as before) and restarted none (AGE unchanged).', command: kubectl.get('statefulset', name, ns, 'wide') },
  ];
}
