import request from 'supertest';
import Router from 'express-promise-router';
import { startTestBackend } from '@backstage/backend-test-utils';
import {
  AuditorService,
  coreServices,
  createBackendPlugin,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Response } from 'express';
import { CapturedOutput } from './CapturedOutput';

const SECRET = 'ikbs_only-the-captured-output-test-knows-this';

type Leak = (
  services: { logger: LoggerService; auditor: AuditorService },
  res: Response,
) => Promise<unknown>;

/** A plugin whose only route does `leak` and answers 200 unless the leak answered already. */
function leakingPlugin(leak: Leak) {
  return createBackendPlugin({
    pluginId: 'leaky',
    register(env) {
      env.registerInit({
        deps: {
          logger: coreServices.logger,
          auditor: coreServices.auditor,
          httpRouter: coreServices.httpRouter,
        },
        async init({ logger, auditor, httpRouter }) {
          const router = Router();
          router.post('/leak', async (_req, res) => {
            await leak({ logger, auditor }, res);
            if (!res.headersSent) {
              res.json({ ok: true });
            }
          });
          httpRouter.use(router);
          httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
        },
      });
    },
  });
}

describe('CapturedOutput', () => {
  it.each<[string, Leak, string[]]>([
    [
      'a log message',
      async ({ logger }) => logger.info(`made ${SECRET}`),
      ['log line'],
    ],
    [
      'a logged error',
      async ({ logger }) => logger.warn('failed', new Error(SECRET)),
      ['log line'],
    ],
    [
      "a logged error's cause, which the line leaves out",
      async ({ logger }) =>
        logger.warn('failed', new Error('outer', { cause: new Error(SECRET) })),
      ['log line'],
    ],
    [
      "an audit event's metadata",
      async ({ auditor }) =>
        (
          await auditor.createEvent({ eventId: 'leak', meta: { SECRET } })
        ).success(),
      // Every event is written when it starts and again when it ends.
      ['audit record'],
    ],
    [
      "the cause of a failed audit event's error",
      async ({ auditor }) => {
        const event = await auditor.createEvent({ eventId: 'leak' });
        await event.fail({
          error: new Error('outer', { cause: new Error(SECRET) }),
        });
      },
      ['audit record'],
    ],
    [
      'an error a route throws: logged with its stack, and answered',
      async () => {
        throw new Error(SECRET);
      },
      ['log line', 'failed response'],
    ],
    [
      'the body of a failed response',
      async (_services, res) => res.status(409).json({ message: SECRET }),
      ['failed response'],
    ],
    [
      'nothing, when nothing holds it',
      async ({ logger, auditor }) => {
        logger.info('made a key');
        await (await auditor.createEvent({ eventId: 'leak' })).success();
      },
      [],
    ],
  ])('finds a secret in %s', async (_label, leak, places) => {
    const output = new CapturedOutput();
    const backend = await startTestBackend({
      features: [leakingPlugin(leak), ...output.factories],
    });
    try {
      output.watchResponses(backend.server);
      await request(backend.server).post('/api/leaky/leak');

      const found = output.placesOf(['not-a-secret-anywhere', SECRET]);
      expect([...new Set(found.map(place => place.split(':')[0]))]).toEqual(
        places.map(place => `secret #1 in ${place}`),
      );
      expect(found.join('\n')).not.toContain(SECRET);
      expect(output.logLines.length).toBeGreaterThan(0);
    } finally {
      await backend.stop();
    }
  });

  it('finds a secret in what other surfaces handed out, wherever it is nested', () => {
    const output = new CapturedOutput();
    output.keep('MCP tool result', {
      content: [{ type: 'text', text: 'nothing here' }],
    });
    output.keep('scaffolder task output', { output: { deep: [`x${SECRET}`] } });
    output.keep('notification', 'a plain text');

    const found = output.placesOf([SECRET]);
    expect(found).toEqual([
      'secret #0 in scaffolder task output: {"output":{"deep":["x<secret>"]}}',
    ]);
  });
});
