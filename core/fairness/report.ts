// The fairness (adverse-impact) report: for each protected attribute and outcome, each group's
// selection rate, its impact ratio against the most favoured group (the four-fifths rule) and
// Fisher's exact p. Pure: decisions in, report out; the API and the CLI only present it.
import { OUTCOMES, type Outcome } from '../policy/builtin-facts.ts';
import { fisherExactTwoSided } from './fisher.ts';
import { groupPopulation, type PopulationGroup } from './groups.ts';
import {
  flagMessage, noRatioReason, notRecordedNote, outsidePopulationNote, singleGroupNote, tooSmallNote, NO_ATTRIBUTES_NOTE, type NoRatioCause,
} from './messages.ts';
import {
  DEFAULT_MIN_GROUP_SIZE, FOUR_FIFTHS, type FairnessAttributeSummary, type FairnessFlag, type FairnessGroup, type FairnessInput,
  type FairnessOutcomeSummary, type FairnessReport, type FairnessSection, type FairnessSubject,
} from './types.ts';

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

  const attributes: FairnessAttributeSummary[] = [];
  const sections: FairnessSection[] = [];
  for (const attribute of input.protectedAttributes) {
    const groups = groupPopulation(input.population, attribute);
    const missing = groups.find((g) => g.notRecorded)?.memberIds.length ?? 0;
    const small = groups.filter((g) => g.memberIds.length < minGroupSize);
    const summary: FairnessAttributeSummary = { attribute, notRecorded: missing, tooSmall: small.map((g) => g.label), notes: [] };
    if (missing) summary.notes.push(notRecordedNote(attribute, missing));
    if (small.length) summary.notes.push(tooSmallNote(small.map((g) => ({ label: g.label, size: g.memberIds.length })), minGroupSize));
    attributes.push(summary);
    for (const outcome of outcomes) sections.push(section(outcome, attribute, groups, input.selected[outcome]!, minGroupSize));
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
    threshold: FOUR_FIFTHS,
    protectedAttributes: [...input.protectedAttributes],
    outcomes: outcomeSummaries,
    attributes,
    sections,
    flags,
    notes,
  };
}

function section(outcome: Outcome, attribute: string, groups: PopulationGroup[], chosen: ReadonlySet<string>, minGroupSize: number): FairnessSection {
  const tallies: Tally[] = groups.map((group) => {
    const size = group.memberIds.length;
    let selected = 0;
    for (const id of group.memberIds) if (chosen.has(id)) selected++;
    return { group, size, selected, favourable: outcome === 'recognition' ? selected : size - selected, judged: size >= minGroupSize };
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
      fisherP,
      isReference,
    };
  });

  const notes: string[] = [];
  if (judged.length === 1) notes.push(singleGroupNote(judged[0].group.label));
  return {
    outcome,
    attribute,
    favourable: outcome === 'recognition' ? 'selected' : 'not selected',
    selected: tallies.reduce((n, t) => n + t.selected, 0),
    judged: judgedSize,
    reference: references.map((t) => t.group.label),
    noRatioReason: cause ? noRatioReason(cause, outcome, attribute, minGroupSize) : null,
    groups: out,
    notes,
  };
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
