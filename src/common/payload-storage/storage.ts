import { ExternalStorage, type StorageDriver } from '@temporalio/common';
import type { PayloadStoreConfig } from './config.js';
import { LOCAL_DRIVER, LocalPayloadDriver } from './local-driver.js';
import { S3_DRIVER, S3PayloadDriver } from './s3-driver.js';

/**
 * The SDK's ExternalStorage for a configuration. The local driver is always registered, so a run
 * written to the local store stays readable after a switch to S3 (or `off`); the selector sends new
 * payloads to the configured store only, or keeps them inline when the store is `off`.
 */
export function externalStorageFor(config: PayloadStoreConfig): ExternalStorage {
  const local = new LocalPayloadDriver(config.localDir);
  const drivers: StorageDriver[] = [local];
  let writer: StorageDriver | null = config.kind === 'local' ? local : null;
  if (config.kind === 's3') {
    const s3 = new S3PayloadDriver(config);
    drivers.push(s3);
    writer = s3;
  }
  return new ExternalStorage({
    drivers,
    driverSelector: () => writer,
    payloadSizeThreshold: config.thresholdBytes,
  });
}

/**
 * A read-only store on one folder that answers to every driver name: the payloads recorded next to
 * a history fixture, whichever store wrote them originally.
 */
export function folderStorage(dir: string, missingHint: string): ExternalStorage {
  const drivers = [LOCAL_DRIVER, S3_DRIVER].map((name) => new LocalPayloadDriver(dir, { name, missingHint }));
  return new ExternalStorage({ drivers, driverSelector: () => null });
}
