// `tsx core/store/build-template.ts`: builds the empty store template (template.ts) at install.
// A script of its own: template.ts is imported by the PGlite opener it uses to build.
import { buildStoreTemplate } from './template.ts';

const started = performance.now();
const file = await buildStoreTemplate();
console.log(`appraise: the empty store template is ${file} (${Math.round(performance.now() - started)} ms)`);
