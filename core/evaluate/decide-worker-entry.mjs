// Entry of a decide worker thread: the TypeScript core is loaded through tsx, as in the CLI.
import { register } from 'tsx/esm/api';

register();
await import('./decide-worker.ts');
