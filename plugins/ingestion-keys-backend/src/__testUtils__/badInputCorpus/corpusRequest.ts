import request from 'supertest';
import { AUTH_AS } from 'test-backend';

const BASE = '/api/ingestion-keys';

/** The callers every request is sent as: alice's team owns the entities the corpus acts on. */
const CALLERS = {
  owner: AUTH_AS.alice,
  nonOwner: AUTH_AS.bob,
  admin: AUTH_AS.carol,
  service: AUTH_AS.service,
};

export type Caller = keyof typeof CALLERS;

export const CALLER_NAMES = Object.keys(CALLERS) as Caller[];

export type Method = 'get' | 'post' | 'delete';

/** The routes of one key, as a method and what follows `/v1/keys/{id}`. */
export const KEY_ROUTES: Array<[Method, string]> = [
  ['get', ''],
  ['post', '/reveal'],
  ['post', '/rotate'],
  ['delete', ''],
  ['get', '/events'],
];

export interface CorpusRequest {
  method: Method;
  /** Under {@link BASE}. */
  path: string;
  /** An Authorization header that replaces the caller's. */
  auth?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is. */
  rawBody?: { type: string; text: string };
}

export const get = (path: string): CorpusRequest => ({ method: 'get', path });

export const post = (path: string, body?: unknown): CorpusRequest => ({
  method: 'post',
  path,
  body,
});

export const listPath = (params: Record<string, string>) =>
  `/v1/keys?${new URLSearchParams(params)}`;

export function sendCorpusRequest(
  api: ReturnType<typeof request>,
  req: CorpusRequest,
  caller: Caller,
) {
  const test = api[req.method](`${BASE}${req.path}`).set(
    'Authorization',
    req.auth ?? CALLERS[caller],
  );
  if (req.rawBody) {
    return test.set('Content-Type', req.rawBody.type).send(req.rawBody.text);
  }
  if (req.body !== undefined) {
    return test
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(req.body));
  }
  return test;
}

export function labelOf(req: CorpusRequest, caller: Caller): string {
  const sent = JSON.stringify(req.body ?? req.rawBody ?? '').slice(0, 80);
  return `${caller} ${req.method.toUpperCase()} ${req.path.slice(
    0,
    120,
  )} ${sent}`;
}

/**
 * What no answer may contain, whatever was sent: a stack trace, or the value of a key.
 * Returns the problems found, empty when there are none.
 */
export function answerLeaks(text: string, secrets: string[]): string[] {
  return [
    ...(/\n\s+at /.test(text) || text.includes('"stack"')
      ? ['a stack trace']
      : []),
    ...(secrets.some(secret => text.includes(secret)) ? ['a key value'] : []),
  ];
}
