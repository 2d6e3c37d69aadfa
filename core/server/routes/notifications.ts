// Notification routes: a person's own choice about non-essential notices (opt out, daily
// digest) and what they were sent; for admin and HR, the templates with their variables, a
// preview rendered for a case or an employee, and a test send to an address they give.
import type { FastifyInstance } from 'fastify';
import type { Appraise } from '../../app/appraise.ts';
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import { redactValue } from '../../config/secrets.ts';
import { NOTICES, noticeDef, type Audience } from '../../notifications/events.ts';
import { getPreferences, noticesFor, setPreferences } from '../../notifications/preferences.ts';
import { previewNotice, testSend } from '../../notifications/preview.ts';
import { ref } from '../app.ts';

export async function registerNotificationRoutes(server: FastifyInstance, app: Appraise): Promise<void> {
  const employeeOf = (req: { principal: { employeeId?: string } }): string => {
    if (!req.principal.employeeId) {
      throw new AppraiseError('APPRAISE_NOTIFY_NOT_FOUND', 'This token acts as no employee, so it has no notification preferences. Sign in with your own employee token.');
    }
    return req.principal.employeeId;
  };
  const essential = () => NOTICES.filter((n) => app.notifier.templates.byId.get(n.id)?.template.essential ?? n.essential).map((n) => ({ event: n.id, title: n.title }));
  const mine = async (employeeId: string) => ({ ...(await getPreferences(app.store, employeeId)), essential: essential(), sent: await noticesFor(app.store, employeeId, 50) });

  server.get('/api/me/notifications', {
    config: { access: 'signedIn' },
    schema: { tags: ['notifications'], description: 'Your choice about non-essential notices (opt out, daily digest), which notices are essential, and the notices sent to you lately.', response: { 200: ref('notificationPreferences') } },
  }, async (req) => mine(employeeOf(req)));

  server.put<{ Body: { optOut: boolean; digest: boolean } }>('/api/me/notifications', {
    config: { access: 'signedIn' },
    schema: { tags: ['notifications'], description: 'Opt out of non-essential notices, or gather them in one email a day. Essential notices (a PIP plan, a dispute decided) always arrive.', body: ref('notificationPreferencesRequest'), response: { 200: ref('notificationPreferences') } },
  }, async (req) => {
    const id = employeeOf(req);
    await setPreferences(app.store, id, req.body, req.principal.name);
    return mine(id);
  });

  server.get('/api/notifications/templates', {
    config: { access: 'manageNotifications' },
    schema: { tags: ['notifications'], description: 'The notification templates in force, each with the variables it may use, and the problems found loading the template folder.', response: { 200: ref('notificationTemplateList') } },
  }, async () => ({
    templates: [...app.notifier.templates.byId.values()].map(({ template: t, file }) => {
      const def = noticeDef(t.event)!;
      return {
        id: t.id, event: t.event, title: def.title, essential: t.essential ?? def.essential, to: t.to ?? def.to, file,
        subject: t.subject, text: t.text, html: t.html, chat: t.chat, variables: def.variables,
      };
    }),
    diagnostics: app.notifier.templates.diagnostics,
    configured: Boolean(app.config.notifications.smtp && app.config.notifications.from),
  }));

  server.post<{ Body: { template: string; caseId?: number; employeeId?: string; audience?: Audience } }>('/api/notifications/preview', {
    config: { access: 'manageNotifications' },
    schema: { tags: ['notifications'], description: 'A template rendered for a case or an employee (sample values where the event needs more): subject, plain text, HTML and the chat form.', body: ref('notificationPreviewRequest'), response: { 200: ref('notificationPreview') } },
  }, async (req) => previewNotice(app.notifier, req.body));

  server.post<{ Body: { template: string; to: string; caseId?: number; employeeId?: string; audience?: Audience } }>('/api/notifications/test', {
    config: { access: 'manageNotifications' },
    schema: { tags: ['notifications'], description: 'Sends the preview to the address given, now, and says what the SMTP server answered. Recorded among the notices sent.', body: ref('notificationTestRequest'), response: { 200: ref('notificationTestResult') } },
  }, async (req) => redactValue(await testSend(app.notifier, req.body, req.principal.name)));
}
