// Resolves a workflow id to its handler: plugin code through the plugin host, except the
// built-in `log.write`, which the core implements because it writes to the audit log. It also
// tells the dispatcher where a delivery goes (the host of its URL: deliveries to one host share
// that host's slots) and how long one attempt may take (the workflow's own timeout).
import type { Store } from '../store/store.ts';
import type { PluginHost } from '../plugins/host.ts';
import type { WorkflowRunner } from './dispatcher.ts';

/** `log.write` is one insert into the store. */
const LOG_WRITE_TIMEOUT_MS = 30_000;

export function createWorkflowRunner(store: Store, host: PluginHost): WorkflowRunner {
  const run: WorkflowRunner = async (workflow, delivery) => {
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
    const plugin = host.registry.workflows.get(workflow)?.plugin;
    const url = config.url ?? (plugin ? host.settingsOf(plugin).url : undefined);
    if (typeof url !== 'string') return workflow;
    try {
      return new URL(url).host.toLowerCase();
    } catch {
      return workflow;
    }
  };
  run.timeoutMsOf = (workflow) => (workflow === 'log.write' ? LOG_WRITE_TIMEOUT_MS : host.workflowTimeoutMs(workflow));
  return run;
}
