import { Caller, CALLER_NAMES, CorpusRequest } from './corpusRequest';
import { TableChanges } from './storeSnapshot';

/** Stands in a {@link TableChanges} for wherever the key store keeps its keys. */
export const KEY_STORE = 'key store';

export interface Accepted {
  status: 200 | 201 | 202;
  /** Default: nothing changes. */
  writes?: TableChanges;
  /** The ids and total of a key list. */
  listed?: { ids: string[]; totalCount: number };
  /** The name of the key made. */
  name?: RegExp;
}

export interface Refused {
  status: 400 | 403 | 404 | 409;
  /** What the error message says, naming what to fix. */
  message: string;
}

export type Outcome = Accepted | Refused;

/** The same for every caller, or chosen per caller (so that their creates never clash). */
export type PerCaller<T> = T | ((caller: Caller) => T);

/** An input that passes the request validator, or fails it by one, and what each caller gets. */
export interface BorderlineRequest {
  what: string;
  request: PerCaller<CorpusRequest>;
  outcome: PerCaller<Outcome>;
}

export interface BorderlinePair<O extends Outcome = Outcome> {
  what: string;
  caller: Caller;
  request: CorpusRequest;
  outcome: O;
}

const forCaller = <T extends object>(value: PerCaller<T>, caller: Caller) =>
  typeof value === 'function' ? value(caller) : value;

/**
 * Each request as sent by each caller, split by the outcome that caller gets: the refused ones
 * may change nothing, each accepted one exactly what it says.
 */
export function borderlinePairs(requests: BorderlineRequest[]) {
  const refused: BorderlinePair<Refused>[] = [];
  const accepted: BorderlinePair<Accepted>[] = [];
  for (const { what, request, outcome } of requests) {
    for (const caller of CALLER_NAMES) {
      const pair = { what, caller, request: forCaller(request, caller) };
      const answer = forCaller(outcome, caller);
      if (answer.status >= 400) {
        refused.push({ ...pair, outcome: answer as Refused });
      } else {
        accepted.push({ ...pair, outcome: answer as Accepted });
      }
    }
  }
  return { refused, accepted };
}

export const rows = (added: number, removed = 0) => ({ added, removed });
export const CREATED = {
  ingestion_keys: rows(1),
  ingestion_key_events: rows(1),
  [KEY_STORE]: rows(1),
};
/** The successor and its event, and the old key's new state and its event. */
export const ROTATED = {
  ingestion_keys: rows(2, 1),
  ingestion_key_events: rows(2),
  [KEY_STORE]: rows(1),
};

/** Pins an outcome's type: the same for every caller. */
export const everyone = (outcome: Outcome): Outcome => outcome;
/** The entity's owners, admins and services get `outcome`; the non-owner is refused. */
export const ownersGet =
  (outcome: PerCaller<Outcome>, action: string, entityRef: string) =>
  (caller: Caller): Outcome =>
    caller === 'nonOwner'
      ? {
          status: 403,
          message: `You are not allowed to ${action} ingestion keys of ${entityRef}; ask one of its owners`,
        }
      : forCaller(outcome, caller);
export const adminsGet =
  (outcome: Outcome, what: string) =>
  (caller: Caller): Outcome =>
    caller === 'admin' || caller === 'service'
      ? outcome
      : { status: 403, message: `${what} is for ingestion-keys admins` };
export const badRequest = (where: string, message: string): Outcome => ({
  status: 400,
  message: `Invalid request ${where}: ${message}`,
});
export const AN_ENTITY_REF =
  'must be an entity ref such as component:default/my-service';
