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
     * Default `backstage`.
     */
    managedBy?: string;

    embedded?: {
      /**
       * 32-byte key, base64 or 64 hex characters, that encrypts the embedded store's keys at
       * rest with AES-256-GCM.
       * @visibility secret
       */
      encryptionKey?: string;
    };
  };
}
