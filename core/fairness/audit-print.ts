// The fairness audit as one printable HTML page: what an auditor files. It states the method,
// the data source, the date range, the counts, the policy versions and the thresholds, then per
// policy and cycle the groups of each attribute and intersection with their unknown counts and
// suppressed small groups. Self-contained (no script, no external style): it prints as it shows.
import type { FairnessAudit, AuditCycle } from './audit.ts';
import { formatP, formatRate, formatRatio, formatShare, OUTCOME_TITLE } from './messages.ts';
import type { FairnessSection } from './types.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]);

const STYLE = `
body { font: 11pt/1.4 system-ui, sans-serif; color: #111; margin: 2em; max-width: 60em; }
h1 { font-size: 18pt; margin: 0 0 .3em; } h2 { font-size: 14pt; margin: 1.6em 0 .3em; border-bottom: 1px solid #999; }
h3 { font-size: 12pt; margin: 1em 0 .3em; }
table { border-collapse: collapse; margin: .3em 0 1em; width: 100%; }
th, td { border: 1px solid #bbb; padding: .15em .4em; text-align: right; vertical-align: top; }
th:first-child, td:first-child, th.text, td.text { text-align: left; }
caption { text-align: left; font-weight: 600; padding: .2em 0; }
.flag { font-weight: 700; } dl { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; } dt { font-weight: 600; }
@media print { body { margin: 0; font-size: 9.5pt; } h2 { break-before: page; } h2.first { break-before: avoid; } table, tr { break-inside: avoid; } a { color: inherit; text-decoration: none; } }
`;

function resultWords(s: FairnessSection, g: FairnessSection['groups'][number]): string {
  if (g.tooSmall) return `Too small to judge: ${g.tooSmallReason}`;
  if (g.flagged) return 'Below four-fifths: adverse impact';
  if (g.isReference) return 'Most favoured (reference)';
  if (g.impactRatio === null) return s.noRatioReason ?? 'No ratio';
  return 'Passes four-fifths';
}

function sectionTable(s: FairnessSection): string {
  const rows = s.groups.map((g) => `<tr${g.flagged ? ' class="flag"' : ''}><td>${esc(g.group)}</td><td>${g.size}</td><td>${g.selected}</td><td>${formatRate(g.selectionRate)}</td><td>${g.impactRatio === null ? '–' : formatRatio(g.impactRatio)}</td><td>${g.fisherP === null ? '–' : esc(formatP(g.fisherP))}</td><td class="text">${esc(resultWords(s, g))}</td></tr>`);
  if (s.unknown) rows.push(`<tr><td>Unknown category</td><td>${s.unknown.size}</td><td>${s.unknown.selected}</td><td>${s.unknown.size ? formatRate(s.unknown.selected / s.unknown.size) : '–'}</td><td>–</td><td>–</td><td class="text">Counted; left out of every rate and ratio</td></tr>`);
  return `<table><caption>${esc(OUTCOME_TITLE[s.outcome])} by ${esc(s.attribute)}</caption>
<thead><tr><th scope="col">Group</th><th scope="col">People</th><th scope="col">Selected</th><th scope="col">Selection rate</th><th scope="col">Impact ratio</th><th scope="col">Fisher p</th><th scope="col" class="text">Result</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>${s.noRatioReason ? `<p>${esc(s.noRatioReason)}</p>` : ''}`;
}

function cycleSection(c: AuditCycle, first: boolean): string {
  const r = c.report;
  const flags = r.flags.length ? `<ul>${r.flags.map((f) => `<li>${esc(f.message)}</li>`).join('')}</ul>` : '<p>No group is below the four-fifths rule.</p>';
  const notes = [...r.notes, ...r.attributes.flatMap((a) => a.notes)];
  return `<h2${first ? ' class="first"' : ''}>${esc(c.policyTitle)} (${esc(c.policyId)} v${c.policyVersion}), ${esc(c.cycle)}</h2>
<p>Run ${c.runId}, as of ${esc(c.asOf.slice(0, 10))}${c.runsInCycle > 1 ? ` (the latest of ${c.runsInCycle} runs in this cycle)` : ''}: ${r.populationSize} people evaluated; ${r.outcomes.map((o) => `${o.selected} ${o.outcome === 'pip' ? 'PIP' : o.outcome}`).join(', ')}.</p>
<h3>Flags</h3>${flags}
${notes.length ? `<h3>Notes</h3><ul>${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
${r.sections.map(sectionTable).join('\n')}`;
}

export function auditHtml(audit: FairnessAudit): string {
  const t = audit.thresholds;
  const day = (iso: string) => iso.slice(0, 10);
  const versions = audit.policyVersions.map((v) => `${esc(v.title)} (${esc(v.policyId)} v${v.version})`).join('; ') || 'none';
  const small = `fewer than ${t.minGroupSize} people${t.minGroupShare > 0 ? `, or under ${formatShare(t.minGroupShare)} of the people evaluated in the cycle` : ''}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fairness audit ${esc(day(audit.from))} to ${esc(day(audit.to))}</title>
<style>${STYLE}</style></head><body>
<h1>Fairness audit: ${esc(day(audit.from))} to ${esc(day(audit.to))}</h1>
<dl>
<dt>Generated</dt><dd>${esc(audit.generatedAt)}</dd>
<dt>Date range</dt><dd>Runs with an as-of date from ${esc(day(audit.from))} to ${esc(day(audit.to))}${audit.policyId ? `, policy ${esc(audit.policyId)}` : ', every policy'}</dd>
<dt>Data source</dt><dd>${esc(audit.dataSource)}</dd>
<dt>Backtests</dt><dd>${esc(audit.backtests)}</dd>
<dt>Policy versions</dt><dd>${versions}</dd>
<dt>Cycles reported</dt><dd>${audit.cycles.length ? audit.cycles.map((c) => `${esc(c.policyId)} ${esc(c.cycle)} (${c.report.populationSize} people)`).join('; ') : 'none'}</dd>
<dt>Protected attributes</dt><dd>${esc(audit.protectedAttributes.join(', ') || 'none configured')}</dd>
<dt>Intersections</dt><dd>${esc(audit.intersections.map((i) => i.join(' × ')).join(', ') || 'none configured')}</dd>
<dt>Thresholds</dt><dd>Four-fifths: impact ratio below ${t.fourFifths} is flagged. Too small to judge: ${esc(small)}.${t.unknownValues.length ? ` Counted as unknown: ${esc(t.unknownValues.map((v) => `"${v}"`).join(', '))}.` : ''}</dd>
</dl>
<h3>Method</h3>
<ol>${audit.method.map((m) => `<li>${esc(m)}</li>`).join('')}</ol>
${audit.notes.map((n) => `<p>${esc(n)}</p>`).join('\n')}
${audit.cycles.map((c, i) => cycleSection(c, i === 0)).join('\n')}
</body></html>
`;
}
