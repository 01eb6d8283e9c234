// AES-256-GCM with a synthetic nonce: the nonce is a keyed hash of the plaintext (the SIV
// construction), so the same payload encrypted twice under one key gives the same bytes. The payload
// store names objects by the hash of what it stores; with random nonces a retried activity, a
// replayed task or a repeated model request would each leave another object behind.
//
// Two different plaintexts share a nonce only if the 96-bit truncated HMAC collides (about
// n^2 / 2^97 for n payloads: as unlikely as with random nonces); equal plaintexts give equal
// ciphertexts, which shows that two payloads are the same and nothing else.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = 'steadfast/v1';

export interface CipherKey {
  encrypt(plaintext: Uint8Array, keyId: string): Buffer;
  /** Throws when the bytes were not sealed under this key and id, or were changed since. */
  decrypt(sealed: Uint8Array, keyId: string): Buffer;
}

/** `format` names the layout, so that a later one can be told apart in payload metadata. */
export const CIPHER_FORMAT = FORMAT;

/** Separate subkeys for sealing and for nonces, derived from the configured key with HKDF. */
export function cipherKey(material: Buffer): CipherKey {
  const derive = (use: string) =>
    Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), `${FORMAT} ${use}`, 32));
  const sealKey = derive('aes-256-gcm');
  const nonceKey = derive('nonce');
  // The key id is authenticated with the payload: bytes cannot be moved under another id unnoticed.
  const aad = (keyId: string) => Buffer.from(`${FORMAT}:${keyId}`, 'utf8');

  return {
    encrypt(plaintext, keyId) {
      const nonce = createHmac('sha256', nonceKey).update(plaintext).digest().subarray(0, NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', sealKey, nonce);
      cipher.setAAD(aad(keyId));
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return Buffer.concat([nonce, body, cipher.getAuthTag()]);
    },
    decrypt(sealed, keyId) {
      const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
      if (bytes.length < NONCE_BYTES + TAG_BYTES) throw new Error('too short to be an encrypted payload');
      const decipher = createDecipheriv('aes-256-gcm', sealKey, bytes.subarray(0, NONCE_BYTES));
      decipher.setAAD(aad(keyId));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES, -TAG_BYTES)), decipher.final()]);
    },
  };
}
