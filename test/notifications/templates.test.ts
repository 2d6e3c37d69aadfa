// Templates are checked when loaded: YAML and shape errors, and placeholders that name a variable
// the event does not provide, each at its file:line:col with a "did you mean"; the shipped
// templates are all clean.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../core/diagnostics/diagnostic.ts';
import { NOTICE_IDS } from '../../core/notifications/events.ts';
import { loadNotificationTemplateText, loadNotificationTemplates, SHIPPED_NOTIFICATION_TEMPLATES_DIR } from '../../core/notifications/templates.ts';
import { TemplateSet } from '../../core/notifications/template-set.ts';

const HEAD = ['apiVersion: appraise/v1', 'kind: NotificationTemplate', 'id: pip.plan', 'event: pip.plan'];
const body = (lines: string[]) => [...HEAD, ...lines].join('\n') + '\n';
const GOOD = [
  'subject: "Your plan, {{employee.firstName}}"',
  'text: |',
  '  Goals:',
  '  {{#plan.goals}}',
  '  - {{.}}',
  '  {{/plan.goals}}',
  'html: "<p>{{plan.support}}</p>"',
  'chat:',
  '  title: Plan',
  '  text: "Ends {{plan.dueDate}}"',
];

describe('notification templates', () => {
  it('the shipped templates load without a problem, one per event', async () => {
    const loaded = await loadNotificationTemplates(SHIPPED_NOTIFICATION_TEMPLATES_DIR);
    expect(loaded.flatMap((l) => l.diagnostics.map(formatDiagnostic))).toEqual([]);
    expect(loaded.map((l) => l.template!.event).sort()).toEqual([...NOTICE_IDS].sort());
  });

  it('a good template has no diagnostics', () => {
    expect(loadNotificationTemplateText('t.yaml', body(GOOD)).diagnostics).toEqual([]);
  });

  it('a misspelt variable in a block scalar is reported at its own line and column, with a did-you-mean', () => {
    const lines = [...GOOD];
    lines[4] = '  - {{.}} by {{plan.dueDat}}';
    const r = loadNotificationTemplateText('rules/notifications/pip-plan.yaml', body(lines));
    expect(r.template).toBeUndefined();
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      expect.stringMatching(/^rules\/notifications\/pip-plan\.yaml:9:14 error APPRAISE_NOTIFY_TEMPLATE_UNKNOWN_VARIABLE The pip\.plan notice has no variable `plan\.dueDat`\. Did you mean `plan\.dueDate`\?/),
    ]);
  });

  it('a variable of another event, and {{.}} outside a list, are errors at their place in a quoted line', () => {
    const lines = [...GOOD];
    lines[0] = 'subject: "About {{dispute.outcome}} and {{.}}"';
    const r = loadNotificationTemplateText('t.yaml', body(lines));
    expect(r.diagnostics.map((d) => [d.line, d.column, d.code])).toEqual([
      [5, 17, 'APPRAISE_NOTIFY_TEMPLATE_UNKNOWN_VARIABLE'],
      [5, 41, 'APPRAISE_NOTIFY_TEMPLATE_UNKNOWN_VARIABLE'],
    ]);
  });

  it('an unescaped value in the HTML part is refused', () => {
    const lines = [...GOOD];
    lines[6] = 'html: "<p>{{{plan.support}}}</p>"';
    const r = loadNotificationTemplateText('t.yaml', body(lines));
    expect(r.diagnostics.map((d) => [d.line, d.column, d.code])).toEqual([[11, 11, 'APPRAISE_NOTIFY_TEMPLATE_UNESCAPED']]);
    expect(r.diagnostics[0].message).toContain('write {{plan.support}} so that it is HTML-escaped');
  });

  it('an unclosed section, a missing part and an unknown event are located', () => {
    const unclosed = [...GOOD];
    unclosed[5] = '';
    expect(loadNotificationTemplateText('t.yaml', body(unclosed)).diagnostics.map((d) => [d.line, d.code])).toEqual([[6, 'APPRAISE_NOTIFY_TEMPLATE_SYNTAX']]);
    const noHtml = GOOD.filter((l) => !l.startsWith('html'));
    expect(loadNotificationTemplateText('t.yaml', body(noHtml)).diagnostics.map((d) => d.code)).toEqual(['APPRAISE_SCHEMA_MISSING_FIELD']);
    const r = loadNotificationTemplateText('t.yaml', [...HEAD.slice(0, 3), 'event: pip.planned', ...GOOD].join('\n'));
    expect(r.diagnostics.map((d) => [d.line, d.column, d.code])).toEqual([[4, 8, 'APPRAISE_SCHEMA_INVALID_VALUE']]);
  });

  it('a broken template in the admin folder leaves the shipped one in force, its problem reported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'appraise-templates-'));
    try {
      const lines = [...GOOD];
      lines[0] = 'subject: "{{employe.name}}"';
      writeFileSync(join(dir, 'pip-plan.yaml'), body(lines));
      writeFileSync(join(dir, 'case-opened.yaml'), body(GOOD).replace('id: pip.plan', 'id: pip.plan-short'));
      const set = await TemplateSet.load(dir);
      expect(set.diagnostics.map((d) => d.code)).toEqual(['APPRAISE_NOTIFY_TEMPLATE_UNKNOWN_VARIABLE']);
      expect(set.byId.get('pip.plan')!.file).toContain(SHIPPED_NOTIFICATION_TEMPLATES_DIR);
      expect(set.forNotice('pip.plan', 'pip.plan-short')!.file).toBe(join(dir, 'case-opened.yaml'));
      expect(() => set.forNotice('case.opened', 'pip.plan-short')).toThrow(/renders pip\.plan, not case\.opened/);
      expect(() => set.forNotice('pip.plan', 'pip.plan-shrot')).toThrow(/Did you mean `pip\.plan-short`\?/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
