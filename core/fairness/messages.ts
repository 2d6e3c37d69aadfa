// The words of a fairness report: how rates, ratios and p-values are written, and the flag and
// note sentences an HR admin reads. Kept apart from the arithmetic so wording can change freely.
import type { Outcome } from '../policy/builtin-facts.ts';
import { FOUR_FIFTHS, NOT_RECORDED } from './types.ts';

export const OUTCOME_TITLE: Record<Outcome, string> = { recognition: 'Recognition', coaching: 'Coaching', pip: 'PIP' };
const OUTCOME_VERB: Record<Outcome, string> = { recognition: 'are recognised', coaching: 'receive coaching', pip: 'are placed on a PIP' };

/** 0.3 → "30%", 2/15 → "13.3%". */
export function formatRate(rate: number): string {
  const tenths = Math.round(rate * 1000);
  return `${tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1)}%`;
}

/**
 * A ratio to two decimals, with more where rounding would hide which side of 0.8 it is on: a
 * flagged 0.7996 reads "0.7996", never "0.80 < 0.8".
 */
export function formatRatio(ratio: number): string {
  const below = ratio < FOUR_FIFTHS;
  for (let digits = 2; digits <= 6; digits++) {
    const text = ratio.toFixed(digits);
    if (Number(text) < FOUR_FIFTHS === below) return text;
  }
  return String(ratio);
}

/** p to two significant figures ("0.03", "0.0054"); "< 0.001" below that. */
export function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : String(Number(p.toPrecision(2)));
}

/** "p = 0.03" or "p < 0.001". */
function pClause(p: number): string {
  const text = formatP(p);
  return text.startsWith('<') ? `p ${text}` : `p = ${text}`;
}

export function quoteGroups(labels: readonly string[]): string {
  const quoted = labels.map((l) => `"${l}"`);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

function people(n: number): string {
  return n === 1 ? '1 person' : `${n} people`;
}

export interface FlagFacts {
  outcome: Outcome;
  attribute: string;
  group: string;
  size: number;
  selectionRate: number;
  reference: readonly string[];
  referenceSelectionRate: number;
  impactRatio: number;
  adverseRateRatio: number | null;
  fisherP: number | null;
}

/**
 * e.g. `Coaching by gender: "F" (20 people) receive coaching at 2.3× the rate of "M" (30% vs 13%):
 * impact ratio 0.71 < 0.8 (four-fifths rule); Fisher's exact p = 0.03.` The multiplier is the
 * adverse-rate ratio for coaching and PIP and the recognition-rate ratio for recognition, i.e.
 * always the ratio of the rates of the outcome named.
 */
export function flagMessage(f: FlagFacts): string {
  const refs = quoteGroups(f.reference);
  const verb = OUTCOME_VERB[f.outcome];
  const rates = `${formatRate(f.selectionRate)} vs ${formatRate(f.referenceSelectionRate)}`;
  let body: string;
  if (f.outcome === 'recognition') {
    body = f.selectionRate === 0
      ? `are never recognised, against ${formatRate(f.referenceSelectionRate)} of ${refs}`
      : `${verb} at ${multiplier(f.selectionRate / f.referenceSelectionRate)} the rate of ${refs} (${rates})`;
  } else {
    body = f.adverseRateRatio === null
      ? `${verb} at ${formatRate(f.selectionRate)}, against 0% of ${refs}`
      : `${verb} at ${multiplier(f.adverseRateRatio)} the rate of ${refs} (${rates})`;
  }
  const test = f.fisherP === null ? '' : `; Fisher's exact ${pClause(f.fisherP)}${f.fisherP >= 0.05 ? ' (a difference this size could be chance at these group sizes)' : ''}`;
  return `${OUTCOME_TITLE[f.outcome]} by ${f.attribute}: "${f.group}" (${people(f.size)}) ${body}: impact ratio ${formatRatio(f.impactRatio)} < ${FOUR_FIFTHS} (four-fifths rule)${test}.`;
}

/** 3 → "3.0×", 0.5 → "0.50×": two significant figures either side of 1. */
function multiplier(x: number): string {
  return `${x >= 1 ? x.toFixed(1) : x.toFixed(2)}×`;
}

/** "gender", or "gender or ethnicity" for an intersection. */
function attributeWords(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

export function notRecordedNote(names: readonly string[], count: number, unknowns: 'group' | 'exclude' = 'group'): string {
  const who = count === 1 ? '1 employee has' : `${count} employees have`;
  // Under Local Law 144, "unknown" also covers values the config counts as unknown ("Prefer not to say").
  const what = names.length > 1 || unknowns === 'exclude' ? `an unknown ${attributeWords(names)}` : `no ${names[0]} recorded`;
  return unknowns === 'exclude'
    ? `${who} ${what}: counted and shown as unknown, and left out of every rate and ratio (as NYC Local Law 144 audits report them).`
    : `${who} ${what}: counted in the "${NOT_RECORDED}" group, which is reported (and judged when large enough) but never used as the reference.`;
}

/** The small-group thresholds and the population a share is taken of. */
export interface SmallGroupRule {
  minGroupSize: number;
  /** 0: no share threshold. */
  minGroupShare: number;
  populationSize: number;
}

/** 0.02 → "2%", 0.025 → "2.5%". */
export function formatShare(share: number): string {
  return `${Number((share * 100).toFixed(4))}%`;
}

/** The rule in words: "fewer than 5 people", or "fewer than 5 people, or under 2% of the 60 people evaluated". */
export function smallGroupRuleWords(t: SmallGroupRule): string {
  const minimum = `fewer than ${t.minGroupSize} ${t.minGroupSize === 1 ? 'person' : 'people'}`;
  return t.minGroupShare > 0 ? `${minimum}, or under ${formatShare(t.minGroupShare)} of the ${t.populationSize} people evaluated` : minimum;
}

/** Why one group is too small: which threshold it is under. */
export function tooSmallWords(underMinimum: boolean, underShare: boolean, t: SmallGroupRule): string {
  const parts: string[] = [];
  if (underMinimum) parts.push(`fewer than ${t.minGroupSize} ${t.minGroupSize === 1 ? 'person' : 'people'}`);
  if (underShare) parts.push(`under ${formatShare(t.minGroupShare)} of the ${t.populationSize} people evaluated`);
  return parts.join(' and ');
}

export function tooSmallNote(groups: ReadonlyArray<{ label: string; size: number }>, rule: number | SmallGroupRule): string {
  const t = typeof rule === 'number' ? { minGroupSize: rule, minGroupShare: 0, populationSize: 0 } : rule;
  const list = groups.map((g) => `"${g.label}" (${g.size})`).join(', ');
  return `Too small to judge (${smallGroupRuleWords(t)}): ${list}. Their rates are shown, with no ratio, flag or p-value.`;
}

export type NoRatioCause = 'empty' | 'none-recorded' | 'all-too-small' | 'no-favourable';

export function noRatioReason(cause: NoRatioCause, outcome: Outcome, attribute: string, minGroupSize: number, minGroupShare = 0): string {
  switch (cause) {
    case 'empty':
      return 'Nobody was evaluated: there is nothing to compare.';
    case 'none-recorded':
      return `Nobody has a recorded ${attribute}: there are no groups to compare.`;
    case 'all-too-small':
      return minGroupShare > 0
        ? `Every ${attribute} group is smaller than the minimum group size (${minGroupSize} people, or ${formatShare(minGroupShare)} of everyone evaluated): too small to judge, so there is no impact ratio.`
        : `Every ${attribute} group is smaller than the minimum group size (${minGroupSize}): too small to judge, so there is no impact ratio.`;
    case 'no-favourable':
      return outcome === 'recognition'
        ? 'Nobody in a group large enough to judge was recognised: no group is favoured, so there is no impact ratio.'
        : `Everyone in a group large enough to judge ${outcome === 'coaching' ? 'received coaching' : 'was placed on a PIP'}: no group is favoured, so there is no impact ratio.`;
  }
}

export function singleGroupNote(label: string): string {
  return `Only "${label}" is large enough to judge: there is no other group to compare it with.`;
}

export function outsidePopulationNote(outcome: Outcome, count: number): string {
  return `${count === 1 ? '1 employee' : `${count} employees`} selected for ${OUTCOME_TITLE[outcome] === 'PIP' ? 'a PIP' : OUTCOME_TITLE[outcome].toLowerCase()} ${count === 1 ? 'is' : 'are'} not in the evaluated population and left out of every rate.`;
}

export const NO_ATTRIBUTES_NOTE = 'No protected attributes are configured, so outcomes cannot be compared across groups. Name them under fairness.protectedAttributes in appraise.config.yaml (for example gender, ethnicity, ageBand) and restart Appraise.';
