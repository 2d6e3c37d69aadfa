// The fairness report as plain text for the CLI: per attribute its notes, per outcome a table of
// groups, then every flag in words. Numbers are written as in the flag messages.
import { formatP, formatRate, formatRatio, formatShare, OUTCOME_TITLE } from './messages.ts';
import type { FairnessReport, FairnessSection } from './types.ts';

const FAVOURABLE: Record<FairnessSection['outcome'], string> = { recognition: 'recognised', coaching: 'no coaching', pip: 'no PIP' };
const HEADER = ['group', 'size', 'selected', 'rate', 'favourable', 'impact ratio', 'adverse ratio', 'Fisher p', ''];
/** Text columns are left-aligned, numbers right-aligned. */
const LEFT = new Set([0, 8]);

export function formatFairness(report: FairnessReport): string {
  const lines: string[] = [];
  const share = report.minGroupShare > 0 ? ` or under ${formatShare(report.minGroupShare)} of them` : '';
  lines.push(
    `Fairness report: ${report.populationSize} employees; groups under ${report.minGroupSize}${share} are too small to judge; ` +
      `an impact ratio below ${report.threshold} is flagged (four-fifths rule).`,
  );
  for (const note of report.notes) lines.push(`  ${note}`);
  for (const attribute of report.attributes) {
    lines.push('', `By ${attribute.attribute}`);
    for (const note of attribute.notes) lines.push(`  ${note}`);
    for (const s of report.sections.filter((x) => x.attribute === attribute.attribute)) {
      lines.push('', `  ${OUTCOME_TITLE[s.outcome]} (${s.selected} selected; favourable: ${FAVOURABLE[s.outcome]})`);
      lines.push(...table(s).map((row) => `    ${row}`));
      if (s.noRatioReason) lines.push(`    ${s.noRatioReason}`);
      for (const note of s.notes) lines.push(`    ${note}`);
    }
  }
  lines.push('');
  if (report.flags.length) {
    lines.push(`Flags (${report.flags.length}):`);
    for (const f of report.flags) lines.push(`  ! ${f.message}`);
  } else {
    lines.push('No group is below the four-fifths rule.');
  }
  return `${lines.join('\n')}\n`;
}

function table(s: FairnessSection): string[] {
  const rows = s.groups.map((g) => [
    g.group,
    String(g.size),
    String(g.selected),
    formatRate(g.selectionRate),
    formatRate(g.favourableRate),
    g.impactRatio === null ? '–' : formatRatio(g.impactRatio),
    // Judged against a reference yet no ratio: the reference never receives the outcome.
    g.adverseRateRatio !== null ? g.adverseRateRatio.toFixed(2) : g.impactRatio !== null ? '∞' : '–',
    g.fisherP === null ? '–' : formatP(g.fisherP),
    g.tooSmall ? 'too small to judge' : g.flagged ? 'FLAGGED: below 0.8' : g.isReference ? 'reference (most favoured)' : '',
  ]);
  // Under Local Law 144 the unknowns are a count beside the groups, never a group.
  if (s.unknown) {
    const u = s.unknown;
    rows.push(['(unknown)', String(u.size), String(u.selected), u.size ? formatRate(u.selected / u.size) : '–', '–', '–', '–', '–', 'unknown: left out of ratios']);
  }
  const all = [HEADER, ...rows];
  const widths = HEADER.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all.map((r) => r.map((cell, i) => (LEFT.has(i) ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd());
}
