import type { Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import { UserError } from '../errors.js';
import { CIPHER_FORMAT, cipherKey, type CipherKey } from './cipher.js';
import { KEY_FILE_VAR, KEY_VAR, KEYS_VAR, type KeyRing } from './keys.js';

const PayloadMessage = proto.temporal.api.common.v1.Payload;

/** The metadata of an encrypted payload, as Temporal's encryption samples name it. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_KEY = 'encryption-key-id';
export const FORMAT_KEY = 'encryption-format';

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

/** A payload this process cannot decrypt: an unknown key id, a wrong key, damaged bytes. */
export class PayloadKeyError extends UserError {
  override name = 'PayloadKeyError';
}

const KEYS_HINT = `every client and worker needs the keys of the payloads it reads: list the old key after the new one in ${KEYS_VAR} (id:base64, the encrypting key first) or in ${KEY_FILE_VAR}`;

export function isEncrypted(payload: Payload): boolean {
  return text(payload.metadata?.encoding) === ENCRYPTED_ENCODING;
}

/** The key id an encrypted payload names, or undefined for any other payload. */
export function keyIdOf(payload: Payload): string | undefined {
  return isEncrypted(payload) ? (text(payload.metadata?.[KEY_ID_KEY]) ?? '') : undefined;
}

/**
 * Temporal's PayloadCodec for AES-256-GCM: each payload (metadata and data, serialized) is sealed
 * under the ring's encrypting key and replaced by a `binary/encrypted` payload naming that key's
 * id. Decoding picks the key by the id the payload names, so any key of the ring reads what it
 * wrote (rotation), and leaves payloads that were never encrypted as they are (runs from before
 * encryption was turned on stay readable). Without a ring it encrypts nothing and refuses, with the
 * key id, the encrypted payloads it meets.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly ciphers = new Map<string, CipherKey>();

  constructor(private readonly ring: KeyRing | undefined) {
    for (const key of ring?.keys.values() ?? []) this.ciphers.set(key.id, cipherKey(key.material));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const ring = this.ring;
    if (!ring) return payloads;
    const id = ring.encrypting.id;
    const cipher = this.ciphers.get(id)!;
    return payloads.map((payload) =>
      isEncrypted(payload)
        ? payload
        : {
            metadata: {
              encoding: utf8(ENCRYPTED_ENCODING),
              [KEY_ID_KEY]: utf8(id),
              [FORMAT_KEY]: utf8(CIPHER_FORMAT),
            },
            data: cipher.encrypt(
              PayloadMessage.encode({ metadata: payload.metadata, data: payload.data }).finish(),
              id
            ),
          }
    );
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncrypted(payload) ? this.decrypt(payload) : payload));
  }

  private decrypt(payload: Payload): Payload {
    const id = keyIdOf(payload) ?? '';
    if (!id)
      throw new PayloadKeyError('an encrypted payload names no key id: it was not written by steadfast');
    const format = text(payload.metadata?.[FORMAT_KEY]);
    if (format !== undefined && format !== CIPHER_FORMAT)
      throw new PayloadKeyError(
        `a payload encrypted with key ${id} is in format ${JSON.stringify(format.slice(0, 40))}, which this version does not read`,
        'read it with the steadfast version that wrote it'
      );
    const cipher = this.ciphers.get(id);
    if (!cipher) {
      const known = [...this.ciphers.keys()];
      throw new PayloadKeyError(
        known.length
          ? `a payload is encrypted with key ${id}, which is not configured here (configured: ${known.join(', ')})`
          : `a payload is encrypted with key ${id}, and no encryption key is configured here`,
        known.length ? KEYS_HINT : `set ${KEY_VAR} (or ${KEYS_VAR}) to the key with id ${id}`
      );
    }
    let plain: Buffer;
    try {
      plain = cipher.decrypt(payload.data ?? new Uint8Array(), id);
    } catch {
      throw new PayloadKeyError(
        `a payload encrypted with key ${id} does not decrypt with the key configured as ${id}: that is another key, or the payload was changed`,
        `configure the key the payload was written with under id ${id}`
      );
    }
    const inner = PayloadMessage.decode(plain);
    return { metadata: inner.metadata, data: inner.data };
  }
}
