import { createCipheriv, createDecipheriv, randomBytes } from 'crypto';

const ALGORITHM = 'aes-256-gcm';

/** Encrypts key values at rest with AES-256-GCM; each value gets its own random IV. */
export class SecretCipher {
  /**
   * Accepts a 32-byte key as 64 hex characters or as base64. The error never repeats the
   * configured value.
   */
  static fromString(encoded: string): SecretCipher {
    const key = /^[0-9a-f]{64}$/i.test(encoded)
      ? Buffer.from(encoded, 'hex')
      : Buffer.from(encoded, 'base64');
    if (key.length !== 32) {
      throw new Error(
        'ingestionKeys.embedded.encryptionKey must be 32 bytes, as 64 hex characters or base64 ' +
          '(for example the output of `openssl rand -base64 32`)',
      );
    }
    return new SecretCipher(key);
  }

  private constructor(private readonly key: Buffer) {}

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, this.key, iv);
    const data = Buffer.concat([
      cipher.update(plaintext, 'utf8'),
      cipher.final(),
    ]);
    return [iv, cipher.getAuthTag(), data]
      .map(b => b.toString('base64'))
      .join('.');
  }

  decrypt(sealed: string): string {
    const [iv, tag, data] = sealed
      .split('.')
      .map(p => Buffer.from(p, 'base64'));
    const decipher = createDecipheriv(ALGORITHM, this.key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString(
      'utf8',
    );
  }
}
