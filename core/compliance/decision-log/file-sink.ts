// The decision log as files: NDJSON, one file per UTC day (`decisions-2026-12-05.ndjson`), each
// write appended whole. A policy's block (its policy line, then one line per person) is appended
// in order, a few thousand lines per write; a reader matches a decision to its policy by id,
// version and content hash, never by position, so processes sharing the folder may interleave.
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogLine } from './entry.ts';
import { resolveFromConfig, type AppConfig } from '../../config/config.ts';

/** Lines per append: bounds the text held at once for a large population. */
const CHUNK = 5000;

export function logFileName(at: Date): string {
  return `decisions-${at.toISOString().slice(0, 10)}.ndjson`;
}

export class DecisionLogFiles {
  constructor(readonly dir: string) {}

  /** Appends the lines to the file of the day `at` falls on (UTC); returns the file written. */
  async append(lines: readonly LogLine[], at: Date = new Date()): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const file = join(this.dir, logFileName(at));
    for (let i = 0; i < lines.length; i += CHUNK) {
      await appendFile(file, `${lines.slice(i, i + CHUNK).map((l) => JSON.stringify(l)).join('\n')}\n`, 'utf8');
    }
    return file;
  }
}

const byDir = new Map<string, DecisionLogFiles>();

/**
 * The decision log's writer when the config asks for one (`compliance.decisionLogs`), for runs
 * and, unless turned off, previews: spread into a run's or a preview's options.
 */
export function decisionLogOption(config: AppConfig, kind: 'run' | 'preview'): { decisionLog?: (lines: readonly LogLine[]) => Promise<string> } {
  const c = config.compliance?.decisionLogs;
  if (!c || (kind === 'preview' && c.previews === false)) return {};
  const dir = resolveFromConfig(config, c.dir);
  let files = byDir.get(dir);
  if (!files) byDir.set(dir, (files = new DecisionLogFiles(dir)));
  return { decisionLog: (lines) => files.append(lines) };
}
