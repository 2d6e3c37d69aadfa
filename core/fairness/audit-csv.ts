// The fairness audit as CSV: one row per policy, cycle, outcome, attribute (or intersection) and
// group, then a row for the people whose category is unknown. Numbers are written to four
// decimals from the report's exact figures; cells a spreadsheet would run as a formula (a group
// label such as "=1+1" from employee data) are neutralised as in rejects files.
import { stringify } from 'csv-stringify/sync';
import { neutralise } from '../import/rejects.ts';
import type { FairnessAudit } from './audit.ts';
import type { FairnessGroup, FairnessSection } from './types.ts';

export const AUDIT_CSV_HEADER = [
  'policy', 'version', 'cycle', 'run', 'as_of', 'outcome', 'attribute', 'group', 'size', 'selected',
  'selection_rate', 'favourable_rate', 'impact_ratio', 'fisher_p', 'result', 'reason',
] as const;

/** The label of the row of people with an unknown category. */
export const UNKNOWN_ROW = '(unknown)';

const fixed = (n: number | null) => (n === null ? '' : n.toFixed(4));

function result(s: FairnessSection, g: FairnessGroup): [string, string] {
  if (g.tooSmall) return ['too small', `too small to judge: ${g.tooSmallReason}`];
  if (g.flagged) return ['flagged', `impact ratio below 0.8 (four-fifths rule)`];
  if (g.isReference) return ['reference', 'most favoured group'];
  if (g.impactRatio === null) return ['no ratio', s.noRatioReason ?? ''];
  return ['passes', ''];
}

export function auditCsv(audit: FairnessAudit): string {
  const rows: string[][] = [[...AUDIT_CSV_HEADER]];
  for (const c of audit.cycles) {
    const lead = [c.policyId, String(c.policyVersion), c.cycle, String(c.runId), c.asOf];
    for (const s of c.report.sections) {
      for (const g of s.groups) {
        const [res, reason] = result(s, g);
        rows.push([...lead, s.outcome, s.attribute, g.group, String(g.size), String(g.selected), fixed(g.selectionRate), fixed(g.favourableRate), fixed(g.impactRatio), fixed(g.fisherP), res, reason]);
      }
      if (s.unknown) {
        const u = s.unknown;
        rows.push([...lead, s.outcome, s.attribute, UNKNOWN_ROW, String(u.size), String(u.selected), u.size ? fixed(u.selected / u.size) : '', '', '', '', 'unknown', 'unknown category: counted, left out of every rate and ratio']);
      }
    }
  }
  return stringify(rows, {
    cast: {
      string: (value) => {
        const n = neutralise(value);
        return n.quoted ? { value: n.value, quoted: true } : n.value;
      },
    },
  });
}
