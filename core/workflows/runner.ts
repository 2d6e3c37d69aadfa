// Resolves a workflow id to its handler: plugin code through the plugin host, except the
// built-in `log.write`, which the core implements because it writes to the audit log.
import type { Store } from '../store/store.ts';
import type { PluginHost } from '../plugins/host.ts';
import type { WorkflowRunner } from './dispatcher.ts';

export function createWorkflowRunner(store: Store, host: PluginHost): WorkflowRunner {
  return async (workflow, delivery) => {
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
}
