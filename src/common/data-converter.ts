import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec } from './payload-codec/encryption-codec.js';
import { keyFingerprint, keyRingFromEnv, type KeyRing } from './payload-codec/keys.js';
import { payloadStoreConfig, type PayloadStoreConfig } from './payload-storage/config.js';
import { externalStorageFor } from './payload-storage/storage.js';

const cache = new Map<string, DataConverter>();

/**
 * The one data converter of every steadfast client and worker (CLI, API server, worker processes,
 * test kit, bench harness): JSON payloads, encrypted when a key is configured (docs/security.md),
 * and those at or above the threshold stored outside history (docs/payload-storage.md). The SDK
 * runs codecs before external storage on the way out and after it on the way in, so the store
 * holds encrypted payloads too. A payload one process writes, every other reads, provided they are
 * configured alike. Converters are shared per configuration, so a process keeps one S3 client.
 */
export function steadfastDataConverter(env: NodeJS.ProcessEnv = process.env): DataConverter {
  return dataConverterFor(payloadStoreConfig(env), keyRingFromEnv(env));
}

export function dataConverterFor(config: PayloadStoreConfig, ring?: KeyRing): DataConverter {
  // Keys are named by id and fingerprint: the cache key holds no key material.
  const keys = ring ? [...ring.keys.values()].map((k) => `${k.id}=${keyFingerprint(k.material)}`) : [];
  const key = JSON.stringify([config, ring?.encrypting.id, keys]);
  let converter = cache.get(key);
  if (!converter) {
    // Always installed: without keys it encrypts nothing but names the key of an encrypted payload it meets.
    converter = { payloadCodecs: [new EncryptionCodec(ring)], externalStorage: externalStorageFor(config) };
    cache.set(key, converter);
  }
  return converter;
}
