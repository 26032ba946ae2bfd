// Builds the dashboard's page (web/) into dist/web/app.js and app.css with esbuild: one script, one
// style sheet, every library inlined, nothing fetched at run time. Fails above the size budget
// (400 KB gzipped for the two together) and if a bundle could end the <script> or <style> element
// it is inlined into by --export.

import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET_GZIP_BYTES = 400 * 1000;
const out = 'dist/web';

await build({
  entryPoints: { app: 'web/main.tsx' },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: out,
  legalComments: 'eof',
  logLevel: 'warning',
});

const js = readFileSync(`${out}/app.js`, 'utf8');
const css = readFileSync(`${out}/app.css`, 'utf8');
if (/<\/script/i.test(js)) throw new Error('dist/web/app.js contains "</script": it could not be inlined by --export');
if (/<\/style/i.test(css)) throw new Error('dist/web/app.css contains "</style": it could not be inlined by --export');
const gzipped = gzipSync(js).length + gzipSync(css).length;
process.stderr.write(`dashboard page: app.js ${(js.length / 1000).toFixed(0)} KB, app.css ${(css.length / 1000).toFixed(0)} KB, ${(gzipped / 1000).toFixed(1)} KB gzipped (budget ${BUDGET_GZIP_BYTES / 1000} KB)\n`);
if (gzipped > BUDGET_GZIP_BYTES) throw new Error(`the dashboard page is ${gzipped} bytes gzipped, over its budget of ${BUDGET_GZIP_BYTES}`);
