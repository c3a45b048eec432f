import request from 'supertest';
import {
  CreateKeyRequest,
  IngestionKey,
  IngestionKeyWithSecret,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { CorpusRequest, sendCorpusRequest } from './corpusRequest';
import {
  integrationOf,
  LIMIT,
  LONGEST_ENTITY_REF,
  LONGEST_ENVIRONMENT,
} from './limitValues';

export const CHECKOUT = 'component:default/checkout-api';

/** Keys in every state the corpus acts on, made by alice through the API. */
export interface CorpusFixture {
  /** checkout-api, staging, sensor. */
  active: IngestionKey;
  /** checkout-api, staging, rum; revoked. */
  revoked: IngestionKey;
  /** checkout-api, staging, thirdParty fluent-bit; rotated, so its successor holds its identity. */
  rotating: IngestionKey;
  successor: IngestionKey;
  /** For each caller that may rotate: a key of the longest identity the API accepts. */
  longest: Record<'owner' | 'admin' | 'service', IngestionKey>;
  /** The value of every key above, which no refusal may contain. */
  secrets: string[];
}

export async function createCorpusFixture(
  api: ReturnType<typeof request>,
): Promise<CorpusFixture> {
  const secrets: string[] = [];
  const send = async (req: CorpusRequest, expected: number) => {
    const res = await sendCorpusRequest(api, req, 'owner');
    if (res.status !== expected) {
      throw new Error(
        `Fixture: ${req.method} ${req.path} answered ${res.status}, not ${expected}: ${res.text}`,
      );
    }
    return res.body;
  };
  const create = async (body: CreateKeyRequest) => {
    const created: IngestionKeyWithSecret = await send(
      { method: 'post', path: '/v1/keys', body },
      201,
    );
    secrets.push(created.secret);
    return created.key;
  };
  const staging = { entityRef: CHECKOUT, environment: 'staging' };
  const longestFor = (caller: keyof CorpusFixture['longest']) =>
    create({
      entityRef: LONGEST_ENTITY_REF,
      environment: LONGEST_ENVIRONMENT,
      type: 'thirdParty',
      integration: integrationOf(caller, LIMIT, 'rotated-'),
    });

  const active = await create({ ...staging, type: 'sensor' });
  const revoked = await create({ ...staging, type: 'rum' });
  await send({ method: 'delete', path: `/v1/keys/${revoked.id}` }, 200);
  const rotating = await create({
    ...staging,
    type: 'thirdParty',
    integration: 'fluent-bit',
  });
  const rotation: IngestionKeyWithSecret = await send(
    { method: 'post', path: `/v1/keys/${rotating.id}/rotate` },
    201,
  );
  secrets.push(rotation.secret);
  return {
    active,
    revoked: { ...revoked, status: 'revoked' },
    rotating: { ...rotating, status: 'rotating' },
    successor: rotation.key,
    longest: {
      owner: await longestFor('owner'),
      admin: await longestFor('admin'),
      service: await longestFor('service'),
    },
    secrets,
  };
}
