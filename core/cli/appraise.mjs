#!/usr/bin/env node
// The `appraise` command. Core is TypeScript run directly through tsx (no build step), which
// also lets organisations write plugins in TypeScript and drop them in a folder.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
