// Styles every element adopts in its shadow root: type, controls, tables, badges, cards and a
// visible focus ring. The colours meet WCAG AA contrast on white.
import { css } from 'lit';

export const shared = css`
  :host {
    display: block;
    color: var(--fg, #1f2328);
    font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif;
  }
  *, *::before, *::after { box-sizing: border-box; }
  h1 { font-size: 1.5rem; margin: 0 0 0.75rem; line-height: 1.25; }
  h2 { font-size: 1.15rem; margin: 1.25rem 0 0.5rem; }
  h3 { font-size: 1rem; margin: 1rem 0 0.4rem; }
  p { margin: 0.4rem 0; }
  a { color: var(--link, #0550ae); }
  a:hover { text-decoration-thickness: 2px; }
  :focus-visible { outline: 3px solid var(--focus, #0969da); outline-offset: 2px; border-radius: 3px; }
  code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.875em; }
  .muted { color: var(--muted, #57606a); }
  .small { font-size: 0.85rem; }
  .row { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: end; }
  .spacer { flex: 1; }
  .stack > * + * { margin-top: 0.75rem; }
  .card { background: #fff; border: 1px solid var(--border, #d0d7de); border-radius: 8px; padding: 1rem; }
  .grid { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 340px), 1fr)); }
  .sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }

  button, .button {
    font: inherit; font-size: 0.9rem; font-weight: 600; cursor: pointer; text-decoration: none; display: inline-flex; align-items: center; gap: 0.35rem;
    border: 1px solid var(--border, #d0d7de); background: #f6f8fa; color: #1f2328; border-radius: 6px; padding: 0.4rem 0.85rem; min-height: 2.25rem;
  }
  button:hover:not(:disabled) { background: #eef1f4; }
  button.primary { background: #1f6feb; border-color: #1a5fd0; color: #fff; }
  button.primary:hover:not(:disabled) { background: #1a5fd0; }
  button.danger { background: #fff; border-color: #cf222e; color: #a40e26; }
  button:disabled { opacity: 0.55; cursor: not-allowed; }
  button.link { background: none; border: none; color: var(--link, #0550ae); padding: 0.1rem 0.2rem; min-height: 0; font-weight: 500; text-decoration: underline; }

  label { display: flex; flex-direction: column; gap: 0.2rem; font-size: 0.85rem; font-weight: 600; color: #32383f; }
  input, select, textarea {
    font: inherit; font-size: 0.95rem; font-weight: 400; color: inherit; background: #fff;
    border: 1px solid #8c959f; border-radius: 6px; padding: 0.35rem 0.5rem; min-height: 2.25rem; max-width: 100%;
  }
  textarea { min-height: 4.5rem; resize: vertical; width: 100%; }
  input[aria-invalid='true'], textarea[aria-invalid='true'] { border-color: #cf222e; }

  .table-wrap { overflow-x: auto; border: 1px solid var(--border, #d0d7de); border-radius: 8px; background: #fff; }
  table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
  th, td { text-align: left; padding: 0.45rem 0.7rem; border-bottom: 1px solid #eaeef2; vertical-align: top; }
  th { background: #f6f8fa; font-weight: 600; white-space: nowrap; }
  tr:last-child td { border-bottom: none; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }

  .badge { display: inline-block; padding: 0.05rem 0.5rem; border-radius: 999px; font-size: 0.78rem; font-weight: 600; border: 1px solid transparent; white-space: nowrap; }
  .badge.recognition, .badge.pass, .badge.ok, .badge.completed, .badge.active-plugin { background: #dafbe1; color: #116329; border-color: #aceebb; }
  .badge.coaching, .badge.unknown, .badge.running, .badge.warning { background: #fff8c5; color: #7d4e00; border-color: #f5e0a0; }
  .badge.pip, .badge.fail, .badge.error, .badge.failed, .badge.flagged { background: #ffebe9; color: #a40e26; border-color: #ffcecb; }
  .badge.neutral { background: #eaeef2; color: #32383f; }

  .notice { border-radius: 8px; padding: 0.75rem 1rem; border: 1px solid; }
  .notice.error { background: #fff1f0; border-color: #ffcecb; color: #82071e; }
  .notice.info { background: #ddf4ff; border-color: #b6e3ff; color: #0a3069; }
  .notice.success { background: #dafbe1; border-color: #aceebb; color: #0f5323; }
  .notice.warn { background: #fff8c5; border-color: #f5e0a0; color: #633c01; }
  .empty { color: var(--muted, #57606a); padding: 1rem; text-align: center; border: 1px dashed #d0d7de; border-radius: 8px; }
  .loading { color: var(--muted, #57606a); padding: 1rem 0; display: flex; gap: 0.5rem; align-items: center; }
  .loading::before { content: ''; width: 1rem; height: 1rem; border-radius: 50%; border: 2px solid #d0d7de; border-top-color: #1f6feb; animation: spin 0.8s linear infinite; }
  @keyframes spin { to { transform: rotate(360deg); } }
  @media (prefers-reduced-motion: reduce) { .loading::before { animation: none; } }

  .tabs { display: flex; gap: 0.25rem; border-bottom: 1px solid var(--border, #d0d7de); margin-bottom: 1rem; overflow-x: auto; }
  .tabs a { padding: 0.5rem 0.9rem; text-decoration: none; color: #32383f; border-bottom: 3px solid transparent; font-weight: 600; white-space: nowrap; }
  .tabs a[aria-current='page'] { border-bottom-color: #fd8c73; color: #1f2328; }
  dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0; }
  dl.facts dt { color: var(--muted, #57606a); font-size: 0.85rem; }
  dl.facts dd { margin: 0; }
  @media (max-width: 600px) {
    h1 { font-size: 1.25rem; }
    .card { padding: 0.75rem; }
    th, td { padding: 0.4rem 0.5rem; }
  }
`;
