// `sources`, `sources sync <name> [--full]` and `sources history <name>`: the configured sources
// (connectors), a sync by hand with one line per committed batch, and what earlier syncs did.
// The store is reached as every store command reaches it (--data-dir, DATABASE_URL, or through a
// running server); plugin code runs as the server would run it.
import type { Command } from 'commander';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { redactSecrets } from '../config/secrets.ts';
import { storeFolder } from '../config/config.ts';
import { hostFromConfig } from '../plugins/host-from-config.ts';
import { configuredSource, syncSource, type SyncResult } from '../sources/run-sync.ts';
import type { BatchCounts } from '../sources/store-batch.ts';
import { sourceStatuses } from '../sources/status.ts';
import { adviceFor } from '../sources/advice.ts';
import { syncHistory, type SyncRow } from '../sources/sync-log.ts';
import { cliContext } from './policy-commands.ts';
import { withDataDirOption, withStore } from './store-option.ts';

const when = (iso: string | null) => (iso ? `${iso.replace('T', ' ').slice(0, 16)} UTC` : '-');

function countsLine(c: Pick<BatchCounts, 'inserted' | 'duplicates' | 'employeesAdded' | 'employeesMatched' | 'parked' | 'unparked' | 'rejected' | 'deleted' | 'rateLimitWaits'>): string {
  const parts = [`${c.inserted} new record(s)`, `${c.duplicates} already stored`, `${c.employeesAdded} employee(s) added`, `${c.employeesMatched} matched`];
  if (c.parked) parts.push(`${c.parked} waiting for their person`);
  if (c.unparked) parts.push(`${c.unparked} stored now that their person is known`);
  if (c.rejected) parts.push(`${c.rejected} set aside as invalid`);
  if (c.deleted) parts.push(`${c.deleted} reported deleted (kept)`);
  if (c.rateLimitWaits) parts.push(`${c.rateLimitWaits} rate-limit wait(s)`);
  return parts.join(', ');
}

function printSummary(r: SyncResult): void {
  console.log(`Sync ${r.syncId} of ${r.name} (${r.sourceId}) ${r.status === 'ok' ? 'finished' : 'failed'} after ${r.batches} batch(es) in ${r.seconds.toFixed(1)} s: ${countsLine(r.totals)}.`);
  for (const x of r.rejects) console.log(`  set aside: ${x.kind} ${x.id}: ${x.field}: ${x.problem}`);
  if (r.totals.rejected > r.rejects.length) console.log(`  … and more; all are in the store's source_rejects table with their payload.`);
  for (const n of r.notes) console.log(`  note: ${n}`);
}

function historyLine(s: SyncRow): string {
  const took = s.seconds !== null ? ` (${s.seconds} s)` : '';
  const error = s.error ? `  ${s.error.code}: ${s.error.message}` : '';
  return `${String(s.id).padStart(5)}  ${when(s.startedAt)}${took}  ${s.trigger}${s.full ? ' --full' : ''}  ${s.status}  ${s.batches} batch(es): ${countsLine(s)}${error}`;
}

function fail(e: unknown, setExit: (code: number) => void): void {
  if (!(e instanceof AppraiseError)) throw e;
  console.error(`error ${e.code} ${redactSecrets(e.message)}`);
  setExit(1);
}

export function registerSourceCommands(program: Command, setExit: (code: number) => void): void {
  const sources = withDataDirOption(program
    .command('sources')
    .description('connectors that pull records and people from help desks and CRMs: list them, sync one, see its history')
    .option('--format <format>', 'text or json', 'text'))
    .action(async (opts: { format: string; dataDir?: string }) => {
      const ctx = await cliContext(program);
      if (!ctx) return setExit(1);
      await withStore({ dataDir: storeFolder(ctx.config, opts.dataDir) }, async (store) => {
        const list = await sourceStatuses(store, ctx.config, ctx.plugins);
        if (opts.format === 'json') return console.log(JSON.stringify({ sources: list }, null, 2));
        if (!list.length) return console.log('No sources are configured. Add one under `sources:` in appraise.config.yaml (see the README, "Sources").');
        for (const s of list) {
          console.log(`${s.name}  ${s.sourceId}${s.available ? '' : ' (no enabled plugin contributes it)'}  ${s.enabled ? 'enabled' : 'disabled'}  schedule ${s.schedule}  next ${when(s.nextRun)}`);
          const l = s.lastSync;
          console.log(l ? `  last sync ${l.id} ${when(l.startedAt)}: ${l.status}, ${countsLine(l)}` : '  never synced');
          if (l?.error) console.log(`  error ${l.error.code}: ${l.error.message}`);
        }
      });
    });

  withDataDirOption(sources
    .command('sync')
    .description('sync one configured source now: from where it stopped, or from the start with --full')
    .argument('<name>', 'the source name (a key of `sources` in appraise.config.yaml)')
    .option('--full', 're-read everything from the start (stores only what is not stored yet)'))
    .action(async (name: string, opts: { full?: boolean; dataDir?: string }) => {
      // `--data-dir` after the subcommand may be taken by `sources`, which has it too.
      opts.dataDir ??= (sources.opts() as { dataDir?: string }).dataDir;
      const ctx = await cliContext(program);
      if (!ctx) return setExit(1);
      try {
        configuredSource(ctx.config, ctx.plugins, name);
      } catch (e) {
        return fail(e, setExit);
      }
      const host = hostFromConfig(ctx.config, ctx.plugins, (id, level, m) => console.error(redactSecrets(`[${id}] ${level}: ${m}`)));
      try {
        await withStore({ dataDir: storeFolder(ctx.config, opts.dataDir) }, async (store) => {
          const r = await syncSource({ store, host, config: ctx.config, plugins: ctx.plugins }, name, {
            trigger: 'manual',
            full: opts.full ?? false,
            onStarted: (id) => console.log(`Sync ${id} of ${name}${opts.full ? ' from the start (--full)' : ''} started.`),
            onBatch: (p) => console.log(`batch ${p.batch}: ${p.counts.records} record(s) read: ${countsLine(p.counts)}${p.done ? '; done' : ''}`),
          });
          printSummary(r);
          if (r.error) {
            console.error(`error ${r.error.code} ${r.error.message}`);
            const advice = adviceFor(r.error.code);
            if (advice) console.error(`What to do: ${advice}`);
            setExit(1);
          }
        });
      } catch (e) {
        fail(e, setExit);
      } finally {
        await host.dispose();
      }
    });

  withDataDirOption(sources
    .command('history')
    .description('the latest syncs of one source, newest first')
    .argument('<name>', 'the source name')
    .option('--limit <n>', 'how many', '20')
    .option('--format <format>', 'text or json', 'text'))
    .action(async (name: string, opts: { limit: string; format: string; dataDir?: string }) => {
      opts.dataDir ??= (sources.opts() as { dataDir?: string }).dataDir;
      const ctx = await cliContext(program);
      if (!ctx) return setExit(1);
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        console.error(`error APPRAISE_USAGE --limit must be a whole number from 1 to 1000, not ${opts.limit}.`);
        return setExit(2);
      }
      if (!ctx.config.sources?.[name]) {
        try {
          configuredSource(ctx.config, ctx.plugins, name);
        } catch (e) {
          return fail(e, setExit);
        }
      }
      await withStore({ dataDir: storeFolder(ctx.config, opts.dataDir) }, async (store) => {
        const rows = await syncHistory(store, name, limit);
        if (opts.format === 'json') return console.log(JSON.stringify({ syncs: rows }, null, 2));
        if (!rows.length) return console.log(`${name} has not been synced yet: npx appraise sources sync ${name}`);
        for (const s of rows) console.log(historyLine(s));
      });
    });
}
