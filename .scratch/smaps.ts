import { readFileSync } from 'node:fs';
export function smapsTop(label: string) {
  const txt = readFileSync('/proc/self/smaps', 'utf8').split('\n');
  const rows: Array<[number, string, number]> = [];
  let cur = '';
  let size = 0;
  for (const l of txt) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(l);
    if (m) { cur = m[3] || '[anon]'; size = (parseInt(m[2], 16) - parseInt(m[1], 16)) / 1048576; continue; }
    const r = /^Rss:\s+(\d+) kB/.exec(l);
    if (r && +r[1] > 10240) rows.push([Math.round(+r[1] / 1024), cur, Math.round(size)]);
  }
  rows.sort((a, b) => b[0] - a[0]);
  console.log(label, rows.slice(0, 12).map(([r, n, s]) => `${r}MB/${s}MB ${n}`).join(' | '));
}
