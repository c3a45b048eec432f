import {
  AuditorService,
  coreServices,
  createServiceFactory,
  LoggerService,
  RootLoggerService,
} from '@backstage/backend-plugin-api';

/** Everything the backend wrote to its logs and its audit trail, as text, for secret checks. */
export class OutputRecorder {
  readonly logLines: string[] = [];
  readonly auditRecords: string[] = [];

  logger(meta: object = {}): RootLoggerService {
    const write =
      (level: string) => (message: string, extra?: Error | object) => {
        const details =
          extra instanceof Error
            ? { error: extra.message, stack: extra.stack }
            : extra;
        this.logLines.push(
          JSON.stringify({ level, message, ...meta, ...details }),
        );
      };
    return {
      error: write('error'),
      warn: write('warn'),
      info: write('info'),
      debug: write('debug'),
      child: (childMeta: object) => this.logger({ ...meta, ...childMeta }),
    } as LoggerService as RootLoggerService;
  }

  auditor(): AuditorService {
    return {
      createEvent: async options => {
        const { request, ...rest } = options;
        const base = {
          ...rest,
          request: request && {
            method: request.method,
            url: request.originalUrl,
          },
        };
        return {
          success: async result => {
            this.auditRecords.push(
              JSON.stringify({ ...base, status: 'succeeded', ...result }),
            );
          },
          fail: async ({ error, meta }) => {
            this.auditRecords.push(
              JSON.stringify({
                ...base,
                status: 'failed',
                error: error.message,
                meta,
              }),
            );
          },
        };
      },
    };
  }

  get factories() {
    return [
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => this.logger(),
      }),
      createServiceFactory({
        service: coreServices.auditor,
        deps: {},
        factory: () => this.auditor(),
      }),
    ];
  }
}
