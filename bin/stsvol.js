#!/usr/bin/env node
// Entry point of the installed command (`stsvol`, and `kubectl stsvol` as kubectl-stsvol).
let main;
try {
  ({ main } = await import('../dist/cli/main.js'));
} catch (err) {
  process.stderr.write(`stsvol: internal error: cannot load stsvol (${String(err?.message ?? err).split('\n')[0]}); reinstall it (npm install builds dist/)\n`);
  process.exit(70);
}
await main(process.argv.slice(2));
