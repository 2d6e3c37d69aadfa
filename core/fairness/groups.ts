// Splits the evaluated population into groups by one protected attribute, or by the
// intersection of several (gender × ethnicity). Nobody is dropped: a missing, null or blank
// value, or one the config names as unknown ("Prefer not to say"), puts the employee in the
// "(not recorded)" group; for an intersection, an unknown value of any part does.
import { NOT_RECORDED, type FairnessSubject } from './types.ts';

export interface PopulationGroup {
  label: string;
  notRecorded: boolean;
  memberIds: string[];
}

/** Joins the attribute names of an intersection, and its group labels: "gender × ethnicity", "F × Asian". */
export const INTERSECTION_JOIN = ' × ';

/**
 * The attribute's value as a group label, or undefined when it is not recorded. Strings are
 * trimmed (so "F " and "F" are one group) but not case-folded: "female" next to "Female" is a data
 * problem the report should show, not hide.
 */
export function groupLabel(subject: FairnessSubject, attribute: string, unknownValues: ReadonlySet<string> = NONE): string | undefined {
  let label = labelOf(subject.attributes[attribute]);
  // The location column is a first-class employee field; an explicit attribute wins over it.
  if (label === undefined && attribute === 'location') label = labelOf(subject.location);
  return label === undefined || unknownValues.has(label) ? undefined : label;
}

const NONE: ReadonlySet<string> = new Set();

function labelOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value.trim() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  // A literal "(not recorded)" in the data means the same as an absent value.
  return text === '' || text === NOT_RECORDED ? undefined : text;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

/**
 * Groups in a stable order for reading: by label (numbers in numeric order: "25-34" after
 * "18-24"), "(not recorded)" last. Several attributes make intersectional groups, labelled by
 * their values joined with " × ".
 */
export function groupPopulation(
  population: ReadonlyArray<FairnessSubject>,
  attributes: string | readonly string[],
  unknownValues: readonly string[] = [],
): PopulationGroup[] {
  const names = typeof attributes === 'string' ? [attributes] : attributes;
  const unknown = new Set(unknownValues.map((v) => v.trim()));
  const byLabel = new Map<string, string[]>();
  const missing: string[] = [];
  for (const subject of population) {
    const parts = names.map((a) => groupLabel(subject, a, unknown));
    if (parts.some((p) => p === undefined)) {
      missing.push(subject.employeeId);
      continue;
    }
    const label = parts.join(INTERSECTION_JOIN);
    const members = byLabel.get(label);
    if (members) members.push(subject.employeeId);
    else byLabel.set(label, [subject.employeeId]);
  }
  const groups: PopulationGroup[] = [...byLabel.entries()]
    .sort(([a], [b]) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([label, memberIds]) => ({ label, notRecorded: false, memberIds }));
  if (missing.length) groups.push({ label: NOT_RECORDED, notRecorded: true, memberIds: missing });
  return groups;
}
