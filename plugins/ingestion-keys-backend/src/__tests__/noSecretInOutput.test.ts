import request from 'supertest';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { InMemoryKeyStoreFault } from '@ingestion-keys/plugin-ingestion-keys-node/testUtils';
import { databasesAndKeyStores, TEST_ENTITIES, TEST_USERS } from 'test-backend';
import { startTestIngestionKeysBackend } from '../__testUtils__/startTestIngestionKeysBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const BASE = '/api/ingestion-keys/v1';

const as = {
  alice: mockCredentials.user.header(TEST_USERS.alice),
  bob: mockCredentials.user.header(TEST_USERS.bob),
  carol: mockCredentials.user.header(TEST_USERS.carol),
};

/** Declares two keys: the reconciler makes them, and their values are never answered to anyone. */
const provisionedEntity = {
  ...TEST_ENTITIES[0],
  metadata: {
    name: 'provisioned-api',
    namespace: 'default',
    annotations: {
      'ingestion-keys/provision': 'production:sensor, staging:rum',
    },
  },
};

interface Context {
  api: ReturnType<typeof request>;
  /** Ids of the keys steps created, by the name the step saved them as. */
  ids: Record<string, string>;
  /** The last key value a step was answered. */
  secret?: string;
}

interface Step {
  does: string;
  call: (context: Context) => request.Test;
  status: number;
  /** Saves the created key's id under this name. */
  saveAs?: string;
  /** Injected into the in-memory store first; steps with a fault run with that store only. */
  fault?: InMemoryKeyStoreFault;
  /** Follows a step with a fault, so runs with the in-memory store only, like it. */
  afterFault?: boolean;
}

const createKey = (integration: string) => (context: Context) =>
  context.api.post(`${BASE}/keys`).set('Authorization', as.alice).send({
    entityRef: 'component:default/checkout-api',
    environment: 'production',
    type: 'thirdParty',
    integration,
  });
const onKey =
  (
    method: 'post' | 'delete',
    name: string,
    action: '' | '/reveal' | '/rotate',
    auth = as.alice,
  ) =>
  (context: Context) =>
    context.api[method](`${BASE}/keys/${context.ids[name]}${action}`).set(
      'Authorization',
      auth,
    );

const runProvisioning = (context: Context) =>
  context.api.post(`${BASE}/provisioning/run`).set('Authorization', as.carol);

/** Every kind of answer, success and failure, with and without the key store failing under it. */
const steps: Step[] = [
  {
    does: 'create a key',
    call: createKey('secret-check'),
    status: 201,
    saveAs: 'first',
  },
  { does: 'reveal it', call: onKey('post', 'first', '/reveal'), status: 200 },
  {
    does: "reveal it as someone who may not see the entity's keys",
    call: onKey('post', 'first', '/reveal', as.bob),
    status: 403,
  },
  {
    does: 'create it again',
    call: createKey('secret-check'),
    status: 409,
  },
  {
    does: 'send its value back in a field that does not exist',
    call: context =>
      context.api
        .post(`${BASE}/keys`)
        .set('Authorization', as.alice)
        .send({ secret: context.secret }),
    status: 400,
  },
  {
    does: 'rotate it while the store turns the create away (429)',
    call: onKey('post', 'first', '/rotate'),
    status: 503,
    fault: { operation: 'create', status: 429 },
  },
  {
    does: 'rotate it',
    call: onKey('post', 'first', '/rotate'),
    status: 201,
    saveAs: 'successor',
  },
  {
    does: 'rotate the key it replaced',
    call: onKey('post', 'first', '/rotate'),
    status: 409,
  },
  {
    does: 'create a key whose answer the store loses after making it',
    call: createKey('lost-answer'),
    status: 503,
    fault: { operation: 'create', status: 500, afterCommit: true },
  },
  {
    does: 'create it again while its outcome is being settled',
    call: createKey('lost-answer'),
    status: 409,
    afterFault: true,
  },
  {
    does: 'create a key while the store rejects its credentials (401)',
    call: createKey('refused'),
    status: 502,
    fault: { operation: 'create', status: 401 },
  },
  {
    does: 'revoke a key while the store is unavailable (503)',
    call: onKey('delete', 'first', ''),
    status: 503,
    fault: { operation: 'delete', status: 503 },
  },
  {
    does: 'revoke the rotated key',
    call: onKey('delete', 'first', ''),
    status: 200,
  },
  {
    does: 'revoke its successor',
    call: onKey('delete', 'successor', ''),
    status: 200,
  },
  {
    does: 'reveal a revoked key',
    call: onKey('post', 'successor', '/reveal'),
    status: 409,
  },
  {
    does: 'run provisioning while the store loses the answer to a create',
    call: runProvisioning,
    status: 202,
    fault: { operation: 'create', status: 500, afterCommit: true },
  },
  {
    does: 'run provisioning',
    call: runProvisioning,
    status: 202,
  },
];

describe.each(databasesAndKeyStores(databases))(
  'output of a backend on %s with the %s key store',
  (databaseId, keyStore) => {
    it('never holds a secret, on any path', async () => {
      const knex = await databases.init(databaseId);
      const backend = await startTestIngestionKeysBackend({
        knex,
        keyStore,
        entities: [...TEST_ENTITIES, provisionedEntity],
      });
      try {
        const context: Context = { api: request(backend.server), ids: {} };
        const answered = new Set<string>();
        const taken = steps.filter(
          step => !(step.fault || step.afterFault) || backend.inMemory,
        );
        for (const step of taken) {
          if (step.fault) {
            backend.inMemory?.injectFault(step.fault);
          }
          const res = await step.call(context);
          expect({ step: step.does, status: res.status }).toEqual({
            step: step.does,
            status: step.status,
          });
          if (step.saveAs) {
            context.ids[step.saveAs] = res.body.key.id;
          }
          if (res.body.secret) {
            context.secret = res.body.secret;
            answered.add(res.body.secret);
          }
        }

        // The check searched something: every value the store issued, the provisioned ones
        // included, failed audit events, errors with their stacks, and every failed answer.
        const issued = backend.issuedSecrets();
        expect(issued).toEqual(expect.arrayContaining([...answered]));
        // Never answered: the two provisioned keys, and the one whose answer the store lost.
        expect(new Set(issued).size).toBe(
          answered.size + (backend.inMemory ? 3 : 2),
        );
        expect(backend.output.failedResponses).toHaveLength(
          taken.filter(step => step.status >= 400).length,
        );
        expect(
          backend.output.auditRecords.filter(r => r.includes('failed')),
        ).not.toEqual([]);
        expect(
          backend.output.logLines.filter(line => line.includes('    at ')),
        ).not.toEqual([]);
      } finally {
        await backend.stop();
      }
    });
  },
);
