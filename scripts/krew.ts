// `npm run krew`: the kubectl plugin as krew installs it. The CLI is bundled with its dependencies
// into one ES module (esbuild), next to a launcher named kubectl-stsvol; both go into a tar.gz built
// reproducibly (sorted, no times, no owners), and the krew manifest names that archive with its
// sha256. Written to dist/krew/; the archive is what a release attaches, the manifest what krew reads:
//   kubectl krew install --manifest=dist/krew/stsvol.yaml --archive=dist/krew/stsvol-krew-VERSION.tar.gz
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { stringify } from 'yaml';

const ROOT = join(import.meta.dirname, '..');

export interface KrewBuild {
  manifest: string;
  archive: string;
  sha256: string;
}

/** krew links kubectl-stsvol onto PATH; a file without an extension is read as CommonJS, so this
 *  launcher only imports the bundle (an .mjs beside it, found through the link's real path). */
const LAUNCHER = `#!/usr/bin/env node
// kubectl stsvol: runs the bundled stsvol (Node.js 24 or later).
import(require('node:url').pathToFileURL(require('node:path').join(__dirname, 'stsvol.mjs')).href).then((stsvol) => stsvol.main(process.argv.slice(2)));
`;

export async function buildKrew(outDir = join(ROOT, 'dist', 'krew')): Promise<KrewBuild> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; description: string; homepage: string };
  const stage = mkdtempSync(join(tmpdir(), 'stsvol-krew-'));
  try {
    await build({
      entryPoints: [join(ROOT, 'src', 'cli', 'main.ts')], outfile: join(stage, 'stsvol.mjs'),
      bundle: true, platform: 'node', format: 'esm', target: 'node24', legalComments: 'none', logLevel: 'error',
      // Bundled CommonJS dependencies call require(): give the module one.
      banner: { js: "import { createRequire as stsvolRequire } from 'node:module'; const require = stsvolRequire(import.meta.url);" },
    });
    writeFileSync(join(stage, 'kubectl-stsvol'), LAUNCHER);
    chmodSync(join(stage, 'kubectl-stsvol'), 0o755);
    mkdirSync(outDir, { recursive: true });
    const archive = join(outDir, `stsvol-krew-${pkg.version}.tar.gz`);
    execFileSync('bash', ['-c', 'tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -c kubectl-stsvol stsvol.mjs | gzip -n -9 > "$1"', 'tar', archive], { cwd: stage });
    const sha256 = createHash('sha256').update(readFileSync(archive)).digest('hex');
    const manifest = join(outDir, 'stsvol.yaml');
    writeFileSync(manifest, stringify({
      apiVersion: 'krew.googlecontainertools.github.com/v1alpha2',
      kind: 'Plugin',
      metadata: { name: 'stsvol' },
      spec: {
        version: `v${pkg.version}`,
        homepage: pkg.homepage,
        shortDescription: 'Keep the storage of StatefulSets healthy',
        description: `${pkg.description} Finds stuck volumes, stale disks and lost attachments, and resizes, scales and recovers StatefulSets with a journal, a dry run first.`,
        caveats: 'stsvol runs on Node.js 24 or later, which must be on PATH as node.',
        platforms: ['linux', 'darwin'].flatMap((os) => ['amd64', 'arm64'].map((arch) => ({
          selector: { matchLabels: { os, arch } },
          uri: `${pkg.homepage}/releases/download/v${pkg.version}/stsvol-krew-${pkg.version}.tar.gz`,
          sha256,
          bin: 'kubectl-stsvol',
        }))),
      },
    }));
    return { manifest, archive, sha256 };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const built = await buildKrew();
  console.log(`wrote ${built.archive} (sha256 ${built.sha256}) and ${built.manifest}`);
}
