// What every part of the operator that acts needs: the API, where to log and count, how to write
// an Event, and whether this replica may act right now.

import type { KubeApi } from '../model/kube-api.ts';
import type { Logger } from './log.ts';
import type { OperatorMetrics } from './metrics.ts';
import type { EventSpec } from './recorder.ts';

export interface ActingDeps {
  api: KubeApi;
  log: Logger;
  metrics: OperatorMetrics;
  record: (e: EventSpec) => Promise<void>;
  /** Asked right before each write: only the leader acts. */
  isLeader: () => boolean;
}
