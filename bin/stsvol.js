#!/usr/bin/env node
// Entry point of the installed command (`stsvol`, and `kubectl stsvol` as kubectl-stsvol).
import { run } from '../dist/cli/main.js';

process.exitCode = await run(process.argv.slice(2));
