// Every command that touches the store takes `--data-dir` and honours DATABASE_URL; the store
// is migrated before use and always closed. A one-off command on an embedded store goes
// through a running `serve` or `worker` when there is one, and otherwise owns it briefly.
import type { Command } from 'commander';
import { migrate } from '../store/migrate.ts';
import { openStore, type Store } from '../store/store.ts';

export function withDataDirOption(cmd: Command): Command {
  return cmd.option('--data-dir <dir>', 'the embedded store folder (default .appraise or APPRAISE_DATA_DIR; DATABASE_URL selects PostgreSQL instead)');
}

export async function withStore<T>(opts: { dataDir?: string }, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ dataDir: opts.dataDir, onWait: (m) => console.error(m) });
  try {
    await migrate(store);
    return await fn(store);
  } finally {
    await store.close();
  }
}
