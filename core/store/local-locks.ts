// The lock table of one process: the embedded store's owner keeps every lock of every process
// it serves here, and a PostgreSQL store keeps this process's own holders apart here before it
// asks the server (whose advisory locks are re-entrant within a session).

export interface LocalLocks {
  tryLock(key: string, holder: object): boolean;
  unlock(key: string, holder: object): void;
  releaseAll(holder: object): void;
}

/** Session locks of the embedded store: the owner is the only process, so a map is the lock table. */
export function localLocks(): LocalLocks {
  const held = new Map<string, object>();
  return {
    // Not re-entrant: a second tryLock of a held key fails, whoever asks.
    tryLock(key, holder) {
      if (held.has(key)) return false;
      held.set(key, holder);
      return true;
    },
    unlock(key, holder) {
      if (held.get(key) === holder) held.delete(key);
    },
    releaseAll(holder) {
      for (const [k, h] of held) if (h === holder) held.delete(k);
    },
  };
}
