import { randomBytes } from 'crypto';
import { sealWithoutContext } from '../__testUtils__/sealWithoutContext';
import { SecretCipher } from './SecretCipher';

const newKey = () => randomBytes(32).toString('base64');

/** Replaces one dot-separated part of a sealed value. */
function withPart(sealed: string, index: number, part: Buffer) {
  const parts = sealed.split('.');
  parts[index] = part.toString('base64');
  return parts.join('.');
}

const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return String(e);
  }
  throw new Error('It did not throw');
};

describe('SecretCipher', () => {
  const encoded = newKey();
  const cipher = SecretCipher.fromString(encoded);

  it('round-trips values and never stores them in clear', () => {
    const sealed = cipher.encrypt('ikbs_value', 'row-a');
    expect(sealed).not.toContain('ikbs_value');
    expect(sealed.startsWith('v2.')).toBe(true);
    expect(cipher.decrypt(sealed, 'row-a')).toBe('ikbs_value');
  });

  it('uses a fresh IV for every value', () => {
    expect(cipher.encrypt('same', 'row-a')).not.toBe(
      cipher.encrypt('same', 'row-a'),
    );
  });

  it('detects tampering', () => {
    const sealed = cipher.encrypt('ikbs_value', 'row-a');
    const flipped = Buffer.from(sealed.split('.')[3], 'base64');
    flipped[0] ^= 1;
    expect(() =>
      cipher.decrypt(withPart(sealed, 3, flipped), 'row-a'),
    ).toThrow();
  });

  it('refuses a value sealed for another record', () => {
    const sealed = cipher.encrypt('ikbs_value', 'row-a');
    expect(() => cipher.decrypt(sealed, 'row-b')).toThrow(
      /does not decrypt with any configured encryption key/,
    );
  });

  it('refuses a truncated authentication tag', () => {
    const sealed = cipher.encrypt('ikbs_value', 'row-a');
    const tag = Buffer.from(sealed.split('.')[2], 'base64');
    expect(() =>
      cipher.decrypt(withPart(sealed, 2, tag.subarray(0, 4)), 'row-a'),
    ).toThrow(/not in the expected format/);
  });

  it('still reads values sealed before they were bound to their record', () => {
    expect(
      cipher.decrypt(sealWithoutContext(encoded, 'ikbs_old'), 'row-a'),
    ).toBe('ikbs_old');
  });

  it('refuses to decrypt with another key', () => {
    const other = SecretCipher.fromString('ab'.repeat(32));
    expect(() =>
      other.decrypt(cipher.encrypt('x', 'row-a'), 'row-a'),
    ).toThrow();
  });

  it('reads values sealed with a previous key and seals new ones with the current key', () => {
    const rotated = SecretCipher.fromString(newKey(), [newKey(), encoded]);
    expect(rotated.decrypt(cipher.encrypt('ikbs_v2', 'row-a'), 'row-a')).toBe(
      'ikbs_v2',
    );
    expect(
      rotated.decrypt(sealWithoutContext(encoded, 'ikbs_v1'), 'row-a'),
    ).toBe('ikbs_v1');
    expect(() =>
      cipher.decrypt(rotated.encrypt('ikbs_new', 'row-a'), 'row-a'),
    ).toThrow();
  });

  it.each([
    ['too short', 'c2hvcnQ='],
    [
      '43 characters of base64 without padding',
      Buffer.alloc(32, 9).toString('base64').slice(0, 43),
    ],
    [
      'a 43-character passphrase',
      'correct-horse-battery-staple-correct-horse1',
    ],
    ['base64 with a character outside the alphabet', `${'A'.repeat(42)}-=`],
    [
      'base64 whose last character carries bits beyond 32 bytes',
      `${'A'.repeat(42)}B=`,
    ],
    ['base64 of 33 bytes', Buffer.alloc(33, 1).toString('base64')],
    ['63 hex characters', 'a'.repeat(63)],
    ['hex with a non-hex character', `${'a'.repeat(63)}g`],
    ['base64 with whitespace', ` ${Buffer.alloc(32, 5).toString('base64')}`],
  ])('rejects a key that is %s, without echoing it', (_case, bad) => {
    const message = errorOf(() => SecretCipher.fromString(bad));
    expect(message).toMatch(
      /ingestionKeys\.embedded\.encryptionKey must be 32 bytes/,
    );
    expect(message).not.toContain(bad.trim());
  });

  it('names the previous key that is malformed, without echoing it', () => {
    const message = errorOf(() =>
      SecretCipher.fromString(newKey(), [newKey(), 'c2hvcnQ=']),
    );
    expect(message).toMatch(
      /ingestionKeys\.embedded\.previousEncryptionKeys\[1\] must be 32 bytes/,
    );
    expect(message).not.toContain('c2hvcnQ=');
  });

  it.each([
    ['base64', Buffer.alloc(32, 4).toString('base64')],
    ['hex', Buffer.alloc(32, 4).toString('hex')],
    ['upper-case hex', Buffer.alloc(32, 4).toString('hex').toUpperCase()],
  ])('accepts a 32-byte key as %s, the same key either way', (_case, key) => {
    const sealed = SecretCipher.fromString(
      Buffer.alloc(32, 4).toString('base64'),
    ).encrypt('x', 'row-a');
    expect(SecretCipher.fromString(key).decrypt(sealed, 'row-a')).toBe('x');
  });
});
