import { request as httpsRequest } from 'node:https';
import { KubernetesSecretsApiServer } from './KubernetesSecretsApiServer';

const TOKEN = 'stand-in-token';

describe('KubernetesSecretsApiServer', () => {
  let server: KubernetesSecretsApiServer;

  beforeEach(async () => {
    server = await KubernetesSecretsApiServer.start({
      token: TOKEN,
      namespaces: ['apps'],
    });
  });

  afterEach(() => server.stop());

  function call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: any }> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        `${server.url}${path}`,
        {
          method,
          ca: server.caData,
          headers: {
            Authorization: `Bearer ${TOKEN}`,
            'Content-Type': 'application/json',
            ...headers,
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', chunk => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode!,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  const secrets = '/api/v1/namespaces/apps/secrets';
  const secret = (name: string, data: Record<string, string> = {}) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name },
    type: 'Opaque',
    data,
  });
  const status = (
    code: number,
    reason: string,
    message: string,
    details?: object,
  ) => ({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  });

  it('creates, reads, replaces, patches and deletes a Secret, changing resourceVersion on every write', async () => {
    const created = await call('POST', secrets, secret('a', { K: 'dg==' }));
    expect(created.status).toBe(201);
    const v1 = created.body.metadata.resourceVersion;

    const read = await call('GET', `${secrets}/a`);
    expect(read.body).toEqual(created.body);

    const replaced = await call('PUT', `${secrets}/a`, {
      ...read.body,
      data: { K: 'dzI=' },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.metadata.resourceVersion).not.toBe(v1);
    expect(replaced.body.metadata.uid).toBe(created.body.metadata.uid);

    const patched = await call(
      'PATCH',
      `${secrets}/a`,
      { metadata: { labels: { x: 'y' } }, stringData: { S: 'plain' } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(patched.status).toBe(200);
    expect(server.readSecretData('apps', 'a')).toEqual({ K: 'w2', S: 'plain' });
    expect(server.getSecret('apps', 'a')!.metadata.labels).toEqual({ x: 'y' });

    const listed = await call('GET', secrets);
    expect(listed.body.kind).toBe('SecretList');
    expect(listed.body.items).toHaveLength(1);

    const deleted = await call('DELETE', `${secrets}/a`);
    expect(deleted.body).toMatchObject({ kind: 'Status', status: 'Success' });
    expect(server.getSecret('apps', 'a')).toBeUndefined();
    expect(server.requests().map(r => `${r.method} ${r.path}`)).toEqual([
      `POST ${secrets}`,
      `GET ${secrets}/a`,
      `PUT ${secrets}/a`,
      `PATCH ${secrets}/a`,
      `GET ${secrets}`,
      `DELETE ${secrets}/a`,
    ]);
  });

  it('answers a replace with a stale resourceVersion 409 Conflict', async () => {
    const created = await call('POST', secrets, secret('a'));
    await call('PUT', `${secrets}/a`, created.body);

    const stale = await call('PUT', `${secrets}/a`, created.body);

    expect(stale).toEqual({
      status: 409,
      body: status(
        409,
        'Conflict',
        'Operation cannot be fulfilled on secrets "a": the object has been modified; please apply your changes to the latest version and try again',
        { name: 'a', kind: 'secrets' },
      ),
    });
  });

  it('answers a create of an existing name 409 AlreadyExists', async () => {
    await call('POST', secrets, secret('a'));

    expect(await call('POST', secrets, secret('a'))).toEqual({
      status: 409,
      body: status(409, 'AlreadyExists', 'secrets "a" already exists', {
        name: 'a',
        kind: 'secrets',
      }),
    });
  });

  it('answers 404 with NotFound Status objects for a missing Secret and a missing namespace', async () => {
    expect(await call('GET', `${secrets}/nope`)).toEqual({
      status: 404,
      body: status(404, 'NotFound', 'secrets "nope" not found', {
        name: 'nope',
        kind: 'secrets',
      }),
    });
    expect(
      await call('POST', '/api/v1/namespaces/gone/secrets', secret('a')),
    ).toEqual({
      status: 404,
      body: status(404, 'NotFound', 'namespaces "gone" not found', {
        name: 'gone',
        kind: 'namespaces',
      }),
    });
  });

  it('answers invalid names and data keys 422 Invalid, and data that is not base64 400', async () => {
    const badName = await call('POST', secrets, secret('Bad_Name'));
    expect(badName.status).toBe(422);
    expect(badName.body).toMatchObject({
      reason: 'Invalid',
      code: 422,
      details: {
        name: 'Bad_Name',
        kind: 'Secret',
        causes: [expect.objectContaining({ field: 'metadata.name' })],
      },
    });

    const badKey = await call('POST', secrets, secret('a', { 'a b': 'dg==' }));
    expect(badKey.status).toBe(422);
    expect(badKey.body.details.causes[0].field).toBe('data[a b]');

    const notBase64 = await call(
      'POST',
      secrets,
      secret('a', { K: 'not base64!' }),
    );
    expect(notBase64.status).toBe(400);
    expect(notBase64.body.reason).toBe('BadRequest');
  });

  it('answers 401 without the right token and 403 for denied requests', async () => {
    expect(
      await call('GET', `${secrets}/a`, undefined, {
        Authorization: 'Bearer wrong',
      }),
    ).toEqual({
      status: 401,
      body: status(401, 'Unauthorized', 'Unauthorized'),
    });

    server.setDenyRules([{ namespace: 'apps', verb: 'create' }]);
    const denied = await call('POST', secrets, secret('a'));
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({
      reason: 'Forbidden',
      message: expect.stringContaining(
        'cannot create resource "secrets" in API group "" in the namespace "apps"',
      ),
      details: { kind: 'secrets' },
    });
    expect((await call('GET', `${secrets}/a`)).status).toBe(404);
  });

  it('holds a request open until the server stops', async () => {
    server.hangNextRequests(1);
    const hanging = server.waitForHangingRequest();
    const answer = call('GET', `${secrets}/a`).then(
      () => 'answered',
      () => 'connection closed',
    );

    await hanging;
    await server.stop();

    expect(await answer).toBe('connection closed');
    await server.restart();
    expect((await call('GET', `${secrets}/a`)).status).toBe(404);
  });
});
