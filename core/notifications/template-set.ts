// The templates in force: the shipped ones, overridden by id by those of
// `notifications.templatesDir`. A folder's broken template leaves its diagnostics here and the
// shipped one in force, so a typo never stops essential notices.
import { resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { didYouMean } from '../util/did-you-mean.ts';
import { loadNotificationTemplates, SHIPPED_NOTIFICATION_TEMPLATES_DIR, type NotificationTemplate } from './templates.ts';

export interface TemplateEntry {
  template: NotificationTemplate;
  file: string;
}

export class TemplateSet {
  private constructor(
    readonly byId: ReadonlyMap<string, TemplateEntry>,
    readonly diagnostics: Diagnostic[],
  ) {}

  static async load(dir: string = SHIPPED_NOTIFICATION_TEMPLATES_DIR): Promise<TemplateSet> {
    const dirs = resolve(dir) + '/' === SHIPPED_NOTIFICATION_TEMPLATES_DIR ? [SHIPPED_NOTIFICATION_TEMPLATES_DIR] : [SHIPPED_NOTIFICATION_TEMPLATES_DIR, dir];
    const byId = new Map<string, TemplateEntry>();
    const diagnostics: Diagnostic[] = [];
    for (const d of dirs) {
      const fromHere = new Map<string, string>();
      for (const loaded of await loadNotificationTemplates(d)) {
        diagnostics.push(...loaded.diagnostics);
        const t = loaded.template;
        if (!t) continue;
        const twin = fromHere.get(t.id);
        if (twin) {
          diagnostics.push({ code: 'APPRAISE_NOTIFY_TEMPLATE_DUPLICATE', severity: 'error', message: `The template id \`${t.id}\` is also used by ${twin}; give each template its own id (the later file is ignored).`, file: loaded.file, line: 1, column: 1 });
          continue;
        }
        fromHere.set(t.id, loaded.file);
        byId.set(t.id, { template: t, file: loaded.file });
      }
    }
    return new TemplateSet(byId, diagnostics);
  }

  /** The template of a notice: the one named (which must tell of that notice), else the notice's own. */
  forNotice(notice: string, templateId?: string): TemplateEntry | undefined {
    if (!templateId) return this.byId.get(notice);
    const t = this.byId.get(templateId);
    if (!t) {
      throw new AppraiseError('APPRAISE_NOTIFY_UNKNOWN_TEMPLATE', `There is no notification template \`${templateId}\`.${didYouMean(templateId, [...this.byId.keys()])} The templates are ${[...this.byId.keys()].join(', ')}.`, { field: 'template', value: templateId });
    }
    if (t.template.event !== notice) {
      throw new AppraiseError('APPRAISE_NOTIFY_UNKNOWN_TEMPLATE', `The template \`${templateId}\` renders ${t.template.event}, not ${notice}: choose a template of the same event.`, { field: 'template', value: templateId });
    }
    return t;
  }
}
