// `serve`, `start` (the README's main job), `token`, `status` and `migrate`.
import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { Appraise } from '../app/appraise.ts';
import { CLI_FIELDS, createToken, listTokens, parseExpiry, revokeToken, type Role } from '../auth/tokens.ts';
import { migrate } from '../store/migrate.ts';
import { openStore } from '../store/store.ts';
import { storeFolder } from '../config/config.ts';
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { firstStart } from '../app/first-start.ts';
import { cliContext, usageError } from './policy-commands.ts';
import { withDataDirOption, withStore } from './store-option.ts';

const UI_DIR = fileURLToPath(new URL('../../ui/dist/', import.meta.url));
// Resolves from core/cli/ and from the compiled dist/<id>/ alike (both two levels down).
const CLI = fileURLToPath(new URL('../../core/cli/appraise.mjs', import.meta.url));
const actor = () => {
  try {
    return process.env.APPRAISE_AUTHOR ?? userInfo().username;
  } catch {
    return 'cli';
  }
};

async function serve(program: Command, opts: { port?: string; host?: string; dataDir?: string; worker: boolean; demo?: boolean; log?: string }, setExit: (code: number) => void): Promise<void> {
  const ctx = await cliContext(program);
  if (!ctx) return setExit(1);
  const port = opts.port !== undefined ? Number(opts.port) : Number(process.env.PORT ?? ctx.config.server.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    usageError('APPRAISE_USAGE', `--port must be a whole number from 0 to 65535, not ${opts.port ?? process.env.PORT}.`);
    return setExit(2);
  }
  const host = opts.host ?? ctx.config.server.host;
  // fastify and the UI build load only for the commands that serve, while a new store is prepared.
  const serving = (async () => {
    const [server, ui, warmer] = await Promise.all([import('../server/app.ts'), import('../server/build-ui.ts'), import('../server/dashboard-warmer.ts')]);
    await ui.ensureUiBuilt((m) => console.log(m));
    return { ...server, ...warmer };
  })();
  const [{ buildServer, startDashboardWarmer }] = await Promise.all([serving, opts.demo ? prepareFreshStoreApart(program, storeFolder(ctx.config, opts.dataDir)) : undefined]);
  const app = await Appraise.open({ config: ctx.config, dataDir: opts.dataDir, share: true, onWait: (m) => console.error(m), log: (m) => console.log(`${new Date().toISOString()} ${m}`) });
  try {
    let token: string | undefined;
    if (opts.demo) token = await firstStart(app, (m) => console.log(m));
    // Request logs: a file beside an embedded store, standard output for a PostgreSQL deployment.
    const logTo = opts.log ?? process.env.APPRAISE_LOG ?? (app.store.kind === 'pglite' && !process.env.DATABASE_URL ? join(resolve(storeFolder(ctx.config, opts.dataDir)), 'server.log') : '-');
    const server = await buildServer(app, { uiDir: UI_DIR, logger: logTo === '-' ? { stream: process.stdout } : { file: logTo } });
    let address: string;
    try {
      address = await server.listen({ port, host });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new AppraiseError('APPRAISE_SERVER_PORT_IN_USE', `Port ${port} on ${host} is taken by another program. Stop it, or choose another port with --port or PORT.`);
      if (code === 'EACCES') throw new AppraiseError('APPRAISE_SERVER_PORT_IN_USE', `This user may not listen on port ${port} on ${host}. Choose a port above 1023 with --port or PORT.`);
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new AppraiseError('APPRAISE_USAGE', `--host ${host} is not an address of this machine.`);
      throw e;
    }
    const stopWorker = opts.worker ? app.startWorker() : async () => {};
    const warmer = startDashboardWarmer(app, { log: (m) => console.error(`${new Date().toISOString()} ${m}`) });
    console.log(`Appraise is serving ${address} (store: ${app.store.kind} at ${app.store.location})`);
    if (logTo !== '-') console.log(`Request log: ${logTo}`);
    if (token) console.log(`Admin token (shown once; sign in with it): ${token}`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    console.log('stopping…');
    await warmer.stop();
    await server.close();
    await stopWorker();
  } finally {
    await app.close();
  }
}

/**
 * A fresh embedded store is created and filled with the demo in a child process
 * (`appraise demo load`), and the server opens it afterwards. PGlite's WebAssembly memory never
 * shrinks: creating a database and loading the demo grow it to ~900 MB, while opening the
 * finished store takes ~370 MB. The child gives that memory back when it exits.
 */
async function prepareFreshStoreApart(program: Command, folder: string): Promise<void> {
  if (process.env.DATABASE_URL || folder === 'memory://' || existsSync(join(resolve(folder), 'PG_VERSION'))) return;
  const global = program.opts().config ? ['--config', program.opts().config as string] : [];
  const child = spawn(process.execPath, [CLI, ...global, 'demo', 'load', '--data-dir', folder], { stdio: 'inherit' });
  const code = await new Promise<number | null>((done, failed) => child.once('error', failed).once('exit', done));
  if (code !== 0) throw new AppraiseError('APPRAISE_DEMO_LOAD_FAILED', `Preparing the new store in ${folder} failed (the lines above say why). Fix that, delete the folder, and start again.`);
}

export function registerServerCommands(program: Command, setExit: (code: number) => void): void {
  withDataDirOption(program
    .command('serve')
    .description('the admin API and UI, with the scheduler and the workflow dispatcher')
    .option('--port <port>', 'port (default 3000, or PORT)')
    .option('--host <host>', 'interface to listen on (default 127.0.0.1)')
    .option('--no-worker', 'serve only; leave scheduled runs and deliveries to `npx appraise worker`')
    .option('--log <file>', 'request log (JSON lines); `-` for standard output (default: server.log in the store folder, or standard output with DATABASE_URL)'))
    .action((opts: { port?: string; host?: string; dataDir?: string; worker: boolean; log?: string }) => serve(program, opts, setExit));

  withDataDirOption(program
    .command('start')
    .description('the main job: serve with the shipped plugins and policies, loading a demo organisation on first start')
    .option('--port <port>', 'port (default 3000, or PORT)')
    .option('--host <host>', 'interface to listen on (default 127.0.0.1)')
    .option('--log <file>', 'request log (JSON lines); `-` for standard output'))
    .action((opts: { port?: string; host?: string; dataDir?: string; log?: string }) => serve(program, { ...opts, worker: true, demo: true }, setExit));

  const token = program.command('token').description('API tokens');
  withDataDirOption(token
    .command('create')
    .description('create a token (shown once)')
    .requiredOption('--role <role>', 'admin, hr, manager, employee or viewer')
    .requiredOption('--name <name>', 'who or what uses it')
    .option('--employee <id>', 'the employee a manager or employee token acts as')
    .option('--expires <date>', 'when it stops signing in: YYYY-MM-DD (works through that day, UTC) or an ISO 8601 instant; default never'))
    .action(async (opts: { role: string; name: string; employee?: string; expires?: string; dataDir?: string }) => {
      await withStore(opts, async (store) => {
        try {
          const expiresAt = opts.expires !== undefined ? parseExpiry(opts.expires, CLI_FIELDS.expiresAt) : undefined;
          const { token: t, info } = await createToken(store, { role: opts.role as Role, name: opts.name, employeeId: opts.employee, createdBy: actor(), ...(expiresAt ? { expiresAt } : {}) });
          console.log(`token ${info.tokenId} (${info.role}${info.employeeId ? ` as ${info.employeeId}` : ''}${info.expiresAt ? `, expires ${info.expiresAt}` : ''}): ${t}`);
          console.log('It is shown only now; keep it secret.');
        } catch (e) {
          if (e instanceof AppraiseError) {
            usageError(e.code, e.message);
            return setExit(2);
          }
          throw e;
        }
      });
    });
  withDataDirOption(token.command('revoke').description('revoke a token by id or name').argument('<idOrName>'))
    .action(async (idOrName: string, opts: { dataDir?: string }) => {
      await withStore(opts, async (store) => {
        const n = await revokeToken(store, idOrName, actor());
        if (!n) {
          console.error(`error APPRAISE_API_NOT_FOUND No active token ${idOrName}.`);
          return setExit(1);
        }
        console.log(`revoked ${n} token(s)`);
      });
    });
  withDataDirOption(token.command('list').description('tokens (never their secrets)'))
    .action(async (opts: { dataDir?: string }) => {
      await withStore(opts, async (store) => {
        for (const t of await listTokens(store)) console.log(`${t.tokenId}  ${t.name}  ${t.role}${t.employeeId ? ` as ${t.employeeId}` : ''}  created ${t.createdAt} by ${t.createdBy}${t.expiresAt ? `  ${t.status === 'expired' ? 'EXPIRED' : 'expires'} ${t.expiresAt}` : ''}${t.revokedAt ? `  REVOKED ${t.revokedAt}` : ''}`);
      });
    });

  withDataDirOption(program.command('migrate').description('apply the store migrations'))
    .action(async (opts: { dataDir?: string }) => {
      const store = await openStore({ dataDir: opts.dataDir, onWait: (m) => console.error(m) });
      try {
        const applied = await migrate(store);
        console.log(applied.length ? `applied ${applied.join(', ')}` : 'the store is up to date');
      } finally {
        await store.close();
      }
    });

  withDataDirOption(program.command('status').description('the store: where, how big, what is in it'))
    .action(async (opts: { dataDir?: string }) => {
      await withStore(opts, async (store) => {
        const count = async (table: string) => Number((await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);
        console.log(`store: ${store.kind} at ${store.location}`);
        console.log(`size: ${(await store.sizeBytes() / 1024 / 1024).toFixed(1)} MB`);
        for (const t of ['employees', 'records', 'policy_versions', 'runs', 'decisions', 'cases', 'outbox']) console.log(`${t}: ${await count(t)}`);
        const kinds = (await store.query<{ kind: string; n: number }>('SELECT kind, count(*)::int AS n FROM records GROUP BY kind ORDER BY kind')).rows;
        for (const k of kinds) console.log(`  records of ${k.kind}: ${k.n}`);
      });
    });
}
