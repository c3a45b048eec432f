import { AuditorService } from '@backstage/backend-plugin-api';

/**
 * An auditor double that keeps each finished event as JSON, for unit tests that assert on audit
 * events without a backend. Test backends use Backstage's own auditor (see CapturedOutput).
 */
export class OutputRecorder {
  readonly auditRecords: string[] = [];

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
}
