// `import employees <file>` and `import records <kind> <file>`: the data admin's commands. They
// parse options, open the store (PGlite folder, or DATABASE_URL), run one import in one
// transaction and print its counts. Exit 0 on success, 1 when rows or files are bad, 2 on usage.
import { existsSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import cliProgress from 'cli-progress';
import { Option, type Command } from 'commander';
import { AppraiseError, formatDiagnostic, hasErrors, sortDiagnostics } from '../diagnostics/diagnostic.ts';
import { loadConfig } from '../config/config.ts';
import { pluginSetFromConfig } from '../plugins/host-from-config.ts';
import { isValidZone } from '../import/datetime.ts';
import { importEmployees } from '../import/import-employees.ts';
import { importRecords } from '../import/import-records.ts';
import { loadMapping, type Mapping } from '../import/mapping.ts';
import { MappingMismatch } from '../import/mapping-check.ts';
import { FORMATS, type FileFormat } from '../import/read-rows.ts';
import { resolveRecordKind } from '../import/record-kinds.ts';
import { formatRowErrors } from '../import/rejects.ts';
import { ImportRejected, resolveFormat, type ImportRequest, type ImportSummary } from '../import/run-import.ts';
import { withDataDirOption, withStore } from './store-option.ts';

interface ImportOptions {
  dataDir?: string;
  map?: string;
  skipInvalid?: string;
  timezone?: string;
  source?: string;
  format?: string;
  actor?: string;
  plugins?: string[];
  onDuplicate?: 'first' | 'last' | 'error';
}

// Problems with how the command was called (not with the data): exit 2.
const USAGE_CODES = new Set(['APPRAISE_USAGE', 'APPRAISE_IMPORT_UNKNOWN_KIND', 'APPRAISE_FILE_UNREADABLE']);

export function registerImportCommands(program: Command, setExit: (code: number) => void): void {
  const root = program
    .command('import')
    .description('import employees or records from CSV, TSV or NDJSON files (one transaction per file; re-importing adds nothing)');

  const withOptions = (cmd: Command) =>
    withDataDirOption(cmd)
      .option('--map <mapping.yaml>', 'a column mapping for a foreign export (schemas/mapping.schema.json; examples in rules/mappings/)')
      .option('--skip-invalid <rejects.csv>', 'import the valid rows and write the invalid ones, with line, column and reason, to this CSV (exit code stays 1)')
      .option('--timezone <zone>', "IANA zone of dates and times without an offset (default: the mapping's, else UTC)")
      .option('--source <name>', "stored as every row's source (default: the mapping's)")
      .option('--format <format>', `${FORMATS.join(', ')} (default: from the file extension)`)
      .option('--actor <name>', 'who runs the import, recorded with it (default: the OS user)')
      .option('--plugins <dir...>', 'extra plugin folders (for their record kinds)');

  withOptions(root.command('employees'))
    .addOption(new Option('--on-duplicate <rule>', "an id on several rows that differ: keep the first, the last (by file order, or by the mapping's duplicates.orderBy time), or refuse them (default: the mapping's, else error)").choices(['first', 'last', 'error']))
    .description('import or update employees (upsert by id); CSV columns id,name,email,role,team,department,location,managerId,hireDate, others become attributes')
    .argument('<file>', 'a .csv, .tsv, .ndjson or .jsonl file')
    .action(async (file: string, opts: ImportOptions) => {
      setExit(await run(program, opts, file, undefined));
    });

  withOptions(root.command('records'))
    .description('import records of one kind; CSV columns employeeId,occurredAt,externalId?,source? and one per payload field')
    .argument('<kind>', 'the record kind (support.ticket, or ticket when unambiguous); may be left out with --map')
    .argument('[file]', 'a .csv, .tsv, .ndjson or .jsonl file')
    .action(async (kindOrFile: string, file: string | undefined, opts: ImportOptions) => {
      // With a mapping the kind is in the mapping: `import records data.csv --map m.yaml` is enough.
      if (file === undefined) {
        if (!opts.map) {
          usage('`import records` needs a record kind and a file: npx appraise import records <kind> <file> (or <file> --map <mapping.yaml>).');
          return setExit(2);
        }
        setExit(await run(program, opts, kindOrFile, null));
      } else setExit(await run(program, opts, file, kindOrFile));
    });
}

function usage(message: string): void {
  console.error(`error APPRAISE_USAGE ${message}`);
}

/** `kind`: undefined for employees, null for records whose kind the mapping names. */
async function run(program: Command, opts: ImportOptions, file: string, kind: string | null | undefined): Promise<number> {
  if (opts.format !== undefined && !(FORMATS as readonly string[]).includes(opts.format)) {
    usage(`--format must be one of ${FORMATS.join(', ')}, not ${opts.format}.`);
    return 2;
  }
  if (opts.timezone !== undefined && !isValidZone(opts.timezone)) {
    usage(`--timezone ${opts.timezone} is not an IANA time zone; write e.g. Europe/Berlin, America/New_York or UTC.`);
    return 2;
  }
  if (!existsSync(file) || !statSync(file).isFile()) {
    console.error(`error APPRAISE_FILE_UNREADABLE No such file: ${file}.`);
    return 2;
  }
  const { config, diagnostics } = await loadConfig(program.opts().config);
  for (const d of diagnostics) console.error(formatDiagnostic(d));
  if (!config || hasErrors(diagnostics)) return 1;

  let mapping: Mapping | undefined;
  if (opts.map) {
    const loaded = await loadMapping(opts.map);
    for (const d of sortDiagnostics(loaded.diagnostics)) console.error(formatDiagnostic(d));
    if (!loaded.mapping) return loaded.diagnostics.some((d) => d.code === 'APPRAISE_FILE_UNREADABLE') ? 2 : 1;
    mapping = loaded.mapping;
    if (kind === undefined && mapping.target !== 'employees') {
      usage(`${opts.map} maps onto records (${mapping.recordKind}); run npx appraise import records ${file} --map ${opts.map}.`);
      return 2;
    }
    if (kind !== undefined && mapping.target !== 'records') {
      usage(`${opts.map} maps onto employees; run npx appraise import employees ${file} --map ${opts.map}.`);
      return 2;
    }
  }

  const request: ImportRequest = {
    file,
    actor: opts.actor ?? osUser(),
    ...(opts.format ? { format: opts.format as FileFormat } : {}),
    ...(mapping ? { mapping } : {}),
    ...(opts.timezone ? { timezone: opts.timezone } : {}),
    ...(opts.source ? { source: opts.source } : {}),
    ...(opts.skipInvalid ? { rejectsFile: opts.skipInvalid } : {}),
    ...(opts.onDuplicate ? { onDuplicate: opts.onDuplicate } : {}),
    ...(config.calendars ? { calendars: config.calendars } : {}),
  };
  try {
    resolveFormat(request);
  } catch (e) {
    usage((e as Error).message);
    return 2;
  }
  const bar = progressBar();
  if (bar) request.onProgress = bar.update;
  try {
    let summary: ImportSummary;
    let location: string;
    if (kind === undefined) {
      [summary, location] = await withStore(opts, async (store) => [await importEmployees(store, request), store.location] as const);
    } else {
      const set = await pluginSetFromConfig(config, opts.plugins ?? []);
      for (const d of set.configDiagnostics ?? []) console.error(formatDiagnostic(d));
      if (hasErrors(set.configDiagnostics ?? [])) return 1;
      const info = resolveRecordKind(set.recordKinds, kind ?? mapping!.recordKind!);
      if (kind && mapping?.recordKind && resolveRecordKind(set.recordKinds, mapping.recordKind).id !== info.id) {
        usage(`${opts.map} maps onto ${mapping.recordKind}, not ${info.id}; leave the kind out or use a mapping for ${info.id}.`);
        return 2;
      }
      [summary, location] = await withStore(opts, async (store) => [await importRecords(store, info, request), store.location] as const);
    }
    bar?.stop();
    printSummary(summary, location);
    if (summary.rejected) {
      console.error(`${summary.rejected} invalid row(s) were left out and written to ${summary.rejectsFile}, with the line, column and reason of each.`);
      return 1;
    }
    return 0;
  } catch (e) {
    bar?.stop();
    if (e instanceof ImportRejected) {
      for (const line of formatRowErrors(e.file, e.errors, e.badRows)) console.error(line);
      console.error(`error ${e.code} ${e.message}`);
      return 1;
    }
    if (e instanceof MappingMismatch) {
      for (const d of sortDiagnostics(e.diagnostics)) console.error(formatDiagnostic(d));
      return 1;
    }
    if (e instanceof AppraiseError) {
      console.error(`error ${e.code} ${e.message}`);
      return USAGE_CODES.has(e.code) ? 2 : 1;
    }
    throw e;
  }
}

function osUser(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER;
  }
}

/** A progress bar by bytes read, on a terminal only (never in logs or pipes). */
function progressBar(): { update: (bytes: number, size: number) => void; stop: () => void } | undefined {
  if (!process.stderr.isTTY) return undefined;
  const bar = new cliProgress.SingleBar(
    { format: 'importing |{bar}| {percentage}% {mb}/{totalMb} MB, {eta_formatted} left', hideCursor: true, stream: process.stderr, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  return {
    update: (bytes, size) => {
      if (!started) {
        bar.start(size, 0, { mb: mb(0), totalMb: mb(size) });
        started = true;
      }
      bar.update(Math.min(bytes, size), { mb: mb(bytes), totalMb: mb(size) });
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}

function n(x: number): string {
  return x.toLocaleString('en-US');
}

function printSummary(s: ImportSummary, location: string): void {
  const what = s.target === 'records' ? `${s.kind} records` : 'employees';
  console.log(`Imported ${what} from ${s.file} (import #${s.importId}, ${s.format}, times in ${s.zone}) into ${location}.`);
  const skipped = Object.values(s.skipped).reduce((a, b) => a + b, 0);
  // Rows first (what the file held, and where each went), then what was written.
  console.log(`  rows: read ${n(s.read)}, left out by skip rules ${n(skipped)}, invalid ${n(s.rejected)}`);
  for (const [reason, count] of Object.entries(s.skipped)) console.log(`    skipped ${n(count)}: ${reason}`);
  if (s.folded) console.log(`  folded by ${s.folded.by} into ${n(s.folded.groups)} group(s)${s.folded.badGroups ? `, ${n(s.folded.badGroups)} of them invalid` : ''}`);
  const parts = [`inserted ${n(s.inserted)}`];
  if (s.target === 'employees') parts.push(`updated ${n(s.updated)}`, `unchanged ${n(s.unchanged)}`);
  parts.push(`already there or repeated ${n(s.duplicates)}`);
  console.log(`  ${s.target === 'records' ? 'records' : 'employees'}: ${parts.join(', ')}`);
  for (const w of s.warnings) console.log(`  warning: ${w}`);
  const rate = s.seconds > 0 ? Math.round(s.read / s.seconds) : s.read;
  console.log(`  ${s.seconds.toFixed(1)} s, ${n(rate)} rows/s${s.checkpointed ? ', store checkpointed' : ''}`);
}
