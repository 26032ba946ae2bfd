// Writes docs/checks.md from doctor's catalog and its explanations, and the checks section of
// docs/audit.md from audit's catalog (unit tests keep both equal): node scripts/checks-doc.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { checksMarkdown, withAuditChecks } from '../src/cli/explain.ts';

writeFileSync('docs/checks.md', checksMarkdown());
writeFileSync('docs/audit.md', withAuditChecks(readFileSync('docs/audit.md', 'utf8')));
console.log('wrote docs/checks.md and the checks of docs/audit.md');
