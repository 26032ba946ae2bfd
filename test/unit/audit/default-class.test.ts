import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StorageClass } from '../../../src/model/types.ts';
import { storageClass } from '../../fixtures/build.ts';
import { find, findingsOf, wellKept } from './well-kept.ts';

describe('default-class', () => {
  it('reports a cluster without a default class, and names one to mark', () => {
    const objects = wellKept();
    delete find<StorageClass>(objects, 'StorageClass', 'retain').metadata.annotations;
    const [f, ...rest] = findingsOf(objects, 'default-class');
    assert.equal(rest.length, 0);
    assert.match(f!.message, /no StorageClass is the default \(classes: retain\)/);
    assert.equal(f!.remediation[0]!.command, `kubectl patch storageclass retain --type=merge -p '{"metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"true"}}}'`);
    assert.deepEqual(f!.workload, { kind: 'Cluster', name: 'cluster' });
  });

  it('reports several defaults, keeping the newest as the one claims get', () => {
    const older = storageClass('gp2', { isDefault: true });
    older.metadata.creationTimestamp = '2020-01-01T00:00:00Z';
    const objects = [...wellKept(), older];
    find<StorageClass>(objects, 'StorageClass', 'retain').metadata.creationTimestamp = '2026-01-01T00:00:00Z';
    const [f] = findingsOf(objects, 'default-class');
    assert.match(f!.message, /2 StorageClasses are marked as the default \(retain, gp2\): a claim without a class gets retain, the newest/);
    assert.match(f!.remediation[0]!.command!, /storageclass gp2 .*"false"/);
  });
});
