// Another process's embedded store, reached through its owner's local socket (share.ts). It is
// a Store like any other: the commands above it cannot tell, and what they write is in the
// owner's database, visible to the owner's API at once.
import { connect, type Socket } from 'node:net';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { describeOwner, type OwnerInfo } from './ownership.ts';
import type { Queryable, QueryResult, Store } from './store.ts';
import { receive, send, type Reply, type Request, type WireError } from './wire.ts';

type Body = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

function fromWire(e: WireError): Error {
  if (e.name === 'AppraiseError' && e.code?.startsWith('APPRAISE_')) return new AppraiseError(e.code as never, e.message, e.details ?? {});
  return Object.assign(new Error(e.message), e);
}

export async function connectToOwner(dataDir: string, owner: OwnerInfo, command: string): Promise<Store> {
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect(owner.socket!);
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 1;
  let gone: Error | undefined;
  const ownerGone = () => new AppraiseError('APPRAISE_STORE_OWNER_GONE', `The process that owns the store at ${dataDir}, ${describeOwner(owner)}, stopped while this command was using it. Nothing of an unfinished transaction was kept; run the command again.`);
  receive<Reply>(socket, (m) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.ok) w.resolve(m.result);
    else w.reject(fromWire(m.error));
  }, () => socket.destroy());
  socket.on('error', () => {});
  socket.on('close', () => {
    gone = ownerGone();
    for (const w of waiting.values()) w.reject(gone);
    waiting.clear();
  });
  // Neither end of the connection keeps the process alive on its own.
  socket.unref();

  const call = <T>(body: Body): Promise<T> => {
    if (gone) return Promise.reject(gone);
    const id = next++;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      socket.ref();
      send(socket, { ...body, id } as Request);
    }).finally(() => {
      if (!waiting.size) socket.unref();
    });
  };
  await call({ op: 'hello', pid: process.pid, command });

  const query = <T>(sql: string, params: unknown[] = [], tx?: number) => call<QueryResult<T>>({ op: 'query', sql, params, ...(tx ? { tx } : {}) });
  const copyRows = async (table: string, columns: readonly string[], data: string, tx?: number) => {
    await call({ op: 'copy', table, columns: [...columns], data, ...(tx ? { tx } : {}) });
  };
  return {
    kind: 'pglite',
    location: `${dataDir} (through ${describeOwner(owner)})`,
    query: <T>(sql: string, params?: unknown[]) => query<T>(sql, params),
    copyRows: (table, columns, data) => copyRows(table, columns, data),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const { tx } = await call<{ tx: number }>({ op: 'begin' });
      let out: T;
      try {
        out = await fn({ query: <U>(sql: string, params?: unknown[]) => query<U>(sql, params, tx), copyRows: (table, columns, data) => copyRows(table, columns, data, tx) });
      } catch (e) {
        await call({ op: 'rollback', tx }).catch(() => {});
        throw e;
      }
      await call({ op: 'commit', tx });
      return out;
    },
    exec: async (sql) => {
      await call({ op: 'exec', sql });
    },
    sizeBytes: () => call<number>({ op: 'size' }),
    checkpoint: async () => {
      await call({ op: 'checkpoint' });
    },
    async tryLock(key) {
      const got = await call<boolean>({ op: 'lock', key });
      return got ? async () => void (await call({ op: 'unlock', key }).catch(() => {})) : undefined;
    },
    close: async () => {
      socket.end();
      socket.destroy();
    },
  };
}
