// The worker as `npx appraise worker` and `serve` run it: settings from appraise.config.yaml,
// the dispatcher started by the application. The webhook's configured timeout is the one in
// force, and deliveries to a hanging receiver do not hold up another's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Appraise } from '../../core/app/appraise.ts';
import { configFromText } from '../../core/config/config.ts';
import { verify } from '../../plugins/webhook/index.ts';
import { Receiver } from './receiver.ts';
import { history, outbox, queue, waitFor } from './helpers.ts';

describe('the application worker', () => {
  let hanging: Receiver;
  let healthy: Receiver;
  beforeAll(async () => {
    hanging = await new Receiver().start();
    healthy = await new Receiver().start();
  });
  afterAll(async () => {
    await hanging.stop();
    await healthy.stop();
  });

  it('delivers signed webhooks within the configured timeout, a hanging receiver recorded as unknown without delaying the other', async () => {
    const { config, diagnostics } = configFromText('appraise.config.yaml', [
      'webhooks:',
      `  allowHosts: ["127.0.0.1:${hanging.port}", "127.0.0.1:${healthy.port}"]`,
      '  secret: an-app-secret-0123456789',
      '  timeoutMs: 1500',
      'workflows:',
      '  maxAttempts: 2',
    ].join('\n'));
    expect(diagnostics).toEqual([]);
    const app = await Appraise.open({ config: config!, dataDir: 'memory://', databaseUrl: '' });
    const stop = app.startWorker({ schedule: false, intervalMs: 100 });
    try {
      hanging.hang = true;
      await queue(app.store, 1, hanging.url);
      await queue(app.store, 3, healthy.url);
      await waitFor('the healthy receiver to get three', () => healthy.unique().length === 3);
      for (const r of healthy.received) expect(verify('an-app-secret-0123456789', { signature: r.headers['x-appraise-signature'] as string, timestamp: r.headers['x-appraise-timestamp'] as string }, r.body)).toBeUndefined();
      await waitFor('the hanging delivery to time out once', async () => (await outbox(app.store))[0].last_outcome === 'unknown');
      const [row] = await outbox(app.store);
      expect(row.last_error).toMatch(/within the webhook timeout of 1500 ms; it may have been delivered/);
      expect((await history(app.store, row.id))[0]).toMatchObject({ attempt: 1, outcome: 'unknown' });
    } finally {
      hanging.release();
      await stop();
      await app.close();
    }
  });
});
