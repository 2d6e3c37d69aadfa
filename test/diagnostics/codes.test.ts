// Every error code is documented and used; no code is documented that does not exist.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from '../../core/diagnostics/codes.ts';

const root = new URL('../../', import.meta.url).pathname;
const docs = readFileSync(join(root, 'core/diagnostics/ERRORS.md'), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|mjs)$/.test(n) && !p.endsWith('codes.ts') ? [readFileSync(p, 'utf8')] : [];
  });
}

describe('error codes', () => {
  it('each code is in ERRORS.md', () => {
    for (const code of Object.keys(ERROR_CODES)) expect(docs, code).toContain(`\`${code}\``);
  });

  it('ERRORS.md documents no code that does not exist', () => {
    const documented = [...docs.matchAll(/`(APPRAISE_[A-Z_]+)`/g)].map((m) => m[1]);
    expect(documented.filter((c) => !(c in ERROR_CODES))).toEqual([]);
  });

  it('each code is used by core', () => {
    const all = sources(join(root, 'core')).join('\n');
    expect(Object.keys(ERROR_CODES).filter((c) => !all.includes(`'${c}'`))).toEqual([]);
  });
});
