// Velero's matching, as v1.18 applies it (src/checks/audit/velero.ts cites the code).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { claimCovered, globMatches, namespaceIncluded, resourceIncluded, volumeDataTaken } from '../../../src/checks/audit/velero.ts';

describe('velero coverage rules', () => {
  it('matches namespaces with gobwas globs, excludes first, nothing or "*" meaning all', () => {
    assert.ok(globMatches('prod-*', 'prod-db') && globMatches('db?', 'db1') && globMatches('[a-c]x', 'bx') && !globMatches('[!a]x', 'ax'));
    assert.ok(!globMatches('prod-*', 'staging-db') && !globMatches('db.', 'dbx'), 'a dot is a dot');
    assert.ok(namespaceIncluded({}, 'db', undefined) && namespaceIncluded({ includedNamespaces: ['*'] }, 'db', undefined));
    assert.ok(!namespaceIncluded({ includedNamespaces: ['*'], excludedNamespaces: ['d*'] }, 'db', undefined), 'an exclude wins');
    assert.ok(!namespaceIncluded({}, 'db', { 'velero.io/exclude-from-backup': 'true' }));
  });

  it('reads resource names as discovery resolves them, old filters or the scoped ones', () => {
    assert.ok(!resourceIncluded({ excludedResources: ['PVC'] }, 'persistentvolumeclaims'));
    assert.ok(!resourceIncluded({ excludedResources: ['persistentvolumeclaims.'] }, 'persistentvolumeclaims'));
    assert.ok(!resourceIncluded({ includedResources: ['deployments', 'configmaps'] }, 'persistentvolumeclaims'));
    assert.ok(resourceIncluded({ includedNamespaceScopedResources: ['*'] }, 'persistentvolumeclaims'));
    assert.ok(!resourceIncluded({ excludedNamespaceScopedResources: ['persistentvolumeclaim'] }, 'persistentvolumeclaims'));
  });

  it('takes volume data by file-system backup (opt-in or by default with excludes) or else a snapshot, unless snapshots are off', () => {
    assert.equal(volumeDataTaken({}, undefined, 'data'), 'snapshot');
    assert.equal(volumeDataTaken({ snapshotVolumes: false }, undefined, 'data'), undefined);
    assert.equal(volumeDataTaken({ snapshotVolumes: false }, { 'backup.velero.io/backup-volumes': 'logs, data' }, 'data'), 'fs-backup');
    assert.equal(volumeDataTaken({ snapshotVolumes: false, defaultVolumesToFsBackup: true }, { 'backup.velero.io/backup-volumes-excludes': 'data' }, 'data'), undefined);
    assert.equal(volumeDataTaken({ defaultVolumesToFsBackup: true }, {}, 'data'), 'fs-backup');
  });

  it('covers a claim whose pod matches the selector though the claim does not, and the reverse', () => {
    const c = { namespace: 'db', claimLabels: {}, pod: { labels: { app: 'pg' }, annotations: {}, volume: 'data' } };
    assert.deepEqual(claimCovered({ labelSelector: { matchLabels: { app: 'pg' } } }, c), { how: 'snapshot' });
    assert.deepEqual(claimCovered({ labelSelector: { matchLabels: { app: 'pg' } } }, { ...c, claimLabels: { app: 'pg' }, pod: { ...c.pod, labels: {} } }), { how: 'snapshot' });
    assert.deepEqual(claimCovered({ orLabelSelectors: [{ matchLabels: { app: 'x' } }, { matchLabels: { app: 'pg' } }] }, c), { how: 'snapshot' });
    assert.match((claimCovered({ labelSelector: { matchLabels: { app: 'x' } } }, c) as { why: string }).why, /neither the claim nor its pod matches/);
  });
});
