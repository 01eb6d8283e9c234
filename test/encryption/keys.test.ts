// Payload encryption as functions: the keys the environment configures, the codec's round trip,
// rotation, and the errors for malformed keys and for payloads of keys this process lacks.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { UserError } from '../../src/common/errors.js';
import {
  EncryptionCodec,
  ENCRYPTED_ENCODING,
  KEY_ID_KEY,
  PayloadKeyError,
} from '../../src/common/payload-codec/encryption-codec.js';
import {
  describeKeyRing,
  encryptionConfigured,
  keyFingerprint,
  keyRingFromEnv,
} from '../../src/common/payload-codec/keys.js';
import { uiCodecEndpoint } from '../../src/common/payload-codec/ui-endpoint.js';
import { scratchDir } from '../../src/testing/fixture.js';

const newKey = () => randomBytes(32).toString('base64');
const text = (b: Uint8Array | null | undefined) => Buffer.from(b ?? []).toString('utf8');
const payload = (value: unknown): Payload => defaultPayloadConverter.toPayload(value)!;
const valueOf = (p: Payload) => defaultPayloadConverter.fromPayload(p);

/** A UserError whose message matches and whose text (message and hint) holds none of `secrets`. */
const userError =
  (message: RegExp, ...secrets: string[]) =>
  (err: unknown) => {
    assert.ok(err instanceof UserError, `a UserError, got ${String(err)}`);
    assert.match(err.message, message);
    for (const secret of secrets) {
      assert.ok(!`${err.message} ${err.hint}`.includes(secret), 'the error shows key material');
      assert.ok(!`${err.message} ${err.hint}`.includes(Buffer.from(secret, 'base64').toString('hex')));
    }
    assert.ok(err.hint, 'the error says how to fix it');
    return true;
  };

describe('keys from the environment', () => {
  test('no variable: no encryption; one key: its id is a fingerprint, stable and not the key', () => {
    assert.equal(keyRingFromEnv({}), undefined);
    assert.equal(encryptionConfigured({ STEADFAST_ENCRYPTION_KEY: ' ' }), false);
    const key = newKey();
    const ring = keyRingFromEnv({ STEADFAST_ENCRYPTION_KEY: ` ${key}\n` })!;
    assert.match(ring.encrypting.id, /^key-[0-9a-f]{16}$/);
    assert.equal(ring.encrypting.id, keyFingerprint(Buffer.from(key, 'base64')));
    assert.ok(!key.includes(ring.encrypting.id.slice(4)));
    assert.equal(ring.keys.size, 1);
    assert.match(describeKeyRing(ring), new RegExp(`AES-256-GCM with key ${ring.encrypting.id}$`));
    assert.ok(!describeKeyRing(ring).includes(key));
    // base64url is accepted as well (no padding, - and _).
    const url = key.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    assert.equal(keyRingFromEnv({ STEADFAST_ENCRYPTION_KEY: url })!.encrypting.id, ring.encrypting.id);
  });

  test('several keys: the first encrypts, every one decrypts; ids given or fingerprinted', () => {
    const [a, b, c] = [newKey(), newKey(), newKey()];
    const ring = keyRingFromEnv({ STEADFAST_ENCRYPTION_KEYS: `k2:${a}, k1:${b}\n${c}` })!;
    assert.equal(ring.encrypting.id, 'k2');
    assert.deepEqual([...ring.keys.keys()], ['k2', 'k1', keyFingerprint(Buffer.from(c, 'base64'))]);
    assert.match(describeKeyRing(ring), /with key k2; also decrypts k1, key-/);
  });

  test('a key file: entries one a line, comments and blank lines ignored', () => {
    const dir = scratchDir();
    const file = path.join(dir, 'keys');
    const [a, b] = [newKey(), newKey()];
    writeFileSync(file, `# rotated 2026-05\nnew:${a}   # encrypts\n\nold:${b}\n`);
    const ring = keyRingFromEnv({ STEADFAST_ENCRYPTION_KEY_FILE: file })!;
    assert.deepEqual([...ring.keys.keys()], ['new', 'old']);
    writeFileSync(file, '# nothing yet\n');
    assert.throws(() => keyRingFromEnv({ STEADFAST_ENCRYPTION_KEY_FILE: file }), userError(/holds no key/));
    assert.throws(
      () => keyRingFromEnv({ STEADFAST_ENCRYPTION_KEY_FILE: path.join(dir, 'missing') }),
      userError(/cannot read .*missing \(ENOENT\)/)
    );
  });

  test('malformed keys are named by variable and entry, never shown', () => {
    const short = randomBytes(16).toString('base64');
    const hex = randomBytes(32).toString('hex');
    const good = newKey();
    const cases: [NodeJS.ProcessEnv, RegExp, string[]][] = [
      [
        { STEADFAST_ENCRYPTION_KEY: short },
        /STEADFAST_ENCRYPTION_KEY is not .*decodes to 16 bytes, not 32/,
        [short],
      ],
      [
        { STEADFAST_ENCRYPTION_KEY: hex },
        /decodes to 48 bytes, not 32 \(it looks like hex, not base64\)/,
        [hex],
      ],
      [{ STEADFAST_ENCRYPTION_KEY: 'not a key!' }, /holds more than one key/, []],
      [{ STEADFAST_ENCRYPTION_KEY: 'k1:' + good }, /holds more than one key, or a key id/, [good]],
      [{ STEADFAST_ENCRYPTION_KEY: 'p@ssw0rd-is-not-base64!' }, /is not base64/, []],
      [
        { STEADFAST_ENCRYPTION_KEYS: `k2:${good},k1:${short}` },
        /entry 2 of STEADFAST_ENCRYPTION_KEYS \(key k1\)/,
        [short, good],
      ],
      [{ STEADFAST_ENCRYPTION_KEYS: `bad/id:${good}` }, /entry 1 .* invalid key id/, [good]],
      [{ STEADFAST_ENCRYPTION_KEYS: `k1:${good},k1:${newKey()}` }, /lists key id k1 twice/, [good]],
      [{ STEADFAST_ENCRYPTION_KEY: good, STEADFAST_ENCRYPTION_KEYS: `k:${good}` }, /are both set/, [good]],
    ];
    for (const [env, message, secrets] of cases)
      assert.throws(
        () => keyRingFromEnv(env),
        userError(message, ...secrets),
        JSON.stringify(Object.keys(env))
      );
  });

  test("the dev server's UI codec endpoint: serve's with encryption on, an explicit one, or none", () => {
    assert.equal(uiCodecEndpoint({}), undefined);
    assert.equal(uiCodecEndpoint({ STEADFAST_ENCRYPTION_KEY: newKey() }), 'http://127.0.0.1:7780/codec');
    assert.equal(
      uiCodecEndpoint({ STEADFAST_UI_CODEC_ENDPOINT: 'https://codec.example.com/codec/' }),
      'https://codec.example.com/codec'
    );
    assert.equal(
      uiCodecEndpoint({ STEADFAST_ENCRYPTION_KEY: newKey(), STEADFAST_UI_CODEC_ENDPOINT: 'off' }),
      undefined
    );
    assert.throws(
      () => uiCodecEndpoint({ STEADFAST_UI_CODEC_ENDPOINT: 'codec.example.com' }),
      userError(/not an http/)
    );
  });
});

describe('the codec', () => {
  test('round trip: metadata and data sealed under the key id, the same payload gives the same bytes', async () => {
    const ring = keyRingFromEnv({ STEADFAST_ENCRYPTION_KEYS: `k1:${newKey()}` })!;
    const codec = new EncryptionCodec(ring);
    const plain = [payload({ question: 'Which vendor holds the Zebra-42 contract?' }), payload(undefined)];
    const sealed = await codec.encode(plain);
    for (const p of sealed) {
      assert.equal(text(p.metadata?.encoding), ENCRYPTED_ENCODING);
      assert.equal(text(p.metadata?.[KEY_ID_KEY]), 'k1');
      assert.ok(!text(p.data).includes('Zebra-42'));
      assert.ok(
        !Object.values(p.metadata ?? {}).some((v) => text(v).includes('json')),
        'the inner encoding is sealed too'
      );
    }
    assert.deepEqual(await codec.encode(plain), sealed, 'deterministic: a retried payload is stored once');
    assert.deepEqual(await codec.encode(sealed), sealed, 'an encrypted payload is not encrypted again');
    const opened = await codec.decode(sealed);
    assert.deepEqual(valueOf(opened[0]!), { question: 'Which vendor holds the Zebra-42 contract?' });
    assert.equal(valueOf(opened[1]!), undefined);
    // A changed byte is refused, not decoded into something else.
    const data = Buffer.from(sealed[0]!.data!);
    data[20] = data[20]! ^ 1;
    const tampered = { ...sealed[0]!, data };
    await assert.rejects(
      codec.decode([tampered]),
      userError(/does not decrypt .*or the payload was changed/)
    );
  });

  test('rotation: a new key encrypts, payloads of the old one still decrypt; the old ring cannot read the new', async () => {
    const [oldKey, newer] = [newKey(), newKey()];
    const before = new EncryptionCodec(keyRingFromEnv({ STEADFAST_ENCRYPTION_KEY: oldKey }));
    const oldId = keyFingerprint(Buffer.from(oldKey, 'base64'));
    const written = await before.encode([payload('written before the rotation')]);
    // The old key keeps its id when listed without one after the new key.
    const after = new EncryptionCodec(
      keyRingFromEnv({ STEADFAST_ENCRYPTION_KEYS: `k2026:${newer},${oldKey}` })
    );
    assert.equal(valueOf((await after.decode(written))[0]!), 'written before the rotation');
    const rewritten = await after.encode([payload('written after')]);
    assert.equal(text(rewritten[0]!.metadata?.[KEY_ID_KEY]), 'k2026');
    await assert.rejects(
      before.decode(rewritten),
      userError(
        new RegExp(`encrypted with key k2026, which is not configured here \\(configured: ${oldId}\\)`),
        oldKey,
        newer
      )
    );
  });

  test('unknown, missing and wrong keys fail naming the key id, never the key', async () => {
    const key = newKey();
    const sealed = await new EncryptionCodec(
      keyRingFromEnv({ STEADFAST_ENCRYPTION_KEYS: `prod-1:${key}` })
    ).encode([payload('x')]);
    const other = newKey();
    await assert.rejects(
      new EncryptionCodec(keyRingFromEnv({ STEADFAST_ENCRYPTION_KEYS: `prod-2:${other}` })).decode(sealed),
      (err) =>
        err instanceof PayloadKeyError &&
        userError(/key prod-1, which is not configured here \(configured: prod-2\)/, key, other)(err)
    );
    await assert.rejects(
      new EncryptionCodec(undefined).decode(sealed),
      userError(/encrypted with key prod-1, and no encryption key is configured here/, key)
    );
    await assert.rejects(
      new EncryptionCodec(keyRingFromEnv({ STEADFAST_ENCRYPTION_KEYS: `prod-1:${other}` })).decode(sealed),
      userError(/encrypted with key prod-1 does not decrypt with the key configured as prod-1/, key, other)
    );
  });

  test('without keys nothing is encrypted, and payloads never encrypted always pass through', async () => {
    const plain = [payload({ a: 1 })];
    assert.deepEqual(await new EncryptionCodec(undefined).encode(plain), plain);
    const codec = new EncryptionCodec(keyRingFromEnv({ STEADFAST_ENCRYPTION_KEY: newKey() }));
    assert.deepEqual(await codec.decode(plain), plain, 'runs from before encryption stay readable');
  });
});
