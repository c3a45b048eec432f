import { createCipheriv, randomBytes } from 'crypto';

/**
 * A value as the embedded store sealed it before values were bound to their row: AES-256-GCM
 * without AAD, `iv.tag.ciphertext` in base64 with no version prefix.
 */
export function sealWithoutContext(encryptionKey: string, plaintext: string) {
  const iv = randomBytes(12);
  const cipher = createCipheriv(
    'aes-256-gcm',
    Buffer.from(encryptionKey, 'base64'),
    iv,
  );
  const data = Buffer.concat([
    cipher.update(plaintext, 'utf8'),
    cipher.final(),
  ]);
  return [iv, cipher.getAuthTag(), data]
    .map(b => b.toString('base64'))
    .join('.');
}
