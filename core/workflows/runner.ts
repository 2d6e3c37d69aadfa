// Resolves a workflow id to its handler: plugin code through the plugin host, except the
// built-ins the core implements because they need the store: `log.write` (the audit log),
// `email.send` and the daily digest `email.digest` (templates, preferences, the record of
// notices sent; core/notifications), and `slack.post` / `teams.post` (the same templates'
// chat part, to the channels of the config). It also
// tells the dispatcher where a delivery goes (the host of its URL: deliveries to one host share
// that host's slots) and how long one attempt may take (the workflow's own timeout).
import type { Store } from '../store/store.ts';
import type { PluginHost } from '../plugins/host.ts';
import type { WorkflowRunner } from './dispatcher.ts';
import type { Notifier } from '../notifications/notifier.ts';
import { NoticeRefused } from '../notifications/notifier.ts';
import { DIGEST_WORKFLOW, sendDigest } from '../notifications/digest.ts';
import { postChatWorkflow } from '../notifications/chat/channels.ts';

/** `log.write` is one insert into the store. */
const LOG_WRITE_TIMEOUT_MS = 30_000;

/** `email.send` without the application's notifier (a bare runner) is refused, never sent half-configured. */
function notifierOf(notifier: Notifier | undefined): Notifier {
  if (!notifier) throw new NoticeRefused('APPRAISE_NOTIFY_NOT_CONFIGURED: email is sent by the Appraise worker or server, which load the notification templates and settings; this process has none.');
  return notifier;
}

export function createWorkflowRunner(store: Store, host: PluginHost, notifier?: Notifier): WorkflowRunner {
  const run: WorkflowRunner = async (workflow, delivery) => {
    if (workflow === 'email.send') return notifierOf(notifier).send(delivery);
    if (workflow === DIGEST_WORKFLOW) return sendDigest(notifierOf(notifier), delivery);
    if (workflow === 'slack.post' || workflow === 'teams.post') {
      // The same template as the email (its chat part), for the channel's readers: HR's view.
      const n = notifierOf(notifier);
      const message = await n.messageFor(delivery);
      if (!message) return; // an event that has no notice: nothing to post
      const type = workflow === 'slack.post' ? 'slack' : 'teams';
      return postChatWorkflow(n.config, type, delivery.config, host.settingsOf(type), message);
    }
    if (workflow === 'log.write') {
      await store.query(
        `INSERT INTO audit_log (actor, action, target, after, data) VALUES ('workflow:log.write', $1, $2, $3::jsonb, $4::jsonb)
         ON CONFLICT DO NOTHING`,
        [`workflow.${delivery.event}`, `case:${String(delivery.case.id)}`, JSON.stringify({ status: delivery.case.status }), JSON.stringify({ idempotencyKey: delivery.idempotencyKey, employeeId: delivery.employee.id })],
      );
      return;
    }
    await host.runWorkflow(workflow, delivery);
  };
  run.receiverOf = (workflow, config) => {
    if (workflow === 'email.send' || workflow === DIGEST_WORKFLOW) return notifier?.settings.smtp ? `smtp:${notifier.settings.smtp.host}` : workflow;
    const plugin = host.registry.workflows.get(workflow)?.plugin;
    const url = config.url ?? (plugin ? host.settingsOf(plugin).url : undefined);
    if (typeof url !== 'string') return workflow;
    try {
      return new URL(url).host.toLowerCase();
    } catch {
      return workflow;
    }
  };
  run.timeoutMsOf = (workflow) => {
    if (workflow === 'log.write') return LOG_WRITE_TIMEOUT_MS;
    if (workflow === 'email.send' || workflow === DIGEST_WORKFLOW) return notifier?.timeoutMs ?? LOG_WRITE_TIMEOUT_MS;
    return host.workflowTimeoutMs(workflow);
  };
  return run;
}
