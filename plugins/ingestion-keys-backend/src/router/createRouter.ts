import express, { Request } from 'express';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import Router from 'express-promise-router';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import {
  ingestionKeyCreatePermission,
  ingestionKeyReadPermission,
  ingestionKeyRevealPermission,
  ingestionKeyRevokePermission,
  ingestionKeyRotatePermission,
  entityRefOf,
  KeyListResponse,
  ownerRefOf,
} from '@ingestion-keys/plugin-ingestion-keys-common';
import { DeliveryService } from '../delivery/DeliveryService';
import { PullRateLimiter } from '../delivery/PullRateLimiter';
import { RotationPolicy } from '../rotation/RotationPolicy';
import { IngestionKeysService } from '../service/IngestionKeysService';
import { toIngestionKey } from '../service/toIngestionKey';
import { ProvisioningService } from '../provisioning/ProvisioningService';
import { EntityAccessControl } from './EntityAccessControl';
import { actorOf } from './actorOf';
import {
  createKeyBody,
  entityEventsQuery,
  optionalEntityQuery,
  keyIdParams,
  listKeysQuery,
  noQuery,
  parseInput,
  addTargetBody,
  pullParams,
  targetIdParams,
} from './requestSchemas';
import { keyAuditMeta, runAudited } from '../audit/runAudited';
import { KeyNameTakenError } from '../database/KeyNameTakenError';
import { KeyStoreBusyError } from '@ingestion-keys/plugin-ingestion-keys-node';

export interface RouterOptions {
  service: IngestionKeysService;
  deliveries: DeliveryService;
  /** Bounds each External Secrets store's pulls. */
  pullLimiter: PullRateLimiter;
  /** External Secrets stores by name, to the service subject that may pull for each. */
  externalSecretsStores: ReadonlyMap<string, string>;
  policy: RotationPolicy;
  provisioning: ProvisioningService;
  access: EntityAccessControl;
  httpAuth: HttpAuthService;
  auditor: AuditorService;
}

/** Events that let a key's value leave the portal. */
const HIGH_SEVERITY = new Set([
  'key-reveal',
  'target-add',
  'target-deliver',
  'key-pull',
]);

/**
 * The HTTP API. Each route parses its input, authenticates, authorizes against the entity the
 * key belongs to, calls the service and answers; mutations and reveals are audited.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    service,
    deliveries,
    policy,
    provisioning,
    access,
    httpAuth,
    auditor,
  } = options;
  const router = Router();
  router.use(express.json({ limit: '16kb' }));
  // body-parser's own errors echo the raw body back; answer in our words instead.
  router.use(
    (
      error: any,
      _req: Request,
      _res: express.Response,
      next: express.NextFunction,
    ) => {
      if (error?.type === 'entity.parse.failed') {
        next(new InputError('The request body must be valid JSON'));
      } else if (error?.type === 'entity.too.large') {
        next(
          new InputError('The request body is too large; the limit is 16 kB'),
        );
      } else {
        next(error);
      }
    },
  );

  const presented = (list: KeyListResponse): KeyListResponse => ({
    ...list,
    items: list.items.map(key => policy.present(key)),
  });

  const credentialsOf = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  /** A key name held by another entity's key: only admins are told which key holds it. */
  const namingHoldersToAdmins = async <T>(
    credentials: BackstageCredentials,
    action: () => Promise<T>,
  ): Promise<T> => {
    try {
      return await action();
    } catch (error) {
      if (
        error instanceof KeyNameTakenError &&
        (await access.isAdmin(credentials))
      ) {
        throw new ConflictError(error.detail);
      }
      throw error;
    }
  };

  /** Runs a change inside an auditor event; the event's metadata never includes a secret. */
  const audited = <T>(
    req: Request,
    eventId: string,
    meta: Record<string, string>,
    action: () => Promise<T>,
  ): Promise<T> =>
    runAudited(
      auditor,
      {
        eventId,
        severityLevel: HIGH_SEVERITY.has(eventId) ? 'high' : 'medium',
        request: req,
        meta,
      },
      action,
    );

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/v1/settings', async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    await credentialsOf(req);
    res.json(service.settings);
  });

  router.get('/v1/keys', async (req, res) => {
    const query = parseInput(listKeysQuery, req.query, 'query');
    const credentials = await credentialsOf(req);
    if (query.entityRef) {
      await access.authorizeEntity(
        credentials,
        ingestionKeyReadPermission,
        query.entityRef,
      );
    } else {
      await access.authorizeAdmin(
        credentials,
        "Listing keys across the organisation (pass entityRef for one entity's keys)",
      );
    }
    res.json(presented(await service.listKeys(query)));
  });

  // The keys of the entities the caller's teams own: the page a developer lands on.
  router.get('/v1/my/keys', async (req, res) => {
    const query = parseInput(listKeysQuery, req.query, 'query');
    const credentials = await credentialsOf(req);
    const entities = await access.ownedEntities(
      credentials,
      ingestionKeyReadPermission,
      "Listing the keys of your teams' entities",
    );
    res.json(
      presented(
        await service.listKeys({
          ...query,
          entityRefs: entities.map(entityRefOf),
        }),
      ),
    );
  });

  router.post('/v1/keys', async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    const body = parseInput(createKeyBody, req.body, 'body');
    const credentials = await credentialsOf(req);
    const entity = await access.authorizeEntity(
      credentials,
      ingestionKeyCreatePermission,
      body.entityRef,
    );
    const created = await audited(
      req,
      'key-create',
      {
        entityRef: body.entityRef,
        environment: body.environment,
        type: body.type,
      },
      () =>
        namingHoldersToAdmins(credentials, () =>
          service.createKey(body, {
            actor: actorOf(credentials),
            ownerRef: ownerRefOf(entity),
          }),
        ),
    );
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(created);
  });

  /** Loads a key and checks the caller's permission on its entity: the one read of the record. */
  async function authorizedKey(
    req: Request,
    permission: ResourcePermission<'catalog-entity'>,
  ) {
    parseInput(noQuery, req.query, 'query');
    const { id } = parseInput(keyIdParams, req.params, 'path');
    const credentials = await credentialsOf(req);
    const record = await service.getKey(id);
    await access.authorizeKeyEntity(credentials, permission, record);
    return {
      record,
      credentials,
      actor: actorOf(credentials),
      meta: keyAuditMeta(record),
    };
  }

  router.get('/v1/keys/:id', async (req, res) => {
    const { record } = await authorizedKey(req, ingestionKeyReadPermission);
    res.json(policy.present(toIngestionKey(record)));
  });

  router.post('/v1/keys/:id/reveal', async (req, res) => {
    const { record, actor, meta } = await authorizedKey(
      req,
      ingestionKeyRevealPermission,
    );
    const secret = await audited(req, 'key-reveal', meta, () =>
      service.revealKey(record, { actor }),
    );
    res.setHeader('Cache-Control', 'no-store');
    res.json(secret);
  });

  router.post('/v1/keys/:id/rotate', async (req, res) => {
    const { record, actor, meta, credentials } = await authorizedKey(
      req,
      ingestionKeyRotatePermission,
    );
    const successor = await audited(req, 'key-rotate', meta, () =>
      namingHoldersToAdmins(credentials, () =>
        service.rotateKey(record, { actor }),
      ),
    );
    // The successor goes to the identity's targets now; a failure there is recorded with the
    // target and retried, and does not undo the rotation.
    await deliveries.deliverIdentity(record, { actor });
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(successor);
  });

  router.delete('/v1/keys/:id', async (req, res) => {
    const { record, actor, meta } = await authorizedKey(
      req,
      ingestionKeyRevokePermission,
    );
    const revoked = await audited(req, 'key-revoke', meta, () =>
      service.revokeKey(record, { actor }),
    );
    res.json(revoked);
  });

  router.get('/v1/keys/:id/events', async (req, res) => {
    const { record } = await authorizedKey(req, ingestionKeyReadPermission);
    res.json(await service.listEvents({ keyId: record.id }));
  });

  router.get('/v1/events', async (req, res) => {
    const { entityRef } = parseInput(entityEventsQuery, req.query, 'query');
    const credentials = await credentialsOf(req);
    await access.authorizeEntity(
      credentials,
      ingestionKeyReadPermission,
      entityRef,
    );
    res.json(await service.listEvents({ entityRef }));
  });

  router.get('/v1/provisioning/status', async (req, res) => {
    const { entityRef } = parseInput(optionalEntityQuery, req.query, 'query');
    const credentials = await credentialsOf(req);
    if (!entityRef) {
      await access.authorizeAdmin(
        credentials,
        "The organisation's provisioning status (pass entityRef for one entity's)",
      );
      res.json(await provisioning.overview());
      return;
    }
    const entity = await access.authorizeEntity(
      credentials,
      ingestionKeyReadPermission,
      entityRef,
    );
    res.json(
      await provisioning.entityStatus(entity, {
        detailed: await access.isAdmin(credentials),
      }),
    );
  });

  router.get('/v1/my/provisioning/problems', async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    const credentials = await credentialsOf(req);
    const entities = await access.ownedEntities(
      credentials,
      ingestionKeyReadPermission,
      "The provisioning problems of your teams' entities",
    );
    res.json(await provisioning.problemsOf(entities));
  });

  /** An admin route that asks the scheduler to run one of the plugin's tasks now. */
  const triggerRoute = (
    path: string,
    what: string,
    eventId: string,
    trigger: () => Promise<void>,
  ) =>
    router.post(path, async (req, res) => {
      parseInput(noQuery, req.query, 'query');
      const credentials = await credentialsOf(req);
      await access.authorizeAdmin(credentials, what);
      await audited(req, eventId, {}, trigger);
      res.status(202).json({ status: 'triggered' });
    });

  triggerRoute(
    '/v1/provisioning/run',
    'Starting a provisioning run',
    'provisioning-run',
    () => provisioning.triggerRun(),
  );

  router.get('/v1/delivery/kinds', async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    await credentialsOf(req);
    res.json({ items: deliveries.kinds() });
  });

  router.get('/v1/targets', async (req, res) => {
    const { entityRef } = parseInput(entityEventsQuery, req.query, 'query');
    const credentials = await credentialsOf(req);
    await access.authorizeEntity(
      credentials,
      ingestionKeyReadPermission,
      entityRef,
    );
    res.json({ items: await deliveries.listForEntity(entityRef) });
  });

  router.get('/v1/targets/failed', async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    const credentials = await credentialsOf(req);
    await access.authorizeAdmin(
      credentials,
      'Listing failed deliveries across the organisation',
    );
    res.json({ items: await deliveries.listFailed() });
  });

  // Sending a key's value somewhere is as sensitive as revealing it: the same permission.
  router.post('/v1/keys/:id/targets', async (req, res) => {
    const body = parseInput(addTargetBody, req.body, 'body');
    const { record, actor, meta } = await authorizedKey(
      req,
      ingestionKeyRevealPermission,
    );
    const added = await audited(
      req,
      'target-add',
      { ...meta, target: body.target },
      () => deliveries.addTarget(record, body.target, { actor }),
    );
    res.status(201).json(added);
  });

  /** Loads a target and checks the caller's permission on its entity. */
  async function authorizedTarget(req: Request) {
    parseInput(noQuery, req.query, 'query');
    const { targetId } = parseInput(targetIdParams, req.params, 'path');
    const credentials = await credentialsOf(req);
    const target = await deliveries.getTarget(targetId);
    await access.authorizeKeyEntity(
      credentials,
      ingestionKeyRevealPermission,
      { id: target.id, entityRef: target.entityRef },
      'delivery target',
    );
    return {
      target,
      actor: actorOf(credentials),
      meta: {
        targetId: target.id,
        target: target.target,
        entityRef: target.entityRef,
      },
    };
  }

  router.post('/v1/targets/:targetId/deliver', async (req, res) => {
    const { target, actor, meta } = await authorizedTarget(req);
    res.json(
      await audited(req, 'target-deliver', meta, () =>
        deliveries.redeliver(target, { actor }),
      ),
    );
  });

  router.delete('/v1/targets/:targetId', async (req, res) => {
    const { target, meta } = await authorizedTarget(req);
    await audited(req, 'target-remove', meta, () =>
      deliveries.removeTarget(target),
    );
    res.status(204).end();
  });

  triggerRoute(
    '/v1/delivery/run',
    'Starting a delivery pass',
    'delivery-run',
    () => deliveries.triggerRun(),
  );

  // External Secrets Operator's webhook provider: one store's scoped token fetches the current
  // value of a key delivered to that store; `result.jsonPath: $.value`.
  router.get('/v1/external-secrets/:store/:keyName', async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    const { store, keyName } = parseInput(pullParams, req.params, 'path');
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    const { subject } = credentials.principal;
    if (options.externalSecretsStores.get(store) !== subject) {
      throw new NotAllowedError(
        `Only the token of External Secrets store ${store} may pull its keys (ingestionKeys.delivery.externalSecrets.stores)`,
      );
    }
    const retryAfter = options.pullLimiter.take(store);
    if (retryAfter !== undefined) {
      res.setHeader('Retry-After', String(retryAfter));
      res.status(429).json({
        error: {
          name: 'TooManyRequestsError',
          message: `External Secrets store ${store} pulls too often (ingestionKeys.delivery.externalSecrets.pullsPerMinute); raise its refreshInterval`,
        },
        response: { statusCode: 429 },
      });
      return;
    }
    const pulled = await audited(
      req,
      'key-pull',
      { store, keyName, actor: subject },
      () => deliveries.pull(store, keyName, subject),
    );
    res.setHeader('Cache-Control', 'no-store');
    res.json({ name: pulled.name, value: pulled.value });
  });

  // Backstage's error handler answers 503; the key store also said when to ask again.
  router.use(
    (
      error: unknown,
      _req: Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      if (error instanceof KeyStoreBusyError) {
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
      }
      next(error);
    },
  );

  return router;
}
