// Entry of a decide worker thread: the same core as the thread that started it, the compiled
// build the CLI runs (APPRAISE_CORE_BUILD, set by appraise.mjs for its own pid), otherwise the
// TypeScript sources through tsx.
const build = process.env.APPRAISE_CORE_BUILD ?? '';
const space = build.indexOf(' ');
if (space > 0 && build.slice(0, space) === String(process.pid)) {
  const { pathToFileURL } = await import('node:url');
  await import(pathToFileURL(`${build.slice(space + 1)}/decide-worker.js`).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./decide-worker.ts');
}
