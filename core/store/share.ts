// The owner's side of sharing an embedded store: a local socket (a Unix socket in a folder only
// the owner's user can enter) on which other Appraise processes send queries and transactions.
// A remote transaction is a real PGlite transaction held open in the owner while that process
// sends its statements, so it is serialised with the owner's own work exactly as a second
// connection to PostgreSQL would be. A process that goes away mid-transaction is rolled back,
// and its locks are released.
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalLocks } from './local-locks.ts';
import type { Queryable, Store } from './store.ts';
import { receive, send, toWireError, type Request } from './wire.ts';

/** A remote transaction that sends nothing for this long is rolled back, so one stuck process cannot hold the store. */
export const REMOTE_TX_IDLE_MS = 120_000;

interface OpenTx {
  tx: Queryable;
  finish: (commit: boolean) => void;
  idle?: NodeJS.Timeout;
}

export interface Sharing {
  socket: string;
  /** Stops accepting, waits (bounded) for transactions in progress, then drops the connections. */
  close(waitMs?: number): Promise<void>;
}

/** Where the socket goes: in the store folder when the path fits a Unix socket, else in a private temp folder. */
function socketPath(dataDir: string): { path: string; cleanup: () => void } {
  const inFolder = join(dataDir, 'owner.sock');
  if (Buffer.byteLength(inFolder) < 100) return { path: inFolder, cleanup: () => rmSync(inFolder, { force: true }) };
  const dir = mkdtempSync(join(tmpdir(), 'appraise-store-'));
  return { path: join(dir, 'owner.sock'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function shareStore(store: Store, locks: LocalLocks, dataDir: string, log: (m: string) => void = () => {}): Promise<Sharing> {
  const { path, cleanup } = socketPath(dataDir);
  if (existsSync(path)) rmSync(path, { force: true }); // left by an owner that was killed
  const connections = new Set<Socket>();
  const openTxs = new Set<Promise<unknown>>();

  const server: Server = createServer((socket) => {
    connections.add(socket);
    const holder = {};
    const txs = new Map<number, OpenTx>();
    const outcomes = new Map<number, Promise<unknown>>();
    let nextTx = 1;
    let closed = false;
    const reply = (id: number, result: unknown) => socket.writable && send(socket, { id, ok: true, result });
    const fail = (id: number, e: unknown) => socket.writable && send(socket, { id, ok: false, error: toWireError(e) });
    const armIdle = (t: OpenTx) => {
      clearTimeout(t.idle);
      t.idle = setTimeout(() => {
        log('a process held a transaction on the store without sending anything for two minutes; it was rolled back');
        socket.destroy();
      }, REMOTE_TX_IDLE_MS);
      t.idle.unref();
    };

    /** Where a query or a COPY runs: the client's open transaction (kept alive by it), or the store. */
    const target = (tx: number | undefined): Queryable => {
      if (!tx) return store;
      const t = txs.get(tx);
      if (!t) throw new Error('the transaction is no longer open');
      armIdle(t);
      return t.tx;
    };

    const handle = async (m: Request) => {
      switch (m.op) {
        case 'hello':
          return reply(m.id, { pid: process.pid });
        case 'query':
          return reply(m.id, await target(m.tx).query(m.sql, m.params));
        case 'copy': {
          const on = target(m.tx);
          if (!on.copyRows) throw new Error('this store cannot COPY');
          return reply(m.id, await on.copyRows(m.table, m.columns, m.data));
        }
        case 'exec':
          return reply(m.id, await store.exec(m.sql));
        case 'begin': {
          const id = nextTx++;
          let finish!: (commit: boolean) => void;
          const decided = new Promise<boolean>((r) => (finish = r));
          let started!: () => void;
          const began = new Promise<void>((r) => (started = r));
          const done = store.transaction(async (tx) => {
            const t: OpenTx = { tx, finish };
            txs.set(id, t);
            // The process may have gone while this transaction waited for the store.
            if (closed) finish(false);
            else armIdle(t);
            started();
            if (!(await decided)) throw new RolledBack();
          });
          // What the transaction came to: undefined when it committed or rolled back as asked.
          const settled: Promise<unknown> = done
            .then(() => undefined, (e) => (e instanceof RolledBack ? undefined : e))
            .finally(() => {
              clearTimeout(txs.get(id)?.idle);
              txs.delete(id);
              openTxs.delete(settled);
            });
          openTxs.add(settled);
          outcomes.set(id, settled);
          const failed = await Promise.race([began.then(() => undefined), settled.then((e) => e ?? new Error('the transaction ended before it began'))]);
          if (failed) throw failed;
          return reply(m.id, { tx: id });
        }
        case 'commit':
        case 'rollback': {
          const t = txs.get(m.tx);
          if (!t) throw new Error('the transaction is no longer open');
          t.finish(m.op === 'commit');
          const error = await outcomes.get(m.tx);
          outcomes.delete(m.tx);
          if (error) throw error;
          return reply(m.id, null);
        }
        case 'size':
          return reply(m.id, await store.sizeBytes());
        case 'checkpoint':
          return reply(m.id, await store.checkpoint());
        case 'lock':
          return reply(m.id, locks.tryLock(m.key, holder));
        case 'unlock':
          locks.unlock(m.key, holder);
          return reply(m.id, null);
      }
    };

    receive<Request>(socket, (m) => {
      handle(m).catch((e) => fail(m.id, e));
    }, (e) => log(`a process sharing the store sent something unreadable: ${e.message}`));
    socket.on('error', () => {});
    socket.on('close', () => {
      closed = true;
      connections.delete(socket);
      // Gone mid-transaction: roll it back, as PostgreSQL does for a dropped connection.
      for (const t of txs.values()) t.finish(false);
      locks.releaseAll(holder);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);

  return {
    socket: path,
    async close(waitMs = 30_000) {
      server.close();
      const deadline = new Promise((r) => setTimeout(r, waitMs).unref());
      await Promise.race([Promise.all([...openTxs]), deadline]);
      for (const c of connections) c.destroy();
      await Promise.all([...openTxs]);
      cleanup();
    },
  };
}

class RolledBack extends Error {}
