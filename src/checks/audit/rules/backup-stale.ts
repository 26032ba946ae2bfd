// Every claim is covered, but the newest copy of some is older than --backup-max-age, or comes from
// a schedule that is paused or never ran: a backup that stopped still reads as one.

import { refOf } from '../../../model/cluster-model.ts';
import { formatDuration } from '../../../model/time.ts';
import { fieldEvidence } from '../../evidence.ts';
import { coverageOf, type ClaimCoverage } from '../backup-coverage.ts';
import { statefulSetsWithStorage, stsRef } from '../facts.ts';
import type { AuditCheck } from '../scope.ts';

export const backupStale: AuditCheck = {
  id: 'backup-stale',
  run(scope) {
    const { model, options } = scope;
    const now = model.now;
    const stale = (c: ClaimCoverage) => c.newest === undefined || now - c.newest > options.backupMaxAgeMs || c.copies.every((x) => x.stopped || x.at === undefined);
    return scope.each(statefulSetsWithStorage(model), (sts) => {
      const coverage = coverageOf(model, sts);
      if (!coverage.length || coverage.some((c) => !c.copies.length)) return undefined; // missing or partial
      scope.judge(stsRef(sts));
      const old = coverage.filter(stale);
      if (!old.length) return undefined;
      const age = (c: ClaimCoverage) => (c.newest === undefined ? 'never copied' : `newest copy ${formatDuration(now - c.newest)} old`);
      return scope.raise({
        object: refOf(sts),
        related: old.map((c) => refOf(c.claim)),
        message: `backups of StatefulSet ${sts.metadata.namespace}/${sts.metadata.name} are older than ${formatDuration(options.backupMaxAgeMs)}: ${old.slice(0, 5).map((c) => `${c.claim.metadata.name} (${age(c)})`).join(', ')}${old.length > 5 ? ', …' : ''}`,
        evidence: old.slice(0, 5).map((c) => fieldEvidence(c.claim, c.copies.map((x) => `${x.by}${x.stopped ? ' (paused)' : ''}${x.at === undefined ? ' (never ran)' : ''}`).join(', '))),
        remediation: [{ text: 'Find why copies stopped (a paused or failing schedule, its controller down) and make a new one now; then check that they keep coming.' }],
      });
    });
  },
};
