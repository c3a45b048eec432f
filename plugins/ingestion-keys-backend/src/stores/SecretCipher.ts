import { createCipheriv, createDecipheriv, randomBytes } from 'crypto';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
/** Pinned: GCM would otherwise accept a truncated tag, which is easier to forge. */
const TAG_BYTES = 16;
/** Values bound to their record. Values without the prefix were sealed before that and have no AAD. */
const VERSION = 'v2';
const HEX_KEY = /^[0-9a-f]{64}$/i;
const BASE64_KEY = /^[A-Za-z0-9+/]{43}=$/;

/**
 * A 32-byte key as 64 hex characters or as canonical base64. Anything else is refused, rather
 * than decoded leniently into some other key. The error never repeats the configured value.
 */
function parseKey(encoded: string, setting: string): Buffer {
  if (HEX_KEY.test(encoded)) {
    return Buffer.from(encoded, 'hex');
  }
  const key = Buffer.from(encoded, 'base64');
  if (BASE64_KEY.test(encoded) && key.toString('base64') === encoded) {
    return key;
  }
  throw new Error(
    `${setting} must be 32 bytes, as 64 hex characters or base64 ` +
      '(for example the output of `openssl rand -base64 32`)',
  );
}

const toBuffers = (parts: string[]) => parts.map(p => Buffer.from(p, 'base64'));

/**
 * Encrypts key values at rest with AES-256-GCM; each value gets its own random IV and is bound to
 * the record it belongs to (its `context`, as additional authenticated data), so a value copied
 * into another record does not decrypt. Values are sealed with the current key; the previous keys
 * only decrypt, so that the key can be changed without losing the values sealed with the old one.
 */
export class SecretCipher {
  static fromString(
    encoded: string,
    previousEncoded: string[] = [],
  ): SecretCipher {
    return new SecretCipher([
      parseKey(encoded, 'ingestionKeys.embedded.encryptionKey'),
      ...previousEncoded.map((previous, i) =>
        parseKey(
          previous,
          `ingestionKeys.embedded.previousEncryptionKeys[${i}]`,
        ),
      ),
    ]);
  }

  /** The current key first. */
  private constructor(private readonly keys: Buffer[]) {}

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.keys[0], iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([
      cipher.update(plaintext, 'utf8'),
      cipher.final(),
    ]);
    return [
      VERSION,
      ...[iv, cipher.getAuthTag(), data].map(b => b.toString('base64')),
    ].join('.');
  }

  /** Throws, without saying why, for a value that no key opens in this context. */
  decrypt(sealed: string, context: string): string {
    const parts = sealed.split('.');
    const bound = parts[0] === VERSION;
    const [iv, tag, data] = toBuffers(bound ? parts.slice(1) : parts);
    if (
      parts.length !== (bound ? 4 : 3) ||
      iv.length !== IV_BYTES ||
      tag.length !== TAG_BYTES
    ) {
      throw new Error('The sealed value is not in the expected format');
    }
    for (const key of this.keys) {
      const decipher = createDecipheriv(ALGORITHM, key, iv, {
        authTagLength: TAG_BYTES,
      });
      if (bound) {
        decipher.setAAD(Buffer.from(context, 'utf8'));
      }
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([
          decipher.update(data),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        // Sealed with another of the keys, or not for this context: try the next key.
      }
    }
    throw new Error(
      'The sealed value does not decrypt with any configured encryption key for its record',
    );
  }
}
