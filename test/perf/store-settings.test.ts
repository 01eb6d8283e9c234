import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { UserError } from '../../src/common/errors.js';
import { freePort } from '../../src/common/ports.js';
import { ensureDevServer } from '../../src/dev-server/dev-server.js';
import { sqliteSyncFromEnv, storeArgs } from '../../src/dev-server/store-settings.js';
import { scratchDir } from '../../src/testing/fixture.js';

const scratch = scratchDir('steadfast-store-test-');

/** SQLite's file header, bytes 18-19: 1 = rollback journal, 2 = WAL (sqlite.org/fileformat.html). */
function journalOf(dbFile: string): 'wal' | 'rollback' {
  const fd = openSync(dbFile, 'r');
  try {
    const header = Buffer.alloc(20);
    readSync(fd, header, 0, 20, 0);
    return header[18] === 2 && header[19] === 2 ? 'wal' : 'rollback';
  } finally {
    closeSync(fd);
  }
}

test('STEADFAST_SQLITE_SYNC: normal by default, full or rollback on request, anything else a clear error', () => {
  assert.equal(sqliteSyncFromEnv({}), 'normal');
  assert.equal(sqliteSyncFromEnv({ STEADFAST_SQLITE_SYNC: ' FULL ' }), 'full');
  assert.equal(sqliteSyncFromEnv({ STEADFAST_SQLITE_SYNC: 'rollback' }), 'rollback');
  assert.throws(
    () => sqliteSyncFromEnv({ STEADFAST_SQLITE_SYNC: 'off' }),
    (err: unknown) =>
      err instanceof UserError &&
      err.message.includes('STEADFAST_SQLITE_SYNC="off"') &&
      /normal.*full.*rollback/.test(err.hint ?? '')
  );
});

test('the store arguments: WAL pragmas on a file, none in memory, eager dispatch and raised queue poll rates in both', () => {
  const onFile = storeArgs('/d/temporal.db', 'normal');
  assert.deepEqual(onFile.slice(0, 6), [
    '--db-filename',
    '/d/temporal.db',
    '--sqlite-pragma',
    'journal_mode=wal',
    '--sqlite-pragma',
    'synchronous=normal',
  ]);
  const inMemory = storeArgs(undefined, 'normal');
  assert.ok(!inMemory.includes('--db-filename') && !inMemory.includes('--sqlite-pragma'));
  for (const args of [onFile, inMemory]) {
    assert.ok(args.join(' ').includes('--dynamic-config-value system.enableActivityEagerExecution=true'));
    // The history queues' readers must not hold each workflow task for the next of 20 polls a second.
    for (const queue of ['transfer', 'timer', 'visibility'])
      assert.ok(args.join(' ').includes(`--dynamic-config-value history.${queue}ProcessorMaxPollRPS=1000`));
  }
});

test('the dev server settings can be overridden, or left at the server default with null', () => {
  const args = storeArgs('/d/temporal.db', 'normal', {
    'history.transferProcessorMaxPollRPS': null,
    'history.timerProcessorMaxPollRPS': 50,
  }).join(' ');
  assert.ok(!args.includes('transferProcessorMaxPollRPS'));
  assert.ok(args.includes('--dynamic-config-value history.timerProcessorMaxPollRPS=50'));
  assert.ok(args.includes('system.enableActivityEagerExecution=true'));
});

for (const sync of ['normal', 'rollback'] as const) {
  test(`a dev server started with sqliteSync=${sync} keeps its state in a ${sync === 'normal' ? 'WAL' : 'rollback-journal'} SQLite file`, async () => {
    const dataDir = mkdtempSync(join(scratch, `${sync}-`));
    const server = await ensureDevServer({
      dataDir,
      host: '127.0.0.1',
      port: await freePort(),
      uiPort: await freePort(),
      detached: false,
      sqliteSync: sync,
    });
    try {
      assert.equal(server.dbFile, join(dataDir, 'temporal.db'));
      assert.match(
        server.store ?? '',
        sync === 'normal' ? /journal_mode=wal, synchronous=normal/ : /journal_mode=delete/
      );
      assert.equal(journalOf(server.dbFile!), sync === 'normal' ? 'wal' : 'rollback');
    } finally {
      await server.stop();
    }
  });
}

test('an in-memory dev server writes no database file', async () => {
  const dataDir = mkdtempSync(join(scratch, 'memory-'));
  const server = await ensureDevServer({
    dataDir,
    host: '127.0.0.1',
    port: await freePort(),
    uiPort: await freePort(),
    detached: false,
    inMemory: true,
  });
  try {
    assert.equal(server.dbFile, undefined);
    assert.match(server.store ?? '', /in memory/);
    assert.equal(existsSync(join(dataDir, 'temporal.db')), false);
  } finally {
    await server.stop();
  }
});
