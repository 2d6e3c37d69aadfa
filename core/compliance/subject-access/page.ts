// The readable page of a data-subject access export: the same sections as the JSON, each a
// table under a plain title, printable, with nothing left out but the records' bulk (counted
// per kind here; the JSON holds every one).
import { SECTIONS } from './sections.ts';
import type { SubjectExport } from './export.ts';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return `<pre>${escape(JSON.stringify(v, null, 2))}</pre>`;
  return escape(String(v));
}

function table(rows: ReadonlyArray<Record<string, unknown>>): string {
  if (!rows.length) return '<p>Nothing stored.</p>';
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return `<table><thead><tr>${columns.map((c) => `<th scope="col">${escape(c)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${columns.map((c) => `<td>${cell(r[c])}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

export function exportPage(x: SubjectExport, name?: string): string {
  const parts: string[] = [];
  for (const s of SECTIONS) {
    const rows = x.sections[s.key] ?? [];
    let body: string;
    if (s.summarise && rows.length) {
      const byKind = new Map<string, number>();
      for (const r of rows) byKind.set(String(r.kind), (byKind.get(String(r.kind)) ?? 0) + 1);
      body = `<p>${rows.length} record(s); every one, with its content, is in the JSON export.</p>${table([...byKind].map(([kind, n]) => ({ kind, records: n })))}`;
    } else body = table(rows);
    parts.push(`<section><h2>${escape(s.title)} <small>(${rows.length})</small></h2>${body}</section>`);
  }
  parts.push(`<section><h2>Policy versions that made decisions about you <small>(${x.policyVersions.length})</small></h2>${table(x.policyVersions)}</section>`);
  parts.push(`<section><h2>Audit entries about you <small>(${x.audit.length})</small></h2>${table(x.audit)}</section>`);
  const who = name ? `${escape(name)} (${escape(x.employeeId)})` : escape(x.employeeId);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>What Appraise holds about ${who}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem; color: #1a1a1a; }
table { border-collapse: collapse; margin: .5rem 0 1.5rem; font-size: 12px; }
th, td { border: 1px solid #bbb; padding: .25rem .4rem; vertical-align: top; text-align: left; }
pre { margin: 0; white-space: pre-wrap; max-width: 40rem; }
h2 small { font-weight: normal; color: #555; }
@media print { body { margin: 0; } section { break-inside: avoid-page; } }
</style></head>
<body><main>
<h1>What Appraise holds about ${who}</h1>
<p>Made on ${escape(x.generatedAt)} (UTC) for ${escape(x.generatedBy)}. Each section below is one kind of data Appraise stores, exactly as stored. The machine-readable JSON export holds the same, and every record in full.</p>
${parts.join('\n')}
</main></body></html>
`;
}
