// Dates in files: a time without a zone is local time in the zone the import names, a time with
// an offset keeps it, and everything is stored in UTC. Formats, two-digit years, daylight-saving
// gaps, durations and age bands as the real data sets need them.
import { describe, expect, it } from 'vitest';
import { ageBand, parseDate, parseDuration, parseInstant, toUtcIso } from '../../core/import/datetime.ts';

const iso = (text: string, zone: string, formats?: string[], twoDigitYearStart?: number) => {
  const d = parseInstant(text, { zone, ...(formats ? { formats } : {}), ...(twoDigitYearStart ? { twoDigitYearStart } : {}) });
  return d ? toUtcIso(d) : undefined;
};

describe('instants', () => {
  it('reads a time without a zone in the import zone, and one with an offset as written', () => {
    expect(iso('2021-07-01T12:00', 'UTC')).toBe('2021-07-01T12:00:00Z');
    expect(iso('2021-07-01 12:00:00', 'America/New_York')).toBe('2021-07-01T16:00:00Z');
    expect(iso('2021-01-15T12:00', 'America/New_York')).toBe('2021-01-15T17:00:00Z');
    expect(iso('2021-07-01T12:00+02:00', 'America/New_York')).toBe('2021-07-01T10:00:00Z');
    expect(iso('2021-07-01T12:00:00Z', 'Asia/Jerusalem')).toBe('2021-07-01T12:00:00Z');
    expect(iso('2021-07-01', 'Europe/Berlin')).toBe('2021-06-30T22:00:00Z');
  });

  it('moves a local time skipped by a daylight-saving change forward, as Luxon does', () => {
    expect(iso('2021-03-28T02:30', 'Europe/Berlin')).toBe('2021-03-28T01:30:00Z');
    expect(iso('2021-03-28T01:59', 'Europe/Berlin')).toBe('2021-03-28T00:59:00Z');
    expect(iso('2021-03-28T03:00', 'Europe/Berlin')).toBe('2021-03-28T01:00:00Z');
  });

  it('refuses loose or impossible text rather than guessing', () => {
    for (const t of ['2021', '5', '2021-02-30', '2021-13-01', '01/02/2021', '2021-07-01T25:00', 'yesterday']) expect(iso(t, 'UTC'), t).toBeUndefined();
  });

  it('reads the formats a mapping names (Technion yymmdd + H:MM:SS in Israel)', () => {
    expect(iso('990201 7:02:47', 'Asia/Jerusalem', ['yyMMdd H:mm:ss'])).toBe('1999-02-01T05:02:47Z');
    expect(iso('2021-01-01 9:12:58', 'UTC', ['yyyy-MM-dd H:mm:ss'])).toBe('2021-01-01T09:12:58Z');
    expect(iso('990201 7:02', 'UTC', ['yyMMdd H:mm:ss'])).toBeUndefined();
  });

  it('reads two-digit years from the century the mapping says', () => {
    expect(iso('07/10/51', 'UTC', ['M/d/yyyy', 'M/d/yy'])).toBe('2051-07-10T00:00:00Z');
    expect(iso('07/10/51', 'UTC', ['M/d/yyyy', 'M/d/yy'], 1920)).toBe('1951-07-10T00:00:00Z');
    expect(iso('07/10/1983', 'UTC', ['M/d/yyyy', 'M/d/yy'], 1920)).toBe('1983-07-10T00:00:00Z');
  });
});

describe('dates, durations, age bands', () => {
  it('reads calendar dates with mixed formats (HRDataset: 7/5/2011 and 07/05/2011)', () => {
    expect(parseDate('7/5/2011', { formats: ['M/d/yyyy'] })).toBe('2011-07-05');
    expect(parseDate('07/05/2011', { formats: ['M/d/yyyy'] })).toBe('2011-07-05');
    expect(parseDate('2011-07-05', {})).toBe('2011-07-05');
    expect(parseDate('2011-7-5', {})).toBeUndefined();
  });

  it('reads H:MM:SS durations as seconds', () => {
    expect([parseDuration('0:02:23'), parseDuration('1:00:00'), parseDuration('2:05'), parseDuration('90'), parseDuration('0:61:00'), parseDuration('abc')]).toEqual([143, 3600, 125, 90, undefined, undefined]);
  });

  it('counts age bands in whole years at a fixed date', () => {
    const bands = [30, 40, 50, 60];
    expect(ageBand('1989-03-01', '2019-03-01', bands)).toBe('30-39');
    expect(ageBand('1989-03-02', '2019-03-01', bands)).toBe('<30');
    expect(ageBand('1959-01-01', '2019-03-01', bands)).toBe('60+');
    expect(ageBand('2020-01-01', '2019-03-01', bands)).toBeUndefined();
  });
});
