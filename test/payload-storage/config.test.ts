import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { UserError } from '../../src/common/errors.js';
import { dataDir } from '../../src/common/paths.js';
import {
  DEFAULT_THRESHOLD_BYTES,
  describePayloadStore,
  payloadStoreConfig,
} from '../../src/common/payload-storage/config.js';

test('the default is the local store in the data dir, at the default threshold', () => {
  const config = payloadStoreConfig({});
  assert.deepEqual(config, {
    kind: 'local',
    thresholdBytes: DEFAULT_THRESHOLD_BYTES,
    localDir: path.join(dataDir(), 'payloads'),
  });
});

test('local:<dir>, off and s3:// settings are read from the environment', () => {
  assert.equal(
    payloadStoreConfig({ STEADFAST_PAYLOAD_STORE: 'local:/srv/shared/payloads' }).localDir,
    '/srv/shared/payloads'
  );
  assert.equal(payloadStoreConfig({ STEADFAST_PAYLOAD_STORE: 'off' }).kind, 'off');
  assert.equal(payloadStoreConfig({ STEADFAST_PAYLOAD_THRESHOLD_BYTES: '0' }).thresholdBytes, 0);

  const aws = payloadStoreConfig({
    STEADFAST_PAYLOAD_STORE: 's3://my-bucket/runs/prod/',
    AWS_REGION: 'eu-west-1',
  });
  assert.deepEqual(aws, {
    kind: 's3',
    thresholdBytes: DEFAULT_THRESHOLD_BYTES,
    localDir: path.join(dataDir(), 'payloads'),
    bucket: 'my-bucket',
    prefix: 'runs/prod',
    region: 'eu-west-1',
    forcePathStyle: false,
  });
  const minio = payloadStoreConfig({
    STEADFAST_PAYLOAD_STORE: 's3://payloads',
    STEADFAST_S3_ENDPOINT: 'http://127.0.0.1:9000',
    STEADFAST_S3_ACCESS_KEY_ID: 'id',
    STEADFAST_S3_SECRET_ACCESS_KEY: 'secret',
  });
  assert.ok(minio.kind === 's3');
  assert.equal(minio.prefix, '');
  assert.equal(minio.forcePathStyle, true, 'path-style by default on a custom endpoint');
  assert.deepEqual(minio.credentials, { accessKeyId: 'id', secretAccessKey: 'secret' });
  assert.ok(!describePayloadStore(minio).includes('secret'), 'the log line never shows a credential');
});

test('a bad setting is a UserError that names the variable and what it accepts', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ STEADFAST_PAYLOAD_STORE: 'ftp://x' }, /STEADFAST_PAYLOAD_STORE="ftp:\/\/x": unknown form/],
    [{ STEADFAST_PAYLOAD_STORE: 'local:' }, /folder after `local:` is empty/],
    [{ STEADFAST_PAYLOAD_STORE: 's3://My_Bucket/x' }, /"My_Bucket" is not a valid bucket name/],
    [
      { STEADFAST_PAYLOAD_THRESHOLD_BYTES: '4KB' },
      /STEADFAST_PAYLOAD_THRESHOLD_BYTES="4KB" is not a whole number/,
    ],
    [{ STEADFAST_PAYLOAD_THRESHOLD_BYTES: '-1' }, /not a whole number/],
    [
      { STEADFAST_PAYLOAD_STORE: 's3://bucket', STEADFAST_S3_ENDPOINT: '127.0.0.1:9000' },
      /not an http\(s\) URL/,
    ],
    [{ STEADFAST_PAYLOAD_STORE: 's3://bucket', STEADFAST_S3_FORCE_PATH_STYLE: 'yes' }, /not true or false/],
    [{ STEADFAST_PAYLOAD_STORE: 's3://bucket', STEADFAST_S3_ACCESS_KEY_ID: 'id' }, /only one of/],
  ];
  for (const [env, message] of cases) {
    assert.throws(
      () => payloadStoreConfig(env),
      (err: unknown) => err instanceof UserError && message.test(`${err.message} ${err.hint ?? ''}`),
      JSON.stringify(env)
    );
  }
  try {
    payloadStoreConfig({ STEADFAST_PAYLOAD_STORE: 'ftp://x' });
  } catch (err) {
    assert.match((err as UserError).hint ?? '', /local:\/shared\/dir.*s3:\/\/bucket\/prefix/);
  }
});
