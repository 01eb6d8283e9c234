import type { DataConverter } from '@temporalio/common';
import { payloadStoreConfig, type PayloadStoreConfig } from './payload-storage/config.js';
import { externalStorageFor } from './payload-storage/storage.js';

const cache = new Map<string, DataConverter>();

/**
 * The one data converter of every steadfast client and worker (CLI, API server, worker processes,
 * test kit, bench harness): JSON payloads, and those at or above the threshold stored outside
 * history (docs/payload-storage.md). A payload one process stores, every other reads, provided they
 * are configured alike. Converters are shared per configuration, so a process keeps one S3 client.
 */
export function steadfastDataConverter(env: NodeJS.ProcessEnv = process.env): DataConverter {
  return dataConverterFor(payloadStoreConfig(env));
}

export function dataConverterFor(config: PayloadStoreConfig): DataConverter {
  const key = JSON.stringify(config);
  let converter = cache.get(key);
  if (!converter) {
    converter = { externalStorage: externalStorageFor(config) };
    cache.set(key, converter);
  }
  return converter;
}
