// The messages between an embedded store's owner and the other Appraise processes on the same
// machine: each a length-prefixed V8 serialisation (structured clone), so rows keep their Dates,
// bigints and byte arrays exactly as PGlite returned them, with no JSON round trip in between.
import { deserialize, serialize } from 'node:v8';
import type { Socket } from 'node:net';

export type Request =
  | { id: number; op: 'hello'; pid: number; command: string }
  | { id: number; op: 'query'; sql: string; params: unknown[]; tx?: number }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'copy'; table: string; columns: string[]; data: string; tx?: number }
  | { id: number; op: 'begin' }
  | { id: number; op: 'commit' | 'rollback'; tx: number }
  | { id: number; op: 'size' | 'checkpoint' }
  | { id: number; op: 'lock' | 'unlock'; key: string };

export type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: WireError };

/** What crosses for an error: enough for callers that look at PostgreSQL's SQLSTATE and fields. */
export interface WireError {
  message: string;
  name?: string;
  code?: string;
  detail?: string;
  constraint?: string;
  table?: string;
  column?: string;
  details?: Record<string, unknown>;
}

/** Messages above this size are refused rather than buffered without bound. */
const MAX_MESSAGE = 512 * 1024 * 1024;

export function send(socket: Socket, message: Request | Reply): void {
  const body = serialize(message);
  const head = Buffer.allocUnsafe(4);
  head.writeUInt32BE(body.length, 0);
  socket.write(Buffer.concat([head, body]));
}

/** Calls `onMessage` for each whole message arriving on the socket. */
export function receive<T>(socket: Socket, onMessage: (message: T) => void, onError: (e: Error) => void): void {
  let buffered: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    while (buffered.length >= 4) {
      const size = buffered.readUInt32BE(0);
      if (size > MAX_MESSAGE) {
        onError(new Error(`a message of ${size} bytes is over the limit`));
        socket.destroy();
        return;
      }
      if (buffered.length < 4 + size) break;
      const body = buffered.subarray(4, 4 + size);
      buffered = buffered.subarray(4 + size);
      let message: T;
      try {
        message = deserialize(body) as T;
      } catch (e) {
        onError(e as Error);
        socket.destroy();
        return;
      }
      onMessage(message);
    }
  });
}

export function toWireError(e: unknown): WireError {
  const x = (e ?? {}) as Record<string, unknown>;
  const pick = (k: string) => (typeof x[k] === 'string' ? { [k]: x[k] as string } : {});
  return {
    message: typeof x.message === 'string' ? x.message : String(e),
    ...pick('name'), ...pick('code'), ...pick('detail'), ...pick('constraint'), ...pick('table'), ...pick('column'),
    ...(x.details && typeof x.details === 'object' ? { details: x.details as Record<string, unknown> } : {}),
  };
}
