import { ConfigReader } from '@backstage/config';
import { readIngestionKeysConfig } from './readIngestionKeysConfig';

const provisioningOf = (provisioning: object) =>
  readIngestionKeysConfig(new ConfigReader({ ingestionKeys: { provisioning } }))
    .provisioning;

describe('readIngestionKeysConfig', () => {
  it('resolves every default of an empty config', () => {
    expect(readIngestionKeysConfig(new ConfigReader({}))).toEqual({
      settings: {
        environments: ['production', 'staging'],
        types: ['sensor', 'rum', 'thirdParty'],
        provider: 'embedded',
        namingPattern: '{name}-{environment}-{type}-{integration}',
        snippets: {
          otlpEndpoint: 'https://otlp.example.groundcover.com',
          rumDsn: 'https://rum.example.groundcover.com',
        },
      },
      managedBy: 'backstage',
      embeddedEncryptionKey: '',
      embeddedPreviousEncryptionKeys: [],
      provisioning: {
        schedule: {
          frequency: { minutes: 5 },
          timeout: { minutes: 15 },
          initialDelay: { seconds: 15 },
        },
        concurrency: 16,
        pageSize: 500,
        maxEntriesPerEntity: 20,
        pendingTimeoutMs: 300_000,
      },
      maxLiveKeysPerEntity: 50,
      serviceAccess: new Map(),
      notifications: { rotationReminder: { days: 1 } },
      delivery: {
        schedule: {
          frequency: { minutes: 1 },
          timeout: { minutes: 10 },
          initialDelay: { seconds: 20 },
        },
        concurrency: 8,
        timeoutMs: 30_000,
        externalSecretsStores: new Map(),
        pullsPerMinute: 60,
      },
      rotation: { maxAge: [], automatic: false },
    });
  });

  it('reads delivery and the rotation policy', () => {
    const config = readIngestionKeysConfig(
      new ConfigReader({
        ingestionKeys: {
          delivery: {
            timeout: 'PT5S',
            externalSecrets: {
              stores: [{ name: 'prod-eu', subject: 'external:eso' }],
              pullsPerMinute: 10,
            },
          },
          rotation: {
            maxAge: [
              { environment: 'production', type: 'sensor', after: 'P30D' },
              { after: { days: 90 } },
            ],
            automatic: true,
            revokeAfterDelivery: { hours: 1 },
          },
        },
      }),
    );
    expect(config.delivery).toMatchObject({
      timeoutMs: 5000,
      externalSecretsStores: new Map([['prod-eu', 'external:eso']]),
      pullsPerMinute: 10,
    });
    expect(config.rotation).toEqual({
      maxAge: [
        {
          environment: 'production',
          type: 'sensor',
          maxAgeMs: 30 * 86_400_000,
        },
        { maxAgeMs: 90 * 86_400_000 },
      ],
      automatic: true,
      revokeAfterDeliveryMs: 3_600_000,
    });
  });

  it.each([
    [
      { rotation: { maxAge: [{ environment: 'qa', after: 'P1D' }] } },
      'ingestionKeys.rotation.maxAge[0].environment: "qa" is not configured',
    ],
    [
      { rotation: { maxAge: [{ type: 'apm', after: 'P1D' }] } },
      'ingestionKeys.rotation.maxAge[0].type: "apm" is not a key type',
    ],
    [
      { rotation: { maxAge: [{ after: 'PT0S' }] } },
      'ingestionKeys.rotation.maxAge[0].after must be a positive duration',
    ],
    [
      { rotation: { automatic: true } },
      'ingestionKeys.rotation.automatic rotates keys past their age, but ingestionKeys.rotation.maxAge sets none',
    ],
    [
      {
        delivery: {
          externalSecrets: { stores: [{ name: 'Prod EU', subject: 'x' }] },
        },
      },
      'ingestionKeys.delivery.externalSecrets.stores[0].name: "Prod EU" must be lowercase letters',
    ],
    [
      {
        delivery: {
          externalSecrets: {
            stores: [
              { name: 'eu', subject: 'x' },
              { name: 'eu', subject: 'y' },
            ],
          },
        },
      },
      'ingestionKeys.delivery.externalSecrets.stores[1].name: eu is listed twice',
    ],
    [
      { delivery: { concurrency: 0 } },
      'ingestionKeys.delivery.concurrency must be a whole number of at least 1',
    ],
  ])(
    'refuses delivery and rotation config that cannot work: %j',
    (ingestionKeys, message) => {
      expect(() =>
        readIngestionKeysConfig(new ConfigReader({ ingestionKeys })),
      ).toThrow(message);
    },
  );

  it('reads what each service subject is allowed', () => {
    const { serviceAccess } = readIngestionKeysConfig(
      new ConfigReader({
        ingestionKeys: {
          serviceAccess: [
            { subject: 'plugin:scaffolder', allow: ['create', 'reveal'] },
            { subject: 'external:ci', allow: [] },
          ],
        },
      }),
    );
    expect(serviceAccess).toEqual(
      new Map([
        ['plugin:scaffolder', new Set(['create', 'reveal'])],
        ['external:ci', new Set()],
      ]),
    );
  });

  it('reads the provisioning options given, durations in either form', () => {
    expect(
      provisioningOf({
        schedule: { frequency: { cron: '*/2 * * * *' }, timeout: 'PT3M' },
        concurrency: 4,
        maxEntriesPerEntity: 5,
        pendingTimeout: 'PT10M',
        revokeUndesiredAfter: { hours: 1 },
      }),
    ).toEqual({
      schedule: {
        frequency: { cron: '*/2 * * * *' },
        timeout: { minutes: 3 },
      },
      concurrency: 4,
      pageSize: 500,
      maxEntriesPerEntity: 5,
      pendingTimeoutMs: 600_000,
      revokeUndesiredAfterMs: 3_600_000,
    });
  });

  it.each([0, 2.5, -1])('refuses a limit of %s, naming the setting', value => {
    expect(() => provisioningOf({ maxEntriesPerEntity: value })).toThrow(
      `ingestionKeys.provisioning.maxEntriesPerEntity must be a whole number of at least 1; it is ${value}`,
    );
    expect(() =>
      readIngestionKeysConfig(
        new ConfigReader({ ingestionKeys: { maxLiveKeysPerEntity: value } }),
      ),
    ).toThrow(
      `ingestionKeys.maxLiveKeysPerEntity must be a whole number of at least 1; it is ${value}`,
    );
  });

  it.each(['PT0S', 'PT1M59S'])(
    'refuses a pendingTimeout of %s, naming the setting and its floor',
    pendingTimeout => {
      expect(() => provisioningOf({ pendingTimeout })).toThrow(
        /^ingestionKeys\.provisioning\.pendingTimeout must be at least 2 minutes \(PT2M\)/,
      );
    },
  );

  it('accepts a pendingTimeout at its floor', () => {
    expect(provisioningOf({ pendingTimeout: 'PT2M' })?.pendingTimeoutMs).toBe(
      120_000,
    );
  });

  it('turns provisioning off only when told to', () => {
    expect(provisioningOf({ enabled: false })).toBeUndefined();
    expect(provisioningOf({ enabled: true })).toBeDefined();
  });

  it('reads the notification options, and turns them off only when told to', () => {
    const notificationsOf = (notifications: object) =>
      readIngestionKeysConfig(
        new ConfigReader({ ingestionKeys: { notifications } }),
      ).notifications;
    expect(notificationsOf({ rotationReminder: 'PT12H' })).toEqual({
      rotationReminder: { hours: 12 },
    });
    expect(notificationsOf({ rotationReminder: { days: 2 } })).toEqual({
      rotationReminder: { days: 2 },
    });
    expect(notificationsOf({ enabled: false })).toBeUndefined();
    expect(() => notificationsOf({ rotationReminder: { days: 0 } })).toThrow(
      'ingestionKeys.notifications.rotationReminder must be a positive duration, such as { days: 1 } or P1D',
    );
  });
});
