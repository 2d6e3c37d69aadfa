// A published notice as a printable page (for a notice board, an email, the works council's
// file) and as the text footer that says when it was published and which text it is. Every
// value is escaped: policy titles and contacts are text an admin typed.
import type { NoticeItem } from './generate.ts';
import type { StoredNotice } from './record.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** When the notice was published and the hash of its text: what proves which text the workers were given. */
export function publicationLine(n: StoredNotice): string {
  return `Notice of version ${n.version}, published ${n.noticePublishedAt}; text SHA-256 ${n.textHash}.`;
}

function items(list: NoticeItem[] | undefined): string {
  if (!list?.length) return '';
  return `<ul>${list.map((i) => `<li>${esc(i.text)}${items(i.items)}</li>`).join('')}</ul>`;
}

export function renderHtml(n: StoredNotice): string {
  const title = `How “${n.title}” evaluates your work (version ${n.version})`;
  const body = n.sections.map((s) => `<section id="${esc(s.id)}"><h2>${esc(s.heading)}</h2>${s.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('')}${items(s.items)}</section>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1f2328}h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:1.5rem}li{margin:.2rem 0}footer{margin-top:2rem;color:#57606a;font-size:.85rem}</style>
</head><body><main><h1>${esc(title)}</h1>
${body}
<footer><p>${esc(publicationLine(n))}</p></footer></main></body></html>
`;
}
