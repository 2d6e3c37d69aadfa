// The shape of a fairness (adverse-impact) report: its input (who was evaluated, who was
// selected for each outcome) and its output, as served by the simulate and run-fairness APIs.
// The definitions of each number live here, next to the field, so the API docs can quote them.
import type { Outcome } from '../policy/builtin-facts.ts';

/** The four-fifths rule (29 CFR 1607.4(D)): an impact ratio below this is evidence of adverse impact. */
export const FOUR_FIFTHS = 0.8;
export const DEFAULT_MIN_GROUP_SIZE = 5;
/** The group of employees whose attribute is missing, null or blank. */
export const NOT_RECORDED = '(not recorded)';

/** One evaluated employee. An attribute named `location` falls back to the `location` field. */
export interface FairnessSubject {
  employeeId: string;
  attributes: Record<string, unknown>;
  location?: string;
}

export interface FairnessInput {
  /** Everyone the policy evaluated (its scope), selected or not. Employee ids must be unique. */
  population: ReadonlyArray<FairnessSubject>;
  /** Employee ids selected for each outcome; the report covers the outcomes given, in the order recognition, coaching, pip. */
  selected: Readonly<Partial<Record<Outcome, ReadonlySet<string>>>>;
  /** Attribute names from the config (`fairness.protectedAttributes`), e.g. gender, ethnicity, ageBand, location. */
  protectedAttributes: readonly string[];
  /** Groups with fewer members are reported but not judged (`fairness.minGroupSize`, default 5). */
  minGroupSize?: number;
  /**
   * Groups under this share of the population (everyone evaluated, unknowns included) are
   * reported but not judged (`fairness.minGroupShare`, e.g. 0.02 as NYC Local Law 144 allows).
   * Default 0: no share threshold.
   */
  minGroupShare?: number;
  /** Combinations of protected attributes reported beside each one (`fairness.intersections`, e.g. [[gender, ethnicity]]). */
  intersections?: ReadonlyArray<readonly string[]>;
  /** Values that mean "unknown" though they are recorded (`fairness.unknownValues`, e.g. "Prefer not to say"). */
  unknownValues?: readonly string[];
  /**
   * Where people with an unknown value go. `group` (the default, for previews): they form the
   * "(not recorded)" group, reported and judged like any other but never the reference.
   * `exclude` (NYC Local Law 144, the audit report): they are counted and shown apart
   * (`FairnessSection.unknown`) and left out of every rate, ratio and p-value; they still count
   * in the population that minGroupShare is a share of.
   */
  unknowns?: 'group' | 'exclude';
}

export interface FairnessGroup {
  /** The attribute's value as text, or "(not recorded)". */
  group: string;
  notRecorded: boolean;
  size: number;
  /** How many of the group were selected for the outcome. */
  selected: number;
  /** selected / size. */
  selectionRate: number;
  /** The rate of the outcome a person wants: recognition → selectionRate; coaching, PIP → 1 − selectionRate. */
  favourableRate: number;
  /** 1 − favourableRate: not being recognised; receiving coaching or a PIP. */
  adverseRate: number;
  /**
   * favourableRate / the reference groups' favourableRate. 1 for a reference group; null when the
   * group is too small or the section has no reference (see `noRatioReason`).
   */
  impactRatio: number | null;
  /**
   * adverseRate / the reference groups' adverseRate: for coaching and PIP, how many times as often
   * this group receives it ("2.3×"); for recognition, how many times as often it goes unrecognised.
   * 1 for a reference group; null when too small, without a reference, or when the reference's
   * adverse rate is 0 (the ratio is unbounded: the group is the only one that receives it).
   */
  adverseRateRatio: number | null;
  /** impactRatio < 0.8 (decided in exact integer arithmetic, so 0.72/0.90 is not flagged). Never for a too-small group. */
  flagged: boolean;
  /** size < minGroupSize, or under minGroupShare of the population: rates are shown, nothing is judged. */
  tooSmall: boolean;
  /** Why the group is too small, in plain words (which threshold it is under); null when it is judged. */
  tooSmallReason: string | null;
  /**
   * Two-sided Fisher's exact test of selected/not selected × this group/every other judged
   * member (including a judged "(not recorded)" group). Null when the group is too small or no
   * other judged member exists.
   */
  fisherP: number | null;
  /** One of the most favoured judged groups (highest favourableRate; ties all count). */
  isReference: boolean;
}

export interface FairnessSection {
  outcome: Outcome;
  /** The attribute's name, or an intersection's names joined by " × " (e.g. "gender × ethnicity"). */
  attribute: string;
  /** The protected attributes the groups are made of: one, or several for an intersection. */
  attributes: string[];
  kind: 'single' | 'intersection';
  /** What counts as favourable for this outcome. */
  favourable: 'selected' | 'not selected';
  /** Members of the population selected for the outcome. */
  selected: number;
  /** Members of groups large enough to judge. */
  judged: number;
  /**
   * The most favoured judged groups, by label: every recorded, large-enough group sharing the
   * highest favourable rate (exact comparison). "(not recorded)" is never a reference, as its
   * members' real groups are unknown. Empty when there is no ratio to give.
   */
  reference: string[];
  /** Why there are no ratios, in plain words; null when there are. */
  noRatioReason: string | null;
  groups: FairnessGroup[];
  /**
   * With `unknowns: 'exclude'`: the people whose value (any part of an intersection) is unknown,
   * and how many of them were selected; they are in no group and no ratio. Null otherwise.
   */
  unknown: { size: number; selected: number } | null;
  /** Plain-words remarks on this outcome and attribute (one group only, and so on). */
  notes: string[];
}

export interface FairnessAttributeSummary {
  attribute: string;
  attributes: string[];
  kind: 'single' | 'intersection';
  /** Employees with no (or an unknown) value for the attribute, or for any part of an intersection. */
  notRecorded: number;
  /** Groups below the minimum size, by label. */
  tooSmall: string[];
  notes: string[];
}

export interface FairnessFlag {
  outcome: Outcome;
  attribute: string;
  group: string;
  size: number;
  reference: string[];
  selectionRate: number;
  referenceSelectionRate: number;
  impactRatio: number;
  adverseRateRatio: number | null;
  fisherP: number | null;
  /** For an HR admin, e.g. `PIP by gender: "F" (20 people) are placed on a PIP at 3.0× the rate of "M" …`. */
  message: string;
}

export interface FairnessOutcomeSummary {
  outcome: Outcome;
  /** Selected members of the population. */
  selected: number;
  /** Selected ids that are not in the population: left out of every rate, and said so in `notes`. */
  selectedOutsidePopulation: number;
}

export interface FairnessReport {
  populationSize: number;
  minGroupSize: number;
  /** The share threshold (0 when none). */
  minGroupShare: number;
  /** How unknown values were treated (see FairnessInput.unknowns). */
  unknowns: 'group' | 'exclude';
  unknownValues: string[];
  intersections: string[][];
  /** 0.8: the four-fifths rule. */
  threshold: number;
  protectedAttributes: string[];
  outcomes: FairnessOutcomeSummary[];
  attributes: FairnessAttributeSummary[];
  /** One per (attribute, outcome), attribute by attribute. */
  sections: FairnessSection[];
  /** Every flagged group, in section order. */
  flags: FairnessFlag[];
  notes: string[];
}
