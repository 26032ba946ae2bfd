// Restarting one replica of a StatefulSet: delete its pod, let the controller re-create it with the
// same claims, and wait until it is Ready before touching another one. Never more than one down.

import type { Pod } from '../../model/types.ts';
import { kubectl } from '../commands.ts';
import type { RemediationStep } from '../finding.ts';

export function restartReplica(pod: Pod, why: string): RemediationStep {
  const ns = pod.metadata.namespace;
  return {
    text: `${why} Restart ${pod.metadata.name}: the StatefulSet re-creates it with the same claims. One replica at a time, highest ordinal first, waiting for Ready in between.`,
    command: `${kubectl.delete('pod', pod.metadata.name, ns)} && ${kubectl.waitReady(pod.metadata.name, ns)}`,
    safeWhen: 'the other replicas are Ready (the application tolerates losing this one for a restart)',
  };
}
