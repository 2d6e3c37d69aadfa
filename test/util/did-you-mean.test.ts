// The "did you mean" of unknown names, against the metric ids the shipped plugins contribute:
// an admin thinks of `customer-feedback.csat` as `csat`, so a typo of the short name must find
// it, and a swap of two letters (`cast`) is one typo, not two.
import { beforeAll, describe, expect, it } from 'vitest';
import { registryFromManifests } from '../../core/plugins/catalogue.ts';
import { closest, didYouMean, typoDistance } from '../../core/util/did-you-mean.ts';

let metrics: string[];

beforeAll(async () => {
  metrics = [...(await registryFromManifests()).metrics.keys()];
});

describe('did you mean', () => {
  it('the shipped plugins contribute the ids these cases name', () => {
    expect(metrics).toEqual(expect.arrayContaining([
      'customer-feedback.csat', 'customer-feedback.ces', 'customer-feedback.nps', 'sales.win-rate', 'sales.quota-attainment',
      'support.first-response-time', 'support.reopen-rate', 'training.courses-completed',
    ]));
  });

  it('issue 16: `cast` suggests csat, not ces, with or without its plugin', () => {
    expect(closest('cast', metrics)).toEqual(['customer-feedback.csat']);
    expect(closest('customer-feedback.cast', metrics)).toEqual(['customer-feedback.csat']);
    expect(didYouMean('customer-feedback.cast', metrics)).toBe(' Did you mean `customer-feedback.csat`?');
  });

  it.each([
    ['csat', 'customer-feedback.csat'], // the short name alone
    ['ces', 'customer-feedback.ces'], // exact short name beats csat, one letter longer
    ['customer-feedback.nsp', 'customer-feedback.nps'],
    ['CSAT', 'customer-feedback.csat'],
    ['frist-response-time', 'support.first-response-time'],
    ['support.reopen-rat', 'support.reopen-rate'],
    ['qouta-attainment', 'sales.quota-attainment'],
    ['support.win-rate', 'sales.win-rate'], // the right metric under the wrong plugin
    ['customer-feedbak.csat', 'customer-feedback.csat'], // a typo in the plugin's name
    ['training.course-completed', 'training.courses-completed'],
  ])('%s → %s', (typed, meant) => {
    expect(closest(typed, metrics)).toEqual([meant]);
  });

  it('of ids as close as each other, prefers the one whose short name is closest', () => {
    // `support.csat` is one edit from a (third-party) `support.cost` and, by its short name, one
    // from `customer-feedback.csat`: the short name the admin wrote decides.
    expect(closest('support.csat', [...metrics, 'support.cost'], 2)).toEqual(['customer-feedback.csat', 'support.cost']);
    expect(closest('customer-feedback.cst', metrics, 2)).toEqual(['customer-feedback.csat', 'customer-feedback.ces']);
  });

  it('suggests nothing for a name that is no typo of any id', () => {
    expect(closest('happiness', metrics)).toEqual([]);
    expect(closest('customer-feedback.xyz', metrics)).toEqual([]);
    expect(didYouMean('headcount', metrics)).toBe('');
  });

  it('still suggests plain names (facts, operators) by their own distance', () => {
    expect(closest('lessThen', ['lessThan', 'lessThanInclusive', 'greaterThan'])).toEqual(['lessThan']);
    expect(closest('cast', ['csat', 'nps', 'employee.team'])).toEqual(['csat']);
    expect(closest('team', ['csat', 'employee.team', 'employee.tenureDays'])).toEqual(['employee.team']);
  });

  it('counts a swap of two neighbouring letters as one edit', () => {
    expect(typoDistance('cast', 'csat')).toBe(1);
    expect(typoDistance('cast', 'ces')).toBe(2);
    expect(typoDistance('', 'abc')).toBe(3);
    expect(typoDistance('kitten', 'sitting')).toBe(3);
  });
});
