import { randomBytes } from 'crypto';
import { SecretCipher } from './SecretCipher';

describe('SecretCipher', () => {
  const cipher = SecretCipher.fromString(randomBytes(32).toString('base64'));

  it('round-trips values and never stores them in clear', () => {
    const sealed = cipher.encrypt('ikbs_value');
    expect(sealed).not.toContain('ikbs_value');
    expect(cipher.decrypt(sealed)).toBe('ikbs_value');
  });

  it('uses a fresh IV for every value', () => {
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  it('detects tampering', () => {
    const [iv, tag, data] = cipher.encrypt('ikbs_value').split('.');
    const flipped = Buffer.from(data, 'base64');
    flipped[0] ^= 1;
    expect(() =>
      cipher.decrypt([iv, tag, flipped.toString('base64')].join('.')),
    ).toThrow();
  });

  it('refuses to decrypt with another key', () => {
    const other = SecretCipher.fromString('ab'.repeat(32));
    expect(() => other.decrypt(cipher.encrypt('x'))).toThrow();
  });

  it('rejects keys of the wrong size without echoing them', () => {
    let message = '';
    try {
      SecretCipher.fromString('c2hvcnQ=');
    } catch (e) {
      message = String(e);
    }
    expect(message).toMatch(/must be 32 bytes/);
    expect(message).not.toContain('c2hvcnQ=');
  });
});
