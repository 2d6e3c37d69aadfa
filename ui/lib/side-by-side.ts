// Two texts side by side, line against line, for the policy history: unchanged lines on one
// row, a removed block next to the block that replaced it, and the rest with a gap on the
// other side. The line diff itself is the `diff` library's (Myers), not hand-written.
import { diffLines } from 'diff';

export interface SideCell {
  /** 1-based line number in its own text. */
  line: number;
  text: string;
}

export type RowKind = 'same' | 'changed' | 'removed' | 'added';

export interface SideRow {
  kind: RowKind;
  left: SideCell | null;
  right: SideCell | null;
}

export interface FoldRow {
  kind: 'fold';
  /** How many unchanged rows are hidden. */
  hidden: number;
  left: null;
  right: null;
}

const linesOf = (value: string): string[] => {
  const lines = value.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
};

export function sideBySide(before: string, after: string): SideRow[] {
  const rows: SideRow[] = [];
  let l = 1;
  let r = 1;
  const changes = diffLines(before, after);
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i];
    if (!c.added && !c.removed) {
      for (const text of linesOf(c.value)) rows.push({ kind: 'same', left: { line: l++, text }, right: { line: r++, text } });
      continue;
    }
    // A removal followed by an addition (or the reverse) is a change: pair them line by line.
    let removed: string[] = [];
    let added: string[] = [];
    if (c.removed) {
      removed = linesOf(c.value);
      if (changes[i + 1]?.added) added = linesOf(changes[++i].value);
    } else {
      added = linesOf(c.value);
      if (changes[i + 1]?.removed) removed = linesOf(changes[++i].value);
    }
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      const left = k < removed.length ? { line: l++, text: removed[k] } : null;
      const right = k < added.length ? { line: r++, text: added[k] } : null;
      rows.push({ kind: left && right ? 'changed' : left ? 'removed' : 'added', left, right });
    }
  }
  return rows;
}

/** Hides runs of unchanged rows longer than 2 × context, keeping `context` rows around each change. */
export function foldUnchanged(rows: readonly SideRow[], context = 3): Array<SideRow | FoldRow> {
  const out: Array<SideRow | FoldRow> = [];
  let i = 0;
  while (i < rows.length) {
    if (rows[i].kind !== 'same') {
      out.push(rows[i++]);
      continue;
    }
    let j = i;
    while (j < rows.length && rows[j].kind === 'same') j++;
    const keepBefore = i === 0 ? 0 : context;
    const keepAfter = j === rows.length ? 0 : context;
    if (j - i > keepBefore + keepAfter + 1) {
      out.push(...rows.slice(i, i + keepBefore));
      out.push({ kind: 'fold', hidden: j - i - keepBefore - keepAfter, left: null, right: null });
      out.push(...rows.slice(j - keepAfter, j));
    } else {
      out.push(...rows.slice(i, j));
    }
    i = j;
  }
  return out;
}
