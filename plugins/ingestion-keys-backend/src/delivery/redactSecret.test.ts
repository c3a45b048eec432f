import { redactSecret } from './redactSecret';

describe('redactSecret', () => {
  const secret = 'gc_ingest_s3cr3t?value>';

  it('removes the value as it is, in base64 and in base64url', () => {
    const base64 = Buffer.from(secret).toString('base64');
    const base64url = Buffer.from(secret).toString('base64url');
    expect(base64).not.toBe(base64url);
    const message = `bad ${secret}; data.API_KEY=${base64}; ${base64url}`;
    expect(redactSecret(message, secret)).toBe(
      'bad [redacted]; data.API_KEY=[redacted]; [redacted]',
    );
  });

  it('leaves a message without the value as it is', () => {
    expect(redactSecret('namespace missing', secret)).toBe('namespace missing');
    expect(redactSecret('namespace missing', '')).toBe('namespace missing');
  });
});
