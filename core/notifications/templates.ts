// Notification templates: one YAML file per notice in `notifications.templatesDir` (the shipped
// ones in rules/notifications/), checked when loaded like a policy: YAML, then
// schemas/notification-template.schema.json, then each Mustache part against the variables its
// notice provides. Every problem is a diagnostic at its file:line:col, with a "did you mean".
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Mustache from 'mustache';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import type { ErrorCode } from '../diagnostics/codes.ts';
import { readTextFile } from '../policy/load.ts';
import { validateAgainstSchema } from '../policy/schema-check.ts';
import { locate, parseYamlSource, type PathSegment, type YamlSource } from '../policy/yaml-source.ts';
import { didYouMean } from '../util/did-you-mean.ts';
import { noticeDef, type Audience, type VariableDoc } from './events.ts';

export interface NotificationTemplate {
  apiVersion: 'appraise/v1';
  kind: 'NotificationTemplate';
  id: string;
  event: string;
  essential?: boolean;
  to?: Audience[];
  subject: string;
  text: string;
  html: string;
  chat: { title: string; text: string; facts?: Array<{ label: string; value: string }> };
}

export interface LoadedNotificationTemplate {
  file: string;
  template?: NotificationTemplate;
  diagnostics: Diagnostic[];
}

export const SHIPPED_NOTIFICATION_TEMPLATES_DIR = fileURLToPath(new URL('../../rules/notifications/', import.meta.url));
const TEMPLATE_FILE = /\.ya?ml$/;

type Token = [string, string, number, number, Token[]?, number?];

/** Every Mustache part of a template, by its path in the document. */
function parts(t: NotificationTemplate): Array<{ path: PathSegment[]; text: string; html: boolean }> {
  const out: Array<{ path: PathSegment[]; text: string; html: boolean }> = [
    { path: ['subject'], text: t.subject, html: false },
    { path: ['text'], text: t.text, html: false },
    { path: ['html'], text: t.html, html: true },
    { path: ['chat', 'title'], text: t.chat.title, html: false },
    { path: ['chat', 'text'], text: t.chat.text, html: false },
  ];
  (t.chat.facts ?? []).forEach((f, i) => out.push({ path: ['chat', 'facts', i, 'value'], text: f.value, html: false }));
  return out;
}

/**
 * The position of `raw` (the `nth` time it occurs in the part) in the file: found in the node's
 * own text, so a placeholder in a block scalar is located at its line and column.
 */
function locateInPart(source: YamlSource, path: PathSegment[], raw: string, nth: number): { line: number; column: number } {
  const node = source.doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  if (node?.range) {
    let at = node.range[0] - 1;
    for (let i = 0; i <= nth; i++) {
      at = source.text.indexOf(raw, at + 1);
      if (at < 0 || at >= node.range[1]) break;
    }
    if (at >= 0 && at < node.range[1]) {
      const p = source.lineCounter.linePos(at);
      return { line: p.line, column: p.col };
    }
  }
  return locate(source, path);
}

function checkPart(source: YamlSource, path: PathSegment[], text: string, html: boolean, variables: VariableDoc[], at: (code: ErrorCode, message: string, pos: { line: number; column: number }) => void): void {
  let tokens: Token[];
  try {
    tokens = Mustache.parse(text) as unknown as Token[];
  } catch (e) {
    at('APPRAISE_NOTIFY_TEMPLATE_SYNTAX', `${(e as Error).message.replace(/\.$/, '')} in \`${path.join('.')}\`. Close each {{#section}} with {{/section}}, and each {{ with }}.`, locate(source, path));
    return;
  }
  const names = variables.map((v) => v.name);
  const lists = new Set(variables.filter((v) => v.list).map((v) => v.name));
  const seen = new Map<string, number>();
  const where = (raw: string) => {
    const n = seen.get(raw) ?? 0;
    seen.set(raw, n + 1);
    return locateInPart(source, path, raw, n);
  };
  const walk = (list: Token[], inList: boolean) => {
    for (const tok of list) {
      const [type, value, start, end] = tok;
      if (type === 'text' || type === '!' || type === '=') continue;
      const raw = text.slice(start, end);
      if (type === '>') {
        at('APPRAISE_NOTIFY_TEMPLATE_SYNTAX', `Partials (\`${raw}\`) are not supported in notification templates: write the text in place.`, where(raw));
        continue;
      }
      if (html && type === '&') {
        at('APPRAISE_NOTIFY_TEMPLATE_UNESCAPED', `\`${raw}\` would put ${value} into the HTML unescaped; write {{${value}}} so that it is HTML-escaped.`, where(raw));
        continue;
      }
      const known = value === '.' ? inList : names.includes(value);
      if (!known) {
        const msg = value === '.'
          ? `\`${raw}\` (the current item) is only meaningful inside a list section such as {{#plan.goals}}…{{/plan.goals}}.`
          : `The ${source.value && (source.value as { event?: string }).event} notice has no variable \`${value}\`.${didYouMean(value, names)} Its variables are ${names.join(', ')}.`;
        at('APPRAISE_NOTIFY_TEMPLATE_UNKNOWN_VARIABLE', msg, where(raw));
      }
      if ((type === '#' || type === '^') && tok[4]) walk(tok[4], inList || lists.has(value));
    }
  };
  walk(tokens, false);
}

/** A template's text, checked. */
export function loadNotificationTemplateText(file: string, text: string): LoadedNotificationTemplate {
  const { source, diagnostics } = parseYamlSource(file, text);
  if (!source || hasErrors(diagnostics)) return { file, diagnostics };
  const shape = validateAgainstSchema(source, 'notification-template.schema.json');
  if (shape.length) return { file, diagnostics: [...diagnostics, ...shape] };
  const template = source.value as NotificationTemplate;
  const out: Diagnostic[] = [...diagnostics];
  const at = (code: ErrorCode, message: string, pos: { line: number; column: number }) => out.push({ code, severity: 'error', message, file, ...pos });
  const def = noticeDef(template.event)!;
  for (const p of parts(template)) checkPart(source, p.path, p.text, p.html, def.variables, at);
  return { file, template: hasErrors(out) ? undefined : template, diagnostics: out };
}

export async function loadNotificationTemplateFile(file: string): Promise<LoadedNotificationTemplate> {
  const { text, diagnostic } = await readTextFile(file);
  if (diagnostic) return { file, diagnostics: [diagnostic] };
  return loadNotificationTemplateText(file, text!);
}

/** The templates of a folder: every `*.yaml` in it, loaded and checked. */
export async function loadNotificationTemplates(dir: string): Promise<LoadedNotificationTemplate[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => TEMPLATE_FILE.test(n)).sort();
  } catch {
    return [{ file: dir, diagnostics: [{ code: 'APPRAISE_NOTIFY_TEMPLATES_MISSING', severity: 'error', message: `The notification templates folder ${dir} (notifications.templatesDir) does not exist or cannot be read. Create it, or remove the setting to use the shipped templates (rules/notifications).`, file: dir, line: 0, column: 0 }] }];
  }
  return Promise.all(names.map((n) => loadNotificationTemplateFile(join(dir, n))));
}
