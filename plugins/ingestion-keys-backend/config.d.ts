import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  ingestionKeys?: {
    /**
     * The key store in use: `embedded` (default, keys kept encrypted in the plugin database) or
     * the id of a store added by a module, such as `groundcover`.
     */
    provider?: string;

    /**
     * Environments a key can be created for, in the order the UI offers them.
     * Defaults to production and staging.
     */
    environments?: string[];

    naming?: {
      /**
       * Pattern of generated key names. Tokens: {namespace}, {kind}, {name}, {environment},
       * {type}, {integration}. Default `{name}-{environment}-{type}-{integration}`.
       */
      pattern?: string;
    };

    /** Where data senders send to; shown in the usage snippets. */
    snippets?: {
      /** OTLP/HTTP endpoint of the groundcover backend. */
      otlpEndpoint?: string;
      /** DSN that the RUM browser SDK sends to. */
      rumDsn?: string;
      /** AWS Firehose HTTP endpoint, when used. */
      firehoseEndpoint?: string;
    };

    /**
     * Marks keys as this portal's in the key store (the `managed-by` tag), so that the plugin
     * recognises its own keys; give each portal sharing one groundcover backend its own value.
     * Required with any provider but `embedded` (where it defaults to `backstage`).
     */
    managedBy?: string;

    /**
     * What backend services (other plugins, static or JWKS tokens) may do beyond reading key
     * metadata, which every service may. Without an entry here a service is refused creating,
     * revealing, rotating and revoking keys and the org-wide routes (`admin`: the org key
     * list, the org provisioning status and starting a provisioning run), whatever the
     * permission policy says. Token access restrictions still apply on top.
     */
    serviceAccess?: Array<{
      /**
       * The service's subject: `plugin:<plugin id>` for another plugin; for a token, a static
       * token's `subject` as configured, or `external:<sub>` for a JWKS token.
       */
      subject: string;
      /** Operations allowed: `create`, `reveal`, `rotate`, `revoke`, `admin`. */
      allow: Array<'create' | 'reveal' | 'rotate' | 'revoke' | 'admin'>;
    }>;

    /**
     * Live (active or pending) keys an entity may have; creating one more is refused, by a
     * person or by provisioning. Rotations are not counted against it. Default 50.
     */
    maxLiveKeysPerEntity?: number;

    /** Catalog-driven provisioning from `ingestion-keys/provision` annotations. */
    provisioning?: {
      /** Default true. */
      enabled?: boolean;
      /**
       * When the reconciler runs (on one instance at a time). Default every 5 minutes,
       * first run 15 seconds after start, timeout 15 minutes.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * Calls to the key store a run makes at once; it works on twice as many keys, so that
       * their database writes overlap the calls. Default 16.
       */
      concurrency?: number;
      /**
       * Entries of an entity's `ingestion-keys/provision` annotation that are read; those after
       * are reported as one invalid entry. Default 20.
       */
      maxEntriesPerEntity?: number;
      /**
       * How long a key may stay pending before the reconciler heals it (its creator is
       * presumed dead). Default 5 minutes, at least 2 (a shorter one is refused at startup: a
       * key store call may still be under way). A duration such as `{ minutes: 5 }` or `PT5M`.
       */
      pendingTimeout?: string | { [unit: string]: number };
      /**
       * Opt-in: revoke provisioned keys this long after no annotation asks for them any more.
       * Unset (the default), undesired keys are only reported.
       */
      revokeUndesiredAfter?: string | { [unit: string]: number };
    };

    /** Notifications to the owners of an entity about its keys (`@backstage/plugin-notifications-backend`). */
    notifications?: {
      /** Default true. False sends none. */
      enabled?: boolean;
      /**
       * How often the owners of a rotated key that is still `rotating` are reminded to revoke
       * it: a reminder goes out when the key has been rotating this long, and again at this
       * interval until it is revoked. Default one day. A duration such as `{ days: 1 }` or `P1D`.
       */
      rotationReminder?: string | { [unit: string]: number };
    };

    /** Delivery of key values to the targets of their identities (Kubernetes Secrets, External Secrets). */
    delivery?: {
      /**
       * When due deliveries are made and delivered rotations finished (on one instance at a
       * time). Default every minute, first run 20 seconds after start, timeout 10 minutes.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Deliveries in flight at once. Default 8. */
      concurrency?: number;
      /** How long one delivery may take before it counts as failed. Default 30 seconds. */
      timeout?: string | { [unit: string]: number };
      /** External Secrets Operator stores that pull keys through the webhook provider. */
      externalSecrets?: {
        /**
         * Each store is the `<store>` of `external-secrets:<store>` targets and of the pull URL
         * `/api/ingestion-keys/v1/external-secrets/<store>/<key name>`; only a token whose
         * subject is `subject` (a static token's subject as configured in
         * `backend.auth.externalAccess`, or `external:<sub>` for a JWKS token) may pull for it.
         */
        stores?: Array<{ name: string; subject: string }>;
        /** Pulls a store may make per minute, on each backend instance. Default 60. */
        pullsPerMinute?: number;
      };
    };

    /** The age policy and how rotations of delivered keys finish. */
    rotation?: {
      /**
       * How old a key may get before it is "rotation due": the first rule whose environment and
       * type match a key applies; a rule without them matches every key.
       */
      maxAge?: Array<{
        environment?: string;
        type?: 'sensor' | 'rum' | 'thirdParty';
        /** A duration such as `{ days: 90 }` or `P90D`. */
        after: string | { [unit: string]: number };
      }>;
      /** Rotate keys that have delivery targets once they pass their maximum age. Default false. */
      automatic?: boolean;
      /**
       * Revoke a rotated key this long after its successor reached every delivery target of its
       * identity (pull targets: fetched it). Unset (the default), rotated keys are revoked by a
       * person.
       */
      revokeAfterDelivery?: string | { [unit: string]: number };
    };

    embedded?: {
      /**
       * 32-byte key, base64 or 64 hex characters, that encrypts the embedded store's keys at
       * rest with AES-256-GCM.
       * @visibility secret
       */
      encryptionKey?: string;
      /**
       * Keys that `encryptionKey` replaced: values encrypted with them stay readable, new values
       * are encrypted with `encryptionKey`. Each 32 bytes, base64 or 64 hex characters.
       * @visibility secret
       */
      previousEncryptionKeys?: string[];
    };
  };
}
