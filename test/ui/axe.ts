// axe-core in a playwright page: the serious and critical accessibility violations of what the
// page shows now, across the open shadow roots of the Lit elements. The source is evaluated
// through the DevTools protocol, not added as a <script>: the server's Content-Security-Policy
// (script-src 'self') refuses inline scripts, as it should.
import axe from 'axe-core';
import type { Page } from 'playwright-core';

/** One rule broken on one page, with the elements that break it. */
export interface AxeViolation {
  rule: string;
  impact: 'serious' | 'critical';
  help: string;
  helpUrl: string;
  /** Each element's selector, shadow hosts joined by ` >>> `. */
  targets: string[];
  /** axe's reason for the first element (e.g. the contrast ratio and colours it measured). */
  why: string;
}

const BLOCKING = ['serious', 'critical'] as const;

/** Runs axe-core on the page as it is and returns its serious and critical violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // A full navigation drops the injected script; put it back when it is gone.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  const found = await page.evaluate(async () => {
    const run = (window as unknown as { axe: typeof axe }).axe;
    const r = await run.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      rule: v.id, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ impact: n.impact ?? v.impact, target: n.target as unknown as Array<string | string[]>, why: n.failureSummary ?? '' })),
    }));
  });
  const out: AxeViolation[] = [];
  for (const v of found) {
    const nodes = v.nodes.filter((n) => (BLOCKING as readonly unknown[]).includes(n.impact));
    if (!nodes.length) continue;
    out.push({
      rule: v.rule,
      impact: nodes.some((n) => n.impact === 'critical') ? 'critical' : 'serious',
      help: v.help,
      helpUrl: v.helpUrl,
      targets: nodes.map((n) => n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' | ')),
      why: nodes[0].why.replace(/\s+/g, ' ').trim(),
    });
  }
  return out;
}

/** A failure message that names, for each violation, the rule, impact, elements and help page. */
export function formatViolations(screen: string, violations: AxeViolation[], shown = 5): string {
  if (!violations.length) return `${screen}: no serious or critical accessibility violations`;
  const lines = violations.map((v) => {
    const more = v.targets.length > shown ? `\n      … and ${v.targets.length - shown} more` : '';
    return `  ${v.rule} (${v.impact}) on ${v.targets.length} element${v.targets.length === 1 ? '' : 's'}: ${v.help}\n`
      + `    ${v.helpUrl}\n    ${v.why}\n`
      + v.targets.slice(0, shown).map((t) => `      ${t}`).join('\n') + more;
  });
  return `${screen}: ${violations.length} serious or critical accessibility violation${violations.length === 1 ? '' : 's'}\n${lines.join('\n')}`;
}
