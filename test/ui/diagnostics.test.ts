// The editor's mapping from the API's diagnostics (1-based line and column) to CodeMirror
// document ranges: exact positions, tokens, multi-byte lines and positions out of range.
import { beforeAll, describe, expect, it } from 'vitest';
import { Text } from '@codemirror/state';
import { diagnosticRange, toEditorDiagnostics } from '../../ui/lib/diagnostics.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { analysisDiagnostics } from '../../core/analysis/diagnostics.ts';
import { registryFromManifests } from '../../core/plugins/catalogue.ts';
import type { Registry } from '../../core/registry/registry.ts';
import { POLICY_LINES, SUPPORT_POLICY } from './policies.ts';

let registry: Registry;
beforeAll(async () => {
  registry = await registryFromManifests();
});

const doc = (s: string) => Text.of(s.split('\n'));
const slice = (d: Text, r: { from: number; to: number }) => d.sliceString(r.from, r.to);

describe('diagnostic line/column → editor range', () => {
  it('points at the token at the line and column', () => {
    const d = doc('a: 1\nspec:\n  window: 30x\n');
    expect(slice(d, diagnosticRange(d, 3, 11))).toBe('30x');
    expect(slice(d, diagnosticRange(d, 3, 3))).toBe('window');
  });

  it('a key is highlighted without its colon; a quoted scalar as a whole; flow punctuation ends a token', () => {
    const d = doc('metadata: { ownr: x, title: "A long title", id: [a,b] }');
    expect(slice(d, diagnosticRange(d, 1, 13))).toBe('ownr');
    expect(slice(d, diagnosticRange(d, 1, 29))).toBe('"A long title"');
    expect(slice(d, diagnosticRange(d, 1, 50))).toBe('a');
  });

  it('columns count UTF-16 code units, as the yaml library does: an emoji before the error is two', () => {
    const line = '  when: { name: "Zufriedenheit 😟 très basse", operator: lessThen }';
    const d = doc(`x: 1\n${line}`);
    const column = line.indexOf('lessThen') + 1;
    expect(slice(d, diagnosticRange(d, 2, column))).toBe('lessThen');
  });

  it('never starts inside a surrogate pair', () => {
    const d = doc('a: 😟x');
    const r = diagnosticRange(d, 1, 5); // the low half of the emoji
    expect(r.from).toBe(3);
    expect(slice(d, r)).toBe('😟x');
  });

  it('clamps out-of-range positions into the text instead of dropping them', () => {
    const d = doc('a: 1\nbb: 2');
    expect(diagnosticRange(d, 9, 1)).toEqual({ from: d.length, to: d.length }); // past the last line: the end
    expect(diagnosticRange(d, 2, 99)).toEqual({ from: d.length, to: d.length }); // past the line's end: its end
    expect(slice(d, diagnosticRange(d, 0, 0))).toBe('a: 1'); // no position: the first line
    expect(slice(d, diagnosticRange(d, 2, -4))).toBe('bb');
    expect(diagnosticRange(doc(''), 3, 3)).toEqual({ from: 0, to: 0 });
  });

  it('a position on a blank line or at a line end is a point, not a range into the next line', () => {
    const d = doc('a:\n\nb: 1');
    expect(diagnosticRange(d, 2, 1)).toEqual({ from: 3, to: 3 });
    expect(diagnosticRange(d, 1, 3)).toEqual({ from: 2, to: 2 });
  });

  it("the server's own diagnostics land on the offending text of the policy, multi-byte line included", () => {
    const lines = SUPPORT_POLICY.split('\n');
    lines[POLICY_LINES.pipCondition - 1] = lines[POLICY_LINES.pipCondition - 1].replace('lessThan', 'lessThen');
    lines[POLICY_LINES.coachingCondition - 1] = lines[POLICY_LINES.coachingCondition - 1].replace('fact: csat', 'fact: csatt');
    const text = lines.join('\n');
    const { diagnostics } = loadPolicyText('draft.policy.yaml', text, registry);
    const d = doc(text);
    const mapped = toEditorDiagnostics(d, diagnostics);
    expect(mapped.map((m) => [d.lineAt(m.from).number, slice(d, m)])).toEqual([
      [POLICY_LINES.pipCondition, 'lessThen'],
      [POLICY_LINES.coachingCondition, 'csatt'],
    ]);
    expect(mapped[0]).toMatchObject({ severity: 'error', source: 'APPRAISE_POLICY_UNKNOWN_OPERATOR', message: expect.stringMatching(/lessThan/) });
  });

  it('a gap note stays a note (info) on the `rules:` key, and an unknown severity shows as an error', () => {
    const { policy, source, diagnostics } = loadPolicyText('draft.policy.yaml', SUPPORT_POLICY, registry);
    expect(policy).toBeDefined();
    const d = doc(SUPPORT_POLICY);
    const notes = analysisDiagnostics({ file: 'draft.policy.yaml', source, policy }, registry).filter((x) => x.severity === 'info');
    expect(notes.length).toBe(1);
    const [mapped] = toEditorDiagnostics(d, notes);
    expect(mapped).toMatchObject({ severity: 'info', source: 'APPRAISE_ANALYSIS_GAP' });
    expect(slice(d, mapped)).toBe('rules');
    expect(diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
    expect(toEditorDiagnostics(d, [{ ...notes[0], severity: 'fatal' as never }])[0].severity).toBe('error');
  });
});
