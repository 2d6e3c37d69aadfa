#!/usr/bin/env node
// The `appraise` command. Core is TypeScript run directly through tsx (no build step), which
// also lets organisations write plugins in TypeScript and drop them in a folder. Every failure
// ends in one line and an exit code (boundary.ts).
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('./boundary.ts');
process.exitCode = await runCli(process.argv.slice(2));
