// The page's bundle, built from web/ by scripts/build-web.ts into dist/web/ (npm install and npm run
// build do it): read once, served as is, or inlined into an exported file. Nothing is fetched from
// anywhere else, so the page works in an air-gapped cluster.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ClusterError } from '../model/errors.ts';
import type { ExportedDashboard } from './types.ts';

export interface WebAssets {
  js: string;
  css: string;
  indexHtml: string;
}

// From dist/dashboard/ the bundle is at dist/web/; from src/dashboard/ (tests, the checkout) too.
const CANDIDATES = ['../web/', '../../dist/web/'];

export function loadWebAssets(): WebAssets {
  const dir = CANDIDATES.map((c) => fileURLToPath(new URL(c, import.meta.url))).find((d) => existsSync(`${d}app.js`));
  if (!dir) throw new ClusterError('the dashboard page is not built: run npm run build (npm install builds it)');
  const js = readFileSync(`${dir}app.js`, 'utf8');
  const css = readFileSync(`${dir}app.css`, 'utf8');
  return { js, css, indexHtml: page('<link rel="stylesheet" href="app.css">', '<script src="app.js"></script>') };
}

function page(head: string, body: string): string {
  return `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>stsvol dashboard</title>\n<link rel="icon" href="data:,">\n${head}\n</head>\n<body>\n<div id="app"></div>\n${body}\n</body>\n</html>\n`;
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** JSON inside a <script> element: "</script>" or "<!--" in a cluster string must not end it. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** One self-contained page: the bundle and the data inlined, allowed by hash, no request at all. */
export function exportHtml(assets: WebAssets, data: ExportedDashboard): string {
  const csp = `default-src 'none'; script-src ${sha256(assets.js)}; style-src ${sha256(assets.css)}; img-src data:; base-uri 'none'; form-action 'none'`;
  const head = `<meta http-equiv="Content-Security-Policy" content="${csp}">\n<style>${assets.css}</style>`;
  const body = `<script type="application/json" id="stsvol-data">${scriptSafeJson(data)}</script>\n<script>${assets.js}</script>`;
  return page(head, body);
}
