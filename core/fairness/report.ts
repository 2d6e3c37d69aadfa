// The fairness (adverse-impact) report: for each protected attribute and outcome, each group's
// selection rate, its impact ratio against the most favoured group (the four-fifths rule) and
// Fisher's exact p. Pure: decisions in, report out; the API and the CLI only present it.
import { OUTCOMES, type Outcome } from '../policy/builtin-facts.ts';
import { fisherExactTwoSided } from './fisher.ts';
import { groupPopulation, INTERSECTION_JOIN, type PopulationGroup } from './groups.ts';
import {
  flagMessage, noRatioReason, notRecordedNote, outsidePopulationNote, singleGroupNote, tooSmallNote, tooSmallWords, NO_ATTRIBUTES_NOTE, type NoRatioCause, type SmallGroupRule,
} from './messages.ts';
import {
  DEFAULT_MIN_GROUP_SIZE, FOUR_FIFTHS, type FairnessAttributeSummary, type FairnessFlag, type FairnessGroup, type FairnessInput,
  type FairnessOutcomeSummary, type FairnessReport, type FairnessSection, type FairnessSubject,
} from './types.ts';

interface Thresholds extends SmallGroupRule {
  minGroupSize: number;
}

/** Counts of one group for one outcome; every rate and ratio is derived from integers, never from rounded rates. */
interface Tally {
  group: PopulationGroup;
  size: number;
  selected: number;
  /** Members for whom the outcome was favourable. */
  favourable: number;
  judged: boolean;
}

export function fairnessReport(input: FairnessInput): FairnessReport {
  const minGroupSize = input.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE;
  if (!Number.isInteger(minGroupSize) || minGroupSize < 1) throw new RangeError(`minGroupSize must be a whole number of at least 1, got ${minGroupSize}`);
  const minGroupShare = input.minGroupShare ?? 0;
  if (!(minGroupShare >= 0 && minGroupShare < 1)) throw new RangeError(`minGroupShare must be a share from 0 up to (not including) 1, got ${minGroupShare}`);
  const unknowns = input.unknowns ?? 'group';
  const unknownValues = [...(input.unknownValues ?? [])];
  const intersections = (input.intersections ?? []).map((names) => [...names]);
  const ids = checkUniqueIds(input.population);
  const outcomes = OUTCOMES.filter((o) => input.selected[o] !== undefined);
  const notes: string[] = [];
  if (!input.protectedAttributes.length) notes.push(NO_ATTRIBUTES_NOTE);

  const outcomeSummaries: FairnessOutcomeSummary[] = outcomes.map((outcome) => {
    const chosen = input.selected[outcome]!;
    let inside = 0;
    for (const id of chosen) if (ids.has(id)) inside++;
    const outside = chosen.size - inside;
    if (outside) notes.push(outsidePopulationNote(outcome, outside));
    return { outcome, selected: inside, selectedOutsidePopulation: outside };
  });

  const thresholds: Thresholds = { minGroupSize, minGroupShare, populationSize: input.population.length };
  const attributes: FairnessAttributeSummary[] = [];
  const sections: FairnessSection[] = [];
  // Each attribute on its own, then each intersection: the same arithmetic over finer groups.
  const dimensions = [
    ...input.protectedAttributes.map((a) => ({ names: [a], kind: 'single' as const })),
    ...intersections.map((names) => ({ names, kind: 'intersection' as const })),
  ];
  for (const { names, kind } of dimensions) {
    const attribute = names.join(INTERSECTION_JOIN);
    const all = groupPopulation(input.population, names, unknownValues);
    const unknownGroup = all.find((g) => g.notRecorded);
    const missing = unknownGroup?.memberIds.length ?? 0;
    // Under Local Law 144 the unknowns are counted apart, not compared.
    const groups = unknowns === 'exclude' ? all.filter((g) => !g.notRecorded) : all;
    const small = groups.filter((g) => tooSmallReason(g.memberIds.length, thresholds) !== null);
    const summary: FairnessAttributeSummary = { attribute, attributes: [...names], kind, notRecorded: missing, tooSmall: small.map((g) => g.label), notes: [] };
    if (missing) summary.notes.push(notRecordedNote(names, missing, unknowns));
    if (small.length) summary.notes.push(tooSmallNote(small.map((g) => ({ label: g.label, size: g.memberIds.length })), thresholds));
    attributes.push(summary);
    for (const outcome of outcomes) {
      const chosen = input.selected[outcome]!;
      const s = section(outcome, attribute, groups, chosen, thresholds);
      s.attributes = [...names];
      s.kind = kind;
      if (unknowns === 'exclude') {
        const members = unknownGroup?.memberIds ?? [];
        s.unknown = { size: members.length, selected: members.filter((id) => chosen.has(id)).length };
        if (!groups.length && members.length) s.noRatioReason = noRatioReason('none-recorded', outcome, attribute, minGroupSize);
      }
      sections.push(s);
    }
  }

  const flags: FairnessFlag[] = [];
  for (const s of sections) {
    for (const g of s.groups) {
      if (!g.flagged) continue;
      const reference = s.groups.find((r) => r.isReference)!;
      const facts = {
        outcome: s.outcome, attribute: s.attribute, group: g.group, size: g.size, reference: s.reference,
        selectionRate: g.selectionRate, referenceSelectionRate: reference.selectionRate,
        impactRatio: g.impactRatio!, adverseRateRatio: g.adverseRateRatio, fisherP: g.fisherP,
      };
      flags.push({ ...facts, reference: [...s.reference], message: flagMessage(facts) });
    }
  }

  return {
    populationSize: input.population.length,
    minGroupSize,
    minGroupShare,
    unknowns,
    unknownValues,
    intersections,
    threshold: FOUR_FIFTHS,
    protectedAttributes: [...input.protectedAttributes],
    outcomes: outcomeSummaries,
    attributes,
    sections,
    flags,
    notes,
  };
}

function section(outcome: Outcome, attribute: string, groups: PopulationGroup[], chosen: ReadonlySet<string>, thresholds: Thresholds): FairnessSection {
  const { minGroupSize } = thresholds;
  const tallies: Tally[] = groups.map((group) => {
    const size = group.memberIds.length;
    let selected = 0;
    for (const id of group.memberIds) if (chosen.has(id)) selected++;
    return { group, size, selected, favourable: outcome === 'recognition' ? selected : size - selected, judged: tooSmallReason(size, thresholds) === null };
  });
  const judged = tallies.filter((t) => t.judged);
  const judgedSize = judged.reduce((n, t) => n + t.size, 0);
  const judgedSelected = judged.reduce((n, t) => n + t.selected, 0);

  // The most favoured group: the highest favourable rate among recorded, judged groups. Rates
  // are compared as fractions (a/b vs c/d by cross-multiplying), so 1/2 and 2/4 tie exactly;
  // every tied group is a reference, and the ratios are the same whichever one is used.
  const eligible = judged.filter((t) => !t.group.notRecorded);
  let cause: NoRatioCause | null = null;
  let references: Tally[] = [];
  if (!tallies.length) cause = 'empty';
  else if (tallies.every((t) => t.group.notRecorded)) cause = 'none-recorded';
  else if (!eligible.length) cause = 'all-too-small';
  else {
    const best = eligible.reduce((a, b) => (compareRates(b, a) > 0 ? b : a));
    if (best.favourable === 0) cause = 'no-favourable';
    else references = eligible.filter((t) => compareRates(t, best) === 0);
  }
  const ref = references[0];

  const out: FairnessGroup[] = tallies.map((t) => {
    const isReference = references.includes(t);
    const others = judgedSize - t.size;
    const fisherP = t.judged && others > 0
      ? fisherExactTwoSided(t.selected, t.size - t.selected, judgedSelected - t.selected, others - (judgedSelected - t.selected))
      : null;
    let impactRatio: number | null = null;
    let adverseRateRatio: number | null = null;
    let flagged = false;
    if (t.judged && ref) {
      const adverse = t.size - t.favourable;
      const refAdverse = ref.size - ref.favourable;
      impactRatio = isReference ? 1 : (t.favourable * ref.size) / (t.size * ref.favourable);
      adverseRateRatio = isReference ? 1 : refAdverse > 0 ? (adverse * ref.size) / (t.size * refAdverse) : null;
      // impact ratio < 4/5 ⇔ 5·fav·refSize < 4·refFav·size: exact, so a ratio of exactly 0.8
      // (e.g. 72% against 90%) is never flagged by a floating-point 0.7999999.
      flagged = 5 * t.favourable * ref.size < 4 * ref.favourable * t.size;
    }
    const selectionRate = t.selected / t.size;
    return {
      group: t.group.label,
      notRecorded: t.group.notRecorded,
      size: t.size,
      selected: t.selected,
      selectionRate,
      favourableRate: t.favourable / t.size,
      adverseRate: (t.size - t.favourable) / t.size,
      impactRatio,
      adverseRateRatio,
      flagged,
      tooSmall: !t.judged,
      tooSmallReason: tooSmallReason(t.size, thresholds),
      fisherP,
      isReference,
    };
  });

  const notes: string[] = [];
  if (judged.length === 1) notes.push(singleGroupNote(judged[0].group.label));
  return {
    outcome,
    attribute,
    attributes: [attribute],
    kind: 'single',
    favourable: outcome === 'recognition' ? 'selected' : 'not selected',
    selected: tallies.reduce((n, t) => n + t.selected, 0),
    judged: judgedSize,
    reference: references.map((t) => t.group.label),
    noRatioReason: cause ? noRatioReason(cause, outcome, attribute, minGroupSize, thresholds.minGroupShare) : null,
    groups: out,
    unknown: null,
    notes,
  };
}

/**
 * Why a group of this size is too small to judge, or null when it is large enough: under the
 * absolute minimum, or under the share of everyone evaluated. The share is compared exactly
 * enough that 2% of 50 people (1.0000000000000002 in floating point) is 1.
 */
function tooSmallReason(size: number, t: Thresholds): string | null {
  const underMinimum = size < t.minGroupSize;
  const underShare = t.minGroupShare > 0 && size < t.minGroupShare * t.populationSize - 1e-9;
  return underMinimum || underShare ? tooSmallWords(underMinimum, underShare, t) : null;
}

/** Sign of favourable rate a − favourable rate b, exactly. */
function compareRates(a: Tally, b: Tally): number {
  return Math.sign(a.favourable * b.size - b.favourable * a.size);
}

function checkUniqueIds(population: ReadonlyArray<FairnessSubject>): Set<string> {
  const ids = new Set<string>();
  for (const s of population) {
    // A duplicate would count one person twice in every rate: a caller bug, not data to report.
    if (ids.has(s.employeeId)) throw new Error(`Fairness report: employee "${s.employeeId}" appears twice in the population`);
    ids.add(s.employeeId);
  }
  return ids;
}
