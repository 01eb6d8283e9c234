// The payload encryption keys, read from the environment (or a file it names) and checked.
// Messages name variables, entries and key ids, never key material.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';

export const KEY_VAR = 'STEADFAST_ENCRYPTION_KEY';
export const KEYS_VAR = 'STEADFAST_ENCRYPTION_KEYS';
export const KEY_FILE_VAR = 'STEADFAST_ENCRYPTION_KEY_FILE';
const VARIABLES = [KEY_VAR, KEYS_VAR, KEY_FILE_VAR] as const;

export const KEY_BYTES = 32;
const GENERATE = '`openssl rand -base64 32`';
const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface EncryptionKey {
  /** Written into each payload it encrypts; names the key in errors. */
  id: string;
  /** The 32 key bytes (AES-256). */
  material: Buffer;
}

/** The first key encrypts; every key decrypts what was written with its id. */
export interface KeyRing {
  encrypting: EncryptionKey;
  keys: ReadonlyMap<string, EncryptionKey>;
}

/**
 * The id of a key given without one: a keyed hash of the key, so it names the key without
 * revealing anything about it, and the same key gets the same id wherever it is configured
 * (a key first set alone keeps its id when it is later listed as the old key of a rotation).
 */
export function keyFingerprint(material: Buffer): string {
  return `key-${createHmac('sha256', material).update('steadfast payload key id').digest('hex').slice(0, 16)}`;
}

/** True when any of the encryption variables is set (without reading or checking the keys). */
export function encryptionConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return VARIABLES.some((name) => Boolean(env[name]?.trim()));
}

/**
 * The key ring the environment configures, or undefined when payloads are not to be encrypted:
 * - `STEADFAST_ENCRYPTION_KEY`: one base64 key of 32 bytes (its id is its fingerprint);
 * - `STEADFAST_ENCRYPTION_KEYS`: entries `id:base64` (or a bare `base64`, id = fingerprint)
 *   separated by commas or white space; the first encrypts, all decrypt;
 * - `STEADFAST_ENCRYPTION_KEY_FILE`: a file holding such entries, one a line, `#` comments.
 * At most one of them may be set. Every mistake is a UserError naming the variable and the fix.
 */
export function keyRingFromEnv(env: NodeJS.ProcessEnv = process.env): KeyRing | undefined {
  const set = VARIABLES.filter((name) => Boolean(env[name]?.trim()));
  if (set.length === 0) return undefined;
  if (set.length > 1)
    throw new UserError(
      `${set.join(' and ')} are both set`,
      `set only one: ${KEY_VAR} for one key, ${KEYS_VAR} or ${KEY_FILE_VAR} for several (rotation)`
    );
  const name = set[0]!;
  const value = env[name]!.trim();
  if (name === KEY_VAR) {
    if (value.includes(':') || /[\s,]/.test(value))
      throw new UserError(
        `${KEY_VAR} holds more than one key, or a key id`,
        `give one base64 key there (generate one with ${GENERATE}); list several as id:base64 in ${KEYS_VAR}`
      );
    return ringOf([entry(value, `${KEY_VAR}`)], KEY_VAR);
  }
  if (name === KEYS_VAR) return ringOf(parseEntries(value, KEYS_VAR), KEYS_VAR);
  return ringOf(parseEntries(readKeyFile(value), `${KEY_FILE_VAR} (${value})`), `${KEY_FILE_VAR} (${value})`);
}

function readKeyFile(file: string): string {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => line.replace(/#.*$/, ''))
      .join('\n');
  } catch (err) {
    throw new UserError(
      `${KEY_FILE_VAR}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      'point it at a readable file holding one key per line, `id:base64` or a bare base64 key, the encrypting key first'
    );
  }
}

function parseEntries(text: string, source: string): EncryptionKey[] {
  const items = text.split(/[\s,]+/).filter(Boolean);
  return items.map((item, i) => {
    const where = `entry ${i + 1} of ${source}`;
    const colon = item.indexOf(':');
    if (colon === -1) return entry(item, where);
    const id = item.slice(0, colon);
    if (!KEY_ID.test(id))
      throw new UserError(
        `${where} has an invalid key id (${JSON.stringify(id.slice(0, 64))})`,
        'key ids are 1-64 letters, digits, dots, underscores or hyphens, starting with a letter or digit, e.g. k2026'
      );
    return entry(item.slice(colon + 1), `${where} (key ${id})`, id);
  });
}

/** One key from its base64 text; a mistake says what the text decodes to, never what it is. */
function entry(text: string, where: string, id?: string): EncryptionKey {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const material = /^[A-Za-z0-9+/]+={0,2}$/.test(b64) ? Buffer.from(b64, 'base64') : undefined;
  if (!material || material.length !== KEY_BYTES) {
    const what = material
      ? `decodes to ${material.length} bytes, not ${KEY_BYTES}${/^[0-9a-fA-F]{64}$/.test(text) ? ' (it looks like hex, not base64)' : ''}`
      : 'is not base64';
    throw new UserError(
      `${where} is not a valid encryption key: it ${what}`,
      `use a base64-encoded 32-byte key, e.g. from ${GENERATE}`
    );
  }
  return { id: id ?? keyFingerprint(material), material };
}

function ringOf(keys: EncryptionKey[], source: string): KeyRing {
  if (keys.length === 0)
    throw new UserError(`${source} holds no key`, `add a base64-encoded 32-byte key, e.g. from ${GENERATE}`);
  const byId = new Map<string, EncryptionKey>();
  for (const key of keys) {
    const other = byId.get(key.id);
    if (other)
      throw new UserError(
        `${source} lists key id ${key.id} twice`,
        other.material.equals(key.material)
          ? 'remove the repeated entry'
          : 'give each key its own id: a payload names the key it was encrypted with by its id'
      );
    byId.set(key.id, key);
  }
  return { encrypting: keys[0]!, keys: byId };
}

/** One line for logs: which key encrypts and which decrypt, by id. */
export function describeKeyRing(ring: KeyRing | undefined): string {
  if (!ring) return `payload encryption: off (set ${KEY_VAR} to encrypt payloads)`;
  const others = [...ring.keys.keys()].filter((id) => id !== ring.encrypting.id);
  return `payload encryption: AES-256-GCM with key ${ring.encrypting.id}${others.length ? `; also decrypts ${others.join(', ')}` : ''}`;
}
