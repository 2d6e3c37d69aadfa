// Child process for the "worker killed" tests, killed with SIGKILL by the test:
//   dispatch <pg url> <schema> <receiver url> <port>: a real dispatcher with the webhook plugin,
//     sending to a receiver that hangs, until it is killed mid-attempt;
//   claim <pg url> <schema> <pickupMs>: claims every due row and dies before attempting any
//     (the moment between claiming and starting, made long).
// It says "ready" once it has claimed what it will claim.
import { openStore } from '../../core/store/store.ts';
import { discoverPlugins } from '../../core/plugins/discovery.ts';
import { PluginHost } from '../../core/plugins/host.ts';
import { startDispatcher } from '../../core/workflows/dispatcher.ts';
import { claimDue } from '../../core/workflows/claims.ts';
import { createWorkflowRunner } from '../../core/workflows/runner.ts';

const [mode, url, schema, ...rest] = process.argv.slice(2);
const store = await openStore({ databaseUrl: url, schema });
if (mode === 'dispatch') {
  const [target, port] = rest;
  const host = new PluginHost(await discoverPlugins(), { settings: { webhook: { url: target, secret: 'a-test-secret-of-16+', allowHosts: [`127.0.0.1:${port}`], timeoutMs: 10_000 } } });
  startDispatcher(store, { workerId: 'doomed', run: createWorkflowRunner(store, host), intervalMs: 100 });
  process.stdout.write('ready\n');
} else {
  const rows = await claimDue(store, { workerId: 'doomed', now: new Date(), limit: 100, pickupMs: Number(rest[0]), maxAttempts: 8, receiverOf: (w) => w, room: () => 100 });
  process.stdout.write(`ready ${rows.length}\n`);
}
await new Promise(() => {});
