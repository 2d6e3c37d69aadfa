// Where the command line meets the world: whatever escapes a command (a store that does not
// answer, a busy port, a closed pipe, a bug) ends as one line, `error CODE what happened, what
// to do`, and exit 1 (2 for usage). A stack trace goes to a log file that the line names,
// never to the terminal.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ErrorCode } from '../diagnostics/codes.ts';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { redactUrl } from '../store/store.ts';

/** The one line for a failure, and its exit code. */
export function describeFailure(e: unknown): { code: ErrorCode; message: string; exit: 1 | 2 } {
  if (e instanceof AppraiseError) return { code: e.code, message: e.message, exit: e.code === 'APPRAISE_USAGE' ? 2 : 1 };
  const err = (e ?? {}) as NodeJS.ErrnoException & { errors?: NodeJS.ErrnoException[]; input?: string; address?: string; port?: number; hostname?: string };
  const code = err.code ?? err.errors?.[0]?.code;
  const where = process.env.DATABASE_URL ? `the PostgreSQL server of DATABASE_URL (${redactUrl(process.env.DATABASE_URL)})` : 'the PostgreSQL server';
  switch (code) {
    case 'ECONNREFUSED':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { code: 'APPRAISE_STORE_UNREACHABLE', message: `${cap(where)} does not answer (${code}). Start it, or correct the host and port in DATABASE_URL.`, exit: 1 };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { code: 'APPRAISE_STORE_UNREACHABLE', message: `The host of ${where} is unknown (${err.hostname ?? code}). Correct DATABASE_URL.`, exit: 1 };
    case '3D000':
      return { code: 'APPRAISE_STORE_DATABASE_MISSING', message: `${cap(err.message)} on ${where}. Create it (createdb <name>) or correct DATABASE_URL.`, exit: 1 };
    case '28P01':
    case '28000':
      return { code: 'APPRAISE_STORE_LOGIN_FAILED', message: `${cap(where)} refused the login: ${err.message}. Correct the user or password in DATABASE_URL.`, exit: 1 };
    case 'ERR_INVALID_URL':
      // pg hides the URL it could not read behind this marker (it may hold a password).
      if (!process.env.DATABASE_URL || ![PG_REDACTED, process.env.DATABASE_URL].includes(err.input ?? '')) break;
      return { code: 'APPRAISE_STORE_UNREACHABLE', message: `DATABASE_URL (${redactUrl(process.env.DATABASE_URL)}) is not a URL that names a PostgreSQL server. Write it as postgres://user:password@host:5432/database.`, exit: 1 };
    case 'EADDRINUSE':
      return { code: 'APPRAISE_SERVER_PORT_IN_USE', message: `The port is taken by another program (${err.address ?? ''}:${err.port ?? ''}). Stop it, or choose another with --port or PORT.`, exit: 1 };
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return { code: 'APPRAISE_STORE_PERMISSION_DENIED', message: `This user may not use ${err.path ?? 'a file it needs'} (${code}). Run as the user who owns it, or fix its permissions.`, exit: 1 };
  }
  // The other end hung up: pg's own error when it closes (no code), or a reset. A server that
  // stopped, or a port where something other than PostgreSQL listens.
  const hungUp = code === 'ECONNRESET' || (!code && /^Connection terminated/.test(String(err.message)));
  if (hungUp && process.env.DATABASE_URL) {
    return { code: 'APPRAISE_STORE_UNREACHABLE', message: `${cap(where)} closed the connection without answering (${code ?? err.message}). Check that PostgreSQL is running at that host and port, and that DATABASE_URL names it, not another service.`, exit: 1 };
  }
  const log = writeDetails(e);
  return { code: 'APPRAISE_UNEXPECTED', message: `${cap(String(err.message ?? e).split('\n')[0]).slice(0, 300)}. This is a failure Appraise does not know yet; details are in ${log}. Please report it.`, exit: 1 };
}

const PG_REDACTED = '*****REDACTED*****';
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function writeDetails(e: unknown): string {
  const file = join(tmpdir(), `appraise-error-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.log`);
  try {
    writeFileSync(file, `${new Date().toISOString()} appraise ${process.argv.slice(2).join(' ')}\n${(e as Error)?.stack ?? String(e)}\n`, { mode: 0o600 });
    return file;
  } catch {
    return 'no log file (it could not be written)';
  }
}

/** Runs the command line; never throws, never prints a stack trace. */
export async function runCli(argv: string[]): Promise<number> {
  // A reader that stops early (`| head`) closes the pipe: that is the reader's choice, not a failure.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    });
  }
  const fail = (e: unknown) => {
    const f = describeFailure(e);
    process.stderr.write(`error ${f.code} ${f.message}\n`);
    return f.exit;
  };
  process.on('uncaughtException', (e) => process.exit(fail(e)));
  process.on('unhandledRejection', (e) => process.exit(fail(e)));
  try {
    const { main } = await import('./main.ts');
    return await main(argv);
  } catch (e) {
    return fail(e);
  }
}
