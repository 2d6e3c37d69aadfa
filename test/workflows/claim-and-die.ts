// Child process for the "dispatcher killed between claim and acknowledgement" test: claims a
// delivery, sends it to the receiver, says so, then hangs until it is killed — never acknowledging.
import { openStore } from '../../core/store/store.ts';
import { dispatchOnce } from '../../core/workflows/dispatcher.ts';
import { postDelivery } from '../../plugins/webhook/index.ts';

const [url, schema, target, port] = process.argv.slice(2);
const store = await openStore({ databaseUrl: url, schema });
await dispatchOnce(store, {
  workerId: 'doomed',
  leaseMs: 2000,
  run: async (_workflow, delivery) => {
    await postDelivery({ url: target, secret: 'a-test-secret-of-16+', allowHosts: [`127.0.0.1:${port}`], timeoutMs: 5000 }, delivery);
    process.stdout.write('sent\n');
    await new Promise(() => {});
  },
});
