// Opening an embedded store folder: as its owner (the lock is free or stale), through its owner
// (it shares the store on a local socket), or after waiting for an owner that keeps it to itself
// (a one-off command such as an import), and never as a second writer.
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { acquireOwnership, describeOwner, type OwnerInfo } from './ownership.ts';
import { openPglite } from './pglite.ts';
import { connectToOwner } from './remote.ts';
import { localLocks } from './local-locks.ts';
import { shareStore, type Sharing } from './share.ts';
import { storeFolderError, thisCommand, type Store, type StoreOptions } from './store.ts';

/** A one-off command waits a minute for another; a server or worker, which would otherwise not start at all, ten. */
const DEFAULT_WAIT_MS = 60_000;
const SHARING_WAIT_MS = 600_000;

export async function openOwnedOrShared(dataDir: string, options: StoreOptions): Promise<Store> {
  const command = options.command ?? thisCommand();
  const waitMs = options.waitMs ?? (process.env.APPRAISE_STORE_WAIT_MS !== undefined ? Number(process.env.APPRAISE_STORE_WAIT_MS) : options.share ? SHARING_WAIT_MS : DEFAULT_WAIT_MS);
  const deadline = Date.now() + waitMs;
  let told = false;
  let lastOwner: OwnerInfo | undefined;
  for (;;) {
    let got;
    try {
      got = await acquireOwnership(dataDir, command);
    } catch (e) {
      throw storeFolderError(dataDir, e);
    }
    if ('info' in got) {
      const locks = localLocks();
      let store: Store;
      try {
        store = await openPglite(dataDir, locks);
      } catch (e) {
        await got.release();
        throw storeFolderError(dataDir, e);
      }
      let sharing: Sharing | undefined;
      if (options.share) {
        sharing = await shareStore(store, locks, dataDir, options.log);
        got.update({ socket: sharing.socket });
      }
      const close = store.close;
      return Object.assign(store, {
        async close() {
          got.update({ socket: undefined });
          await sharing?.close();
          await close();
          await got.release();
        },
      });
    }
    lastOwner = got.owner;
    if (got.owner.socket) {
      try {
        return await connectToOwner(dataDir, got.owner, command);
      } catch {
        // The owner is starting or stopping its sharing: look again.
      }
    }
    if (Date.now() >= deadline) break;
    if (!told) {
      options.onWait?.(`Waiting for ${describeOwner(got.owner)} to finish with the store at ${dataDir}…`);
      told = true;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new AppraiseError(
    'APPRAISE_STORE_BUSY',
    `The store at ${dataDir} is in use by ${describeOwner(lastOwner!)}, which keeps it to itself until it finishes. Wait for it to finish and run this again, or stop it.`,
    { dataDir, owner: lastOwner },
  );
}
