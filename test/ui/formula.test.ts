// Aggregate formulas as readable expressions in the metric catalogue: every formula a built-in
// plugin declares reads without JSON or `[object Object]`, and each grammar rule has its words.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { filterText, formulaText } from '../../ui/lib/formula.ts';

const PLUGINS = new URL('../../plugins/', import.meta.url);
const formulas = readdirSync(PLUGINS).flatMap((dir) => {
  const manifest = JSON.parse(readFileSync(new URL(`${dir}/package.json`, PLUGINS), 'utf8')) as { appraise?: { contributes?: { metrics?: Array<{ id: string; aggregate?: unknown }> }; metrics?: Array<{ id: string; aggregate?: unknown }> } };
  const metrics = manifest.appraise?.contributes?.metrics ?? manifest.appraise?.metrics ?? [];
  return metrics.filter((m) => m.aggregate !== undefined).map((m) => [`${dir}.${m.id}`, m.aggregate] as const);
});

describe('formulas in the metric catalogue', () => {
  it('reads every built-in formula without JSON or [object Object]', () => {
    expect(formulas.length).toBeGreaterThan(10);
    for (const [id, f] of formulas) expect(formulaText(f), id).not.toMatch(/\[object Object\]|[{}"]/);
  });

  it('the built-in formulas, as people read them', () => {
    const text = Object.fromEntries(formulas.map(([id, f]) => [id, formulaText(f)]));
    expect(text).toMatchObject({
      'customer-feedback.nps': '100 × (share(nps ≥ 9 among records with nps) − share(nps ≤ 6 among records with nps))',
      'sales.win-rate': 'share(stage = won among records where stage is one of won, lost)',
      'sales.quota-attainment': '100 × (sum(amount where stage = won) ÷ sum(amount of quota records))',
      'support.first-response-time':
        'by param clock (default wall) → wall: by param openTickets (default resolved-only) → resolved-only: quantile(time from openedAt to firstResponseAt; level: param quantile, default 0.5 = median); so-far: quantile(time from openedAt to firstResponseAt (or to the as-of date while open); level: param quantile, default 0.5 = median); business: quantile(firstResponseBusinessSeconds; level: param quantile, default 0.5 = median)',
      'support.tickets-resolved': 'count(records where resolvedAt is present)',
    });
  });

  it('each part of the grammar', () => {
    expect(formulaText({ quantile: 'csat', q: 0.9 })).toBe('90th percentile(csat)');
    expect(formulaText({ quantile: 'csat', q: 0.5 })).toBe('median(csat)');
    expect(formulaText({ div: [{ sum: 'a' }, { add: [{ const: 1 }, { max: 'b' }] }] })).toBe('sum(a) ÷ (1 + max(b))');
    expect(formulaText({ switch: 'mode', default: 'mean', cases: { mean: { mean: 'csat' }, low: { min: 'csat' } } })).toBe('by param mode (default mean) → mean: mean(csat); low: min(csat)');
    expect(filterText({ not: { or: [{ field: 'a', ne: 1 }, { field: 'b', lte: 2 }] } })).toBe('not (a ≠ 1 or b ≤ 2)');
    expect(formulaText({ count: true, where: { field: 'kind', eq: 'call' } })).toBe('count(records where kind = call)');
    expect(formulaText({ share: { field: 'x', gt: 1 }, of: { seconds: ['a', 'b'] } })).toBe('share(x > 1 among records with time from a to b)');
    expect(formulaText(null)).toBe('—');
    expect(formulaText({ mystery: { a: 1 } })).toBe('{"mystery":{"a":1}}'); // unknown shapes stay visible, as JSON
  });
});
