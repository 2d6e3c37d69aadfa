// The groups the dashboard charts (the organisation, a department, a team): their key in the API
// and the URL (`organisation`, `team:<name>`, `department:<name>`), their name in words, and the
// search of the team picker (any part of the name, case and accents ignored).

export type GroupKind = 'organisation' | 'department' | 'team';

export interface GroupRef {
  by: GroupKind;
  group: string;
}

export const ORGANISATION = 'organisation';

export function groupKey(g: GroupRef): string {
  return g.by === 'organisation' ? ORGANISATION : `${g.by}:${g.group}`;
}

/** A group in a sentence: "the whole organisation", "Support North". */
export function groupName(g: GroupRef): string {
  return g.by === 'organisation' ? 'the whole organisation' : g.group;
}

/** The group's kind in words, for a list: "team", "department". */
export function groupKind(g: GroupRef): string {
  return g.by === 'organisation' ? 'everyone' : g.by;
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * The departments and teams whose name contains every word typed, in any order: names that start
 * with what was typed first, then departments before teams, then by name.
 */
export function findGroups<G extends GroupRef>(groups: readonly G[], typed: string): G[] {
  const words = fold(typed).split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  const q = words.join(' ');
  return groups
    .filter((g) => g.by !== 'organisation' && words.every((w) => fold(g.group).includes(w)))
    .map((g) => ({ g, starts: fold(g.group).startsWith(q) ? 0 : 1 }))
    .sort((a, b) => a.starts - b.starts || (a.g.by === b.g.by ? 0 : a.g.by === 'department' ? -1 : 1) || a.g.group.localeCompare(b.g.group))
    .map(({ g }) => g);
}
