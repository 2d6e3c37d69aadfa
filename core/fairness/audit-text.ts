// The fairness audit as plain text for the terminal: the range, source and thresholds, then each
// policy's report per cycle, as `formatFairness` writes a single report.
import type { FairnessAudit } from './audit.ts';
import { formatFairness } from './format.ts';
import { formatShare } from './messages.ts';

export function auditText(audit: FairnessAudit): string {
  const t = audit.thresholds;
  const lines = [
    `Fairness audit, runs as of ${audit.from.slice(0, 10)} to ${audit.to.slice(0, 10)}${audit.policyId ? `, policy ${audit.policyId}` : ''}.`,
    `Source: ${audit.dataSource}`,
    audit.backtests,
    `Thresholds: four-fifths (impact ratio below ${t.fourFifths} is flagged); too small to judge under ${t.minGroupSize} people${t.minGroupShare > 0 ? ` or under ${formatShare(t.minGroupShare)} of those evaluated` : ''}; unknown categories are counted and left out of the ratios.`,
    `Policy versions: ${audit.policyVersions.map((v) => `${v.policyId} v${v.version}`).join(', ') || 'none'}.`,
    ...audit.notes,
  ];
  for (const c of audit.cycles) {
    lines.push('', `== ${c.policyId} v${c.policyVersion}, ${c.cycle}: run ${c.runId} as of ${c.asOf.slice(0, 10)}${c.runsInCycle > 1 ? ` (latest of ${c.runsInCycle} runs in the cycle)` : ''}`);
    lines.push(formatFairness(c.report).trimEnd());
  }
  return `${lines.join('\n')}\n`;
}
