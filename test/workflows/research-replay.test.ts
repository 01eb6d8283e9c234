import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../../src/common/paths.js';
import { replayHistoryFile } from '../../src/testing/replay.js';

const fixture = path.join(packageRoot, 'test', 'fixtures', 'research-history.json');

test('a recorded research history (worker killed mid-search) replays against the current workflow code', async () => {
  assert.ok(
    existsSync(fixture),
    `missing ${fixture}: record it with RECORD_HISTORY=1 npm test -- research-crash`
  );
  await replayHistoryFile(fixture);
});
