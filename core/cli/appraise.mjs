#!/usr/bin/env node
// The `appraise` command. The core is TypeScript; a command runs it compiled to JavaScript
// (dist/<id>/, built by esbuild at `npm install` and again whenever the sources changed: see
// build-core.mjs), so Node starts it without compiling anything. When no fresh build can be
// had, or APPRAISE_CORE=source, the sources run through tsx as before: a stale build never runs.
// Every failure ends in one line and an exit code (boundary.ts).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { coreBuild } from './build-core.mjs';

const build = process.env.APPRAISE_CORE === 'source' ? undefined : await coreBuild();
let runCli;
if (build) {
  // Worker threads of this process (decide workers, plugin hosts) run the same build; the pid
  // keeps child processes, which inherit the environment, from taking it for theirs.
  process.env.APPRAISE_CORE_BUILD = `${process.pid} ${build.dir}`;
  ({ runCli } = await import(pathToFileURL(join(build.dir, 'cli.js')).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCli } = await import('./boundary.ts'));
}
process.exitCode = await runCli(process.argv.slice(2));
