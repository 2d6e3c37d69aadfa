// The `notifications` section of appraise.config.yaml: validated with located errors; a password
// written into the file is refused without being quoted back; a referenced password that is not
// set makes the delivery dead at once, naming the variable, never a value.
import { describe, expect, it } from 'vitest';
import { configFromText } from '../../core/config/config.ts';
import { formatDiagnostic } from '../../core/diagnostics/diagnostic.ts';
import { SmtpReceiver } from './smtp-receiver.ts';
import { addCase, dispatch, notificationsYaml, openApp, queueCaseNotice, seedPeople } from './helpers.ts';
import { outbox } from '../workflows/helpers.ts';

describe('the notifications config', () => {
  it('a password written into the file is refused at its place, and not quoted back', () => {
    const { config, diagnostics } = configFromText('appraise.config.yaml', 'notifications:\n  smtp:\n    host: smtp.example.com\n    password: hunter2-is-my-password\n');
    expect(config).toBeUndefined();
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      expect.stringMatching(/^appraise\.config\.yaml:4:15 error APPRAISE_SCHEMA_WRONG_TYPE `notifications\.smtp\.password` must say where the password is, `\{ env: SMTP_PASSWORD \}`/),
    ]);
    expect(JSON.stringify(diagnostics)).not.toContain('hunter2-is-my-password');
  });

  it('unknown settings and bad values are located', () => {
    const { diagnostics } = configFromText('appraise.config.yaml', 'notifications:\n  digest: { hour: 25 }\n  hr: [not-an-address]\n  smpt: {}\n');
    expect(diagnostics.map((d) => [d.line, d.column, d.code])).toEqual(expect.arrayContaining([
      [2, 19, 'APPRAISE_SCHEMA_INVALID_VALUE'], [3, 8, 'APPRAISE_SCHEMA_INVALID_VALUE'], [4, 3, 'APPRAISE_SCHEMA_UNKNOWN_KEY'],
    ]));
  });

  it('a referenced password that is not set: the delivery is dead at once, naming the variable', async () => {
    const receiver = await new SmtpReceiver().start();
    const app = await openApp(notificationsYaml(receiver).replace('    timeoutMs: 5000', '    timeoutMs: 5000\n    user: appraise\n    password: { env: APPRAISE_TEST_UNSET_PASSWORD }'));
    try {
      await seedPeople(app.store);
      const c = await addCase(app.store, { type: 'pip', status: 'proposed', employeeId: 'e1', approval: 'required' });
      await queueCaseNotice(app.store, c, 'case.opened');
      expect(await dispatch(app)).toMatchObject({ dead: 1 });
      expect((await outbox(app.store))[0].last_error).toMatch(/^APPRAISE_SECRET_MISSING: notifications\.smtp\.password refers to the environment variable APPRAISE_TEST_UNSET_PASSWORD, which is not set/);
      expect(receiver.dataReceived).toBe(0);
    } finally {
      await app.close();
      await receiver.stop();
    }
  });
});
