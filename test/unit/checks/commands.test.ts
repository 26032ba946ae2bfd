// Remedy commands are run by people under pressure: whatever a name holds, the shell must see it
// as exactly one argument, and kubectl must never see it as a flag. Checked by running the
// commands through bash with a kubectl that prints its arguments.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { grepFor, kubectl, localFile } from '../../../src/checks/commands.ts';

const SCRATCH = mkdtempSync(join(tmpdir(), 'stsvol-commands-'));

/** The argv each command line gives kubectl (and grep), as bash parses it. Arguments end with a
 *  NUL (which no argument can hold); a command ends with an extra one (no argument is empty). */
function argvOf(lines: string[]): string[][] {
  const script = `kubectl() { printf '%s\\0' "$@"; printf '\\0'; }\ngrep() { printf '%s\\0' grep "$@"; printf '\\0'; }\n${lines.join('\n')}\n`;
  // In a directory of its own: a redirection a name could still smuggle in writes there, not in the repository.
  const out = execFileSync('bash', ['-c', script], { encoding: 'utf8', cwd: SCRATCH });
  return out.split('\0\0').slice(0, lines.length).map((chunk) => chunk.split('\0'));
}

/** `kubectl get ... > FILE` as `kubectl get ... --output-file FILE`, so the file shows as an argument.
 *  The redirection is the last " > ": a quoted name may hold one too. */
function outputFileOf(line: string): string {
  const at = line.lastIndexOf(' > ');
  return `${line.slice(0, at)} --output-file ${line.slice(at + 3)}`;
}

/** "pod NAME" as two arguments, or "pod/NAME" as one. */
function namesTarget(argv: string[], resource: string, name: string): boolean {
  return argv.some((a, i) => (a === resource && argv[i + 1] === name) || a === `${resource}/${name}`);
}

const FLAGS = /^(-n|-p|-o|-e|-F|--namespace=.*|--type=.*|--force|--grace-period=0|--wait=false|--cascade=orphan|--field-selector|--sort-by=.*|--timeout=.*|--for=.*|-f|--output-file)$/s;

const hostile = fc.constantFrom('-', '--', "'", '"', '$', '`', '\\', ' ', '\n', '\t', ';', '|', '&', '*', '?', '~', '#', '(', ')', '{', '}', '<', '>', '=', '/', '\u202e', 'é', '中', '😀', '\u0001', '\u001b', '\u009b');
const name = fc.string({ unit: fc.oneof(hostile, fc.string({ minLength: 1, maxLength: 1 })), minLength: 1, maxLength: 20 });

describe('remedy commands', () => {
  it('give kubectl every name as one argument that is never a flag', () => {
    fc.assert(fc.property(name, name, (obj, ns) => {
      const lines = [
        kubectl.delete('pod', obj, ns),
        kubectl.forceDeletePod(obj, ns),
        kubectl.patch('pvc', obj, ns, { spec: { resources: { requests: { storage: obj } } } }),
        kubectl.taintOutOfService(obj),
        kubectl.get('pv', obj),
        kubectl.describe('resourcequota', obj, ns),
        kubectl.events('Pod', obj, ns),
        `echo | ${grepFor(obj)}`,
        kubectl.apply(localFile(obj, '.yaml')),
        outputFileOf(kubectl.saveTo('statefulset', obj, ns, localFile(obj, '.yaml'))),
      ];
      const [del, force, patch, taint, get, describe, events, grep, apply, save] = argvOf(lines);
      for (const [argv, resource] of [[del, 'pod'], [force, 'pod'], [patch, 'pvc'], [describe, 'resourcequota'], [taint, 'nodes'], [get, 'pv']] as const) {
        assert.ok(namesTarget(argv!, resource, obj), `${JSON.stringify(argv)} names ${resource} ${JSON.stringify(obj)}`);
        if (resource !== 'nodes' && resource !== 'pv') assert.ok(namesTarget(argv!, '-n', ns) || argv!.includes(`--namespace=${ns}`), `${JSON.stringify(argv)} has namespace ${JSON.stringify(ns)}`);
      }
      // Every argument that reads as a flag is one of stsvol's own: a name never is.
      for (const argv of [del, force, patch, taint, get, describe, events, apply, save]) {
        for (const a of argv!) if (a.startsWith('-')) assert.match(a, FLAGS, `${JSON.stringify(a)} in ${JSON.stringify(argv)} is one of stsvol's own flags`);
      }
      assert.equal(JSON.parse(patch![patch!.indexOf('-p') + 1]!).spec.resources.requests.storage, obj, 'the patch carries the value exactly');
      assert.deepEqual(grep, ['grep', '-F', '-e', obj]);
      assert.ok(events!.includes(`involvedObject.kind=Pod,involvedObject.name=${obj}`));
      // The saved manifest is one file in the current directory, the same for saving and applying.
      const file = apply![apply!.indexOf('-f') + 1]!;
      assert.match(file, /^\.\/[A-Za-z0-9_][A-Za-z0-9._-]*\.yaml$/, `${JSON.stringify(file)} stays in the current directory`);
      assert.equal(save!.at(-1), file, 'saved where it is applied from');
    }), { numRuns: Number(process.env.STSVOL_FUZZ_RUNS ?? 300) });
  });

  it('keep the plain form for names the API allows', () => {
    assert.equal(kubectl.delete('pod', 'web-0', 'db'), 'kubectl delete pod web-0 -n db');
    assert.equal(kubectl.delete('pod', '-rf', 'db'), 'kubectl delete pod/-rf -n db');
    assert.equal(kubectl.delete('pod', 'a b', 'db'), "kubectl delete 'pod/a b' -n db");
    assert.equal(kubectl.delete('pod', 'web-0', '-n'), "kubectl delete pod web-0 '--namespace=-n'");
    assert.equal(localFile('web', '.yaml'), './web.yaml');
    assert.equal(localFile('../../etc/passwd', '.yaml'), './_.._etc_passwd.yaml');
  });
});
