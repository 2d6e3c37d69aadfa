// Column mappings: mistakes in the mapping file are found before any row is read and reported
// at their line and column; each transform does what the mapping says to a row.
import { describe, expect, it } from 'vitest';
import { mappingFromText, type Mapping } from '../../core/import/mapping.ts';
import { RowMapper } from '../../core/import/mapping-apply.ts';
import { checkColumns, checkPayload, MappingMismatch } from '../../core/import/mapping-check.ts';
import { recordKind } from './helpers.ts';

const HEAD = 'apiVersion: appraise/v1\nkind: ImportMapping\nmetadata:\n  id: test\n  title: Test\nspec:\n';

function load(spec: string): { mapping?: Mapping; diagnostics: Array<{ code: string; line: number; column: number; message: string }> } {
  return mappingFromText('m.yaml', HEAD + spec);
}

function mapper(spec: string, types: Record<string, 'string' | 'integer' | 'number' | 'boolean' | 'date-time'> = {}, zone = 'UTC'): RowMapper {
  const { mapping, diagnostics } = load(spec);
  expect(diagnostics).toEqual([]);
  return new RowMapper(mapping!, { fields: { employeeId: 'string', occurredAt: 'date-time' }, payload: types }, zone);
}

const row = (values: Record<string, string>, line = 2) => ({ line, values });

describe('loading a mapping', () => {
  it('reports schema mistakes at their line and column, with a suggestion', () => {
    const r = load('  target: records\n  recordKind: support.ticket\n  fields:\n    employeeId: Agent\n    occuredAt: Date\n');
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'APPRAISE_SCHEMA_UNKNOWN_KEY', line: 11, column: 5, message: expect.stringMatching(/Did you mean `occurredAt`\?/) })]);
  });

  it('reports what a schema cannot: zones, formats, sources, missing fields, after-cycles', () => {
    const r = load([
      '  target: records',
      '  timezone: Mars/Olympus',
      '  fields:',
      '    employeeId: { column: a, const: b }',
      '    externalId: { template: "no columns" }',
      '  payload:',
      '    openedAt: { timestamp: { column: t, formats: ["yyyy-MM-dd"], after: resolvedAt } }',
      '    resolvedAt: { timestamp: { column: t, after: openedAt } }',
      '    comment: { column: c, replace: [{ pattern: "(", with: "" }] }',
    ].join('\n') + '\n');
    const found = r.diagnostics.map((d) => [d.code, d.line, d.message]);
    expect(found).toEqual(expect.arrayContaining([
      ['APPRAISE_IMPORT_BAD_MAPPING', 8, expect.stringMatching(/`Mars\/Olympus` is not an IANA time zone/)],
      ['APPRAISE_IMPORT_BAD_MAPPING', 10, expect.stringMatching(/exactly one of column, const/)],
      ['APPRAISE_IMPORT_BAD_MAPPING', 11, expect.stringMatching(/This template names no column/)],
      ['APPRAISE_IMPORT_BAD_MAPPING', 13, expect.stringMatching(/`after` references go round/)],
      ['APPRAISE_IMPORT_BAD_MAPPING', 15, expect.stringMatching(/not a valid regular expression/)],
      ['APPRAISE_IMPORT_BAD_MAPPING', 9, expect.stringMatching(/needs `fields.occurredAt`/)],
      ['APPRAISE_IMPORT_BAD_MAPPING', 7, expect.stringMatching(/needs `recordKind`/)],
    ]));
    expect(r.mapping).toBeUndefined();
  });

  it('checks the columns against the file header and the payload against the kind, at their place', async () => {
    const { mapping } = load('  target: records\n  recordKind: support.ticket\n  fields:\n    employeeId: Agnet\n    occurredAt: { timestamp: { date: Date, time: Tmie } }\n  payload:\n    openedAt: { timestamp: { column: Date } }\n    opendAt: { const: x }\n');
    expect(() => checkColumns(mapping!, ['Agent', 'Date', 'Time'], 'calls.csv')).toThrow(MappingMismatch);
    try {
      checkColumns(mapping!, ['Agent', 'Date', 'Time'], 'calls.csv');
    } catch (e) {
      expect((e as MappingMismatch).diagnostics.map((d) => [d.line, d.column, d.message])).toEqual([
        [10, 17, expect.stringMatching(/The column `Agnet` is not in calls.csv. Did you mean `Agent`\?/)],
        [11, 50, expect.stringMatching(/The column `Tmie`.*Did you mean `Time`\?/)],
      ]);
    }
    try {
      checkPayload(mapping!, await recordKind('support.ticket'));
      expect.unreachable();
    } catch (e) {
      expect((e as MappingMismatch).diagnostics).toEqual([expect.objectContaining({ line: 14, column: 5, message: expect.stringMatching(/`opendAt` is not a payload field of support.ticket. Did you mean `openedAt`\?/) })]);
    }
  });
});

describe('applying a mapping', () => {
  it('renames, trims, maps values (Y → true), reads numbers with other separators and H:MM:SS durations', () => {
    const m = mapper([
      '  target: records',
      '  recordKind: x.y',
      '  fields: { employeeId: { column: Agent, case: upper }, occurredAt: { const: "2021-01-01T00:00:00Z" } }',
      '  payload:',
      '    reopened: { column: Reopened, map: { "Y": true, "N": false } }',
      '    amount: { column: Amount, number: { decimal: ",", thousands: "." } }',
      '    talk: { column: Talk, duration: hms }',
      '    channel: { const: phone }',
      '    note: { template: "{Agent}/{Ref}" }',
    ].join('\n') + '\n', { reopened: 'boolean', amount: 'number', talk: 'integer', note: 'string' });
    const r = m.map(row({ Agent: ' dorit ', Reopened: 'Y', Amount: '1.234,5', Talk: '0:02:23', Ref: 'R1' }));
    expect(r.errors).toEqual([]);
    expect(r.fields.employeeId).toBe('DORIT');
    expect(r.payload).toEqual({ reopened: true, amount: 1234.5, talk: 143, channel: 'phone', note: 'dorit/R1' });
    const bad = m.map(row({ Agent: 'x', Reopened: 'maybe', Amount: '1,2,3', Talk: '2 min', Ref: '' }));
    expect(bad.errors.map((e) => e.column)).toEqual(['Reopened', 'Amount', 'Talk']);
    expect(bad.payload.note).toBeUndefined(); // a template with an empty column is absent
  });

  it('joins a yymmdd date and an H:MM:SS time in the mapping zone, rolls past midnight with `after`, adds durations', () => {
    const m = mapper([
      '  target: records',
      '  recordKind: x.y',
      '  timezone: Asia/Jerusalem',
      '  fields: { employeeId: server, occurredAt: { timestamp: { date: date, time: vru_entry, formats: ["yyMMdd H:mm:ss"] } } }',
      '  payload:',
      '    openedAt: { timestamp: { date: date, time: vru_entry, formats: ["yyMMdd H:mm:ss"] } }',
      '    resolvedAt: { timestamp: { date: date, time: ser_exit, formats: ["yyMMdd H:mm:ss"], after: openedAt, plus: [{ column: wrap, unit: minutes }] } }',
    ].join('\n') + '\n', { openedAt: 'date-time', resolvedAt: 'date-time' }, 'Asia/Jerusalem');
    const r = m.map(row({ server: 'DORIT', date: '990220', vru_entry: '23:59:32', ser_exit: '0:01:28', wrap: '1' }));
    expect(r.errors).toEqual([]);
    expect(r.payload).toEqual({ openedAt: '1999-02-20T21:59:32Z', resolvedAt: '1999-02-20T22:02:28Z' });
    // A few minutes earlier is a clock difference, not the next day.
    expect(m.map(row({ server: 'D', date: '990220', vru_entry: '10:00:00', ser_exit: '9:58:00', wrap: '0' })).payload.resolvedAt).toBe('1999-02-20T07:58:00Z');
    expect(m.map(row({ server: 'D', date: '990231', vru_entry: '10:00:00', ser_exit: '', wrap: '0' })).errors).toEqual([
      { column: 'date+vru_entry', reason: expect.stringMatching(/`990231 10:00:00` is not a date and time in the format `yyMMdd H:mm:ss`/) },
      { column: 'date+vru_entry', reason: expect.stringMatching(/990231/) },
    ]);
  });

  it('skips rows by value, makes fields conditional, and takes the first present of several', () => {
    const m = mapper([
      '  target: records',
      '  recordKind: x.y',
      '  skip:',
      '    - { reason: no agent, when: { column: server, equals: NO_SERVER } }',
      '    - reason: phantom',
      '      when: { all: [{ column: outcome, in: [PHANTOM, GHOST] }, { column: server, notEquals: KEEP }] }',
      '  fields:',
      '    employeeId: server',
      '    occurredAt: { coalesce: [{ timestamp: { column: closed } }, { timestamp: { column: engaged } }] }',
      '  payload:',
      '    amount: { column: value, when: { column: stage, equals: Won } }',
    ].join('\n') + '\n', { amount: 'number' });
    expect(m.map(row({ server: 'NO_SERVER', outcome: 'AGENT' })).skip).toBe('no agent');
    expect(m.map(row({ server: 'A', outcome: 'GHOST' })).skip).toBe('phantom');
    const kept = m.map(row({ server: 'KEEP', outcome: 'GHOST', closed: '', engaged: '2021-01-02', stage: 'Lost', value: '0' }));
    expect(kept.skip).toBeUndefined();
    expect(kept).toMatchObject({
      fields: { employeeId: 'KEEP', occurredAt: '2021-01-02T00:00:00Z' },
      payload: {},
    });
    expect(m.map(row({ server: 'A', outcome: 'AGENT', closed: '2021-03-01', engaged: '2021-01-02', stage: 'Won', value: '1054' })).payload).toEqual({ amount: 1054 });
  });

  it('computes an age band from a birth date with two-digit years, and keeps attributes as text unless typed', () => {
    const { mapping } = load([
      '  target: employees',
      '  fields: { id: EmpID, name: { column: Name, replace: [{ pattern: "\\\\s+", with: " " }] } }',
      '  attributes:',
      '    ageBand: { column: DOB, date: { formats: ["M/d/yyyy", "M/d/yy"], twoDigitYearStart: 1920 }, ageBand: { asOf: "2019-03-01", bounds: [30, 40, 50, 60] } }',
      '    zip: Zip',
      '    score: { column: Score, type: number }',
      '    hispanic: { column: H, case: lower, map: { "yes": true, "no": false } }',
    ].join('\n') + '\n');
    const m = new RowMapper(mapping!, { fields: { id: 'string', name: 'string' }, payload: {} }, 'UTC');
    const r = m.map(row({ EmpID: '10026', Name: 'Adinolfi, Wilson  K ', DOB: '07/10/51', Zip: '01960', Score: '4.6', H: 'Yes' }));
    expect(r).toMatchObject({ errors: [], fields: { id: '10026', name: 'Adinolfi, Wilson K' }, attributes: { ageBand: '60+', zip: '01960', score: 4.6, hispanic: true } });
  });
});
