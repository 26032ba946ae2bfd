// What stsvol says about itself: its version, and where the documentation of that version lives
// (the runbook links of alerts and `stsvol explain` point into it).

export const VERSION = '0.1.0';

/** The docs folder of this release; `--runbook-base` replaces it with the user's own copy. */
export const DEFAULT_DOCS_BASE = `https://github.com/stsvol/stsvol/blob/v${VERSION}/docs/`;
