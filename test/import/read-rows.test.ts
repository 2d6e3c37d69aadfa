// Reading CSV, TSV and NDJSON files the way spreadsheets and exporters write them: the traps of
// the real data sets (BOM, CRLF, quoted commas and line breaks, blank lines) and exact line
// numbers, since every error a user sees points at one.
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { openRows, formatOfFile, type SourceRow } from '../../core/import/read-rows.ts';
import { tempDir } from './helpers.ts';

const tmp = tempDir();
afterAll(() => tmp.dispose());

async function rows(name: string, text: string, format: 'csv' | 'tsv' | 'ndjson' = 'csv'): Promise<{ header?: string[]; rows: SourceRow[]; sha256: string }> {
  const source = await openRows(tmp.file(name, text), format);
  const out: SourceRow[] = [];
  for await (const r of source.rows) out.push(r);
  return { header: source.header, rows: out, sha256: source.sha256() };
}

describe('CSV', () => {
  it('strips a BOM and reads CRLF line ends', async () => {
    const r = await rows('bom.csv', '\uFEFFid,name\r\nE1,Ada\r\nE2,Grace\r\n');
    expect(r.header).toEqual(['id', 'name']);
    expect(r.rows.map((x) => [x.line, x.values])).toEqual([[2, { id: 'E1', name: 'Ada' }], [3, { id: 'E2', name: 'Grace' }]]);
  });

  it('keeps commas, quotes and line breaks inside quoted fields, and counts lines after them', async () => {
    const text = 'id,comment,score\r\n1,"late, but polite",4\r\n2,"said ""thanks""\r\nand left",5\r\n\r\n3,plain,3\r\n';
    const r = await rows('quoted.csv', text);
    expect(r.rows.map((x) => x.line)).toEqual([2, 3, 6]);
    expect(r.rows[0].values.comment).toBe('late, but polite');
    expect(r.rows[1].values.comment).toBe('said "thanks"\r\nand left');
  });

  it('counts lines the same with LF line ends and blank lines', async () => {
    const r = await rows('lf.csv', 'a,b\n\n1,"x\ny"\n\n\n2,z\n');
    expect(r.rows.map((x) => x.line)).toEqual([3, 7]);
  });

  it('skips lines of separators only (",,,") that spreadsheets leave at the end', async () => {
    const r = await rows('trailing.csv', 'a,b\n1,2\n,\n , \n');
    expect(r.rows).toHaveLength(1);
  });

  it('marks a row with the wrong number of fields instead of guessing', async () => {
    const r = await rows('count.csv', 'a,b,c\n1,2\n1,2,3,4\n');
    expect(r.rows[0].problem).toMatch(/2 field\(s\) but the header has 3/);
    expect(r.rows[1].problem).toMatch(/4 field\(s\) but the header has 3.*double quotes/);
  });

  it('refuses an unclosed quote with the line it starts on, instead of swallowing the file', async () => {
    await expect(rows('unclosed.csv', 'a,b\n1,2\n3,"oops\n4,5\n')).rejects.toMatchObject({ code: 'APPRAISE_IMPORT_BAD_FILE', message: expect.stringMatching(/never closed/) });
  });

  it('refuses duplicate and empty column names, pointing at the header', async () => {
    await expect(rows('dup.csv', 'id,name,id\n1,2,3\n')).rejects.toMatchObject({ code: 'APPRAISE_IMPORT_BAD_FILE', message: expect.stringMatching(/dup\.csv:1: two columns are named `id` \(columns 1 and 3\)/) });
    await expect(rows('empty-col.csv', 'id,,name\n1,2,3\n')).rejects.toMatchObject({ message: expect.stringMatching(/column 2 of the header has no name/) });
    await expect(rows('empty.csv', '')).rejects.toMatchObject({ code: 'APPRAISE_IMPORT_BAD_FILE' });
  });

  it('reads TSV with tabs, commas in values left alone', async () => {
    const r = await rows('calls.tsv', 'vru+line\tserver\tnote\r\nAA0101\tDORIT\ta, b\r\n', 'tsv');
    expect(r.rows[0].values).toEqual({ 'vru+line': 'AA0101', server: 'DORIT', note: 'a, b' });
  });

  it('hashes the whole file', async () => {
    const r = await rows('hash.csv', 'a\n1\n');
    expect(r.sha256).toBe(createHash('sha256').update('a\n1\n').digest('hex'));
  });
});

describe('NDJSON', () => {
  it('reads one object per line, skipping blank lines, with exact line numbers', async () => {
    const r = await rows('a.ndjson', '\uFEFF{"id":"E1"}\r\n\r\n{"id":"E2","n":5}\n', 'ndjson');
    expect(r.rows.map((x) => [x.line, x.values])).toEqual([[1, { id: 'E1' }], [3, { id: 'E2', n: 5 }]]);
  });

  it('marks lines that are not JSON objects, and refuses keys that alter objects', async () => {
    const r = await rows('bad.ndjson', '{"id":\n[1,2]\n{"__proto__":{"x":1}}\n', 'ndjson');
    expect(r.rows.map((x) => x.problem)).toEqual([
      expect.stringMatching(/not JSON/),
      expect.stringMatching(/not an object/),
      expect.stringMatching(/"__proto__" is not allowed/),
    ]);
  });
});

describe('format', () => {
  it('is taken from the extension', () => {
    expect(['a.csv', 'a.TSV', 'a.ndjson', 'a.jsonl', 'a.txt'].map(formatOfFile)).toEqual(['csv', 'tsv', 'ndjson', 'ndjson', undefined]);
  });
});
