// Entry of a plugin host thread: TypeScript plugins are loaded through tsx, as in the CLI.
import { register } from 'tsx/esm/api';

register();
await import('./worker-main.ts');
