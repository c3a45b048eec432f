/**
 * A short, stable, isomorphic hash (FNV-1a, 32 bit, base 36). Names need to be the same on the
 * server and in the browser's live preview, so this cannot use Node's crypto; it only has to
 * tell names apart, not resist an attacker.
 *
 * @public
 */
export function stableHash(input: string, length = 6): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < input.length; i++) {
    hash ^= input.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36).padStart(length, '0').slice(-length);
}
