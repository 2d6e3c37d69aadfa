// The history's side-by-side diff: unchanged lines share a row, a changed line sits next to its
// replacement, removals and additions face a gap, and both sides keep their own line numbers.
import { describe, expect, it } from 'vitest';
import { foldUnchanged, sideBySide, type SideRow } from '../../ui/lib/side-by-side.ts';

const show = (rows: SideRow[]) => rows.map((r) => `${r.kind}:${r.left ? `${r.left.line} ${r.left.text}` : '-'}|${r.right ? `${r.right.line} ${r.right.text}` : '-'}`);

describe('side-by-side alignment', () => {
  it('a changed line is on the same row as its replacement', () => {
    expect(show(sideBySide('a\nvalue: 2\nc\n', 'a\nvalue: 3\nc\n'))).toEqual(['same:1 a|1 a', 'changed:2 value: 2|2 value: 3', 'same:3 c|3 c']);
  });

  it('added and removed lines face a gap, and the numbering of each side continues', () => {
    expect(show(sideBySide('a\nold\nb\nc\n', 'a\nb\nnew\nc\n'))).toEqual(['same:1 a|1 a', 'removed:2 old|-', 'same:3 b|2 b', 'added:-|3 new', 'same:4 c|4 c']);
  });

  it('a block replaced by a longer one pairs line by line, the rest added', () => {
    expect(show(sideBySide('x\n1\n2\ny\n', 'x\nA\nB\nC\ny\n'))).toEqual(['same:1 x|1 x', 'changed:2 1|2 A', 'changed:3 2|3 B', 'added:-|4 C', 'same:4 y|5 y']);
  });

  it('every line of both texts appears once, in order', () => {
    const before = 'k: 1\na: [1, 2]\nb: x\n# comment\nc: 3';
    const after = 'k: 1\n# new\na: [1, 2, 3]\nc: 3\nd: 4\n';
    const rows = sideBySide(before, after);
    expect(rows.flatMap((r) => (r.left ? [r.left.text] : []))).toEqual(before.split('\n'));
    expect(rows.flatMap((r) => (r.right ? [r.right.text] : []))).toEqual(after.split('\n').slice(0, -1));
    expect(rows.flatMap((r) => (r.left ? [r.left.line] : []))).toEqual([1, 2, 3, 4, 5]);
  });

  it('identical texts are all `same`; an empty side is all additions', () => {
    expect(sideBySide('a\nb\n', 'a\nb\n').every((r) => r.kind === 'same')).toBe(true);
    expect(show(sideBySide('', 'a\nb\n'))).toEqual(['added:-|1 a', 'added:-|2 b']);
  });

  it('long unchanged stretches fold, keeping three lines of context around a change', () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n');
    const after = before.replace('l10', 'L10');
    const folded = foldUnchanged(sideBySide(before, after));
    expect(folded.map((r) => (r.kind === 'fold' ? `fold ${r.hidden}` : r.left?.text))).toEqual(['fold 7', 'l7', 'l8', 'l9', 'l10', 'l11', 'l12', 'l13', 'fold 6']);
  });
});
