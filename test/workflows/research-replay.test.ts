import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../../src/common/paths.js';
import { replayHistoryFile } from '../../src/testing/replay.js';

// Recorded research runs (each one's worker was killed mid-search) replay against today's code:
// research-history.json is the current flow; older files are runs recorded before a patched()
// change, which must keep replaying for as long as such runs may be in flight.
const fixtures = path.join(packageRoot, 'test', 'fixtures');
const current = path.join(fixtures, 'research-history.json');
const recorded = readdirSync(fixtures).filter((f) => /^research-history.*\.json$/.test(f));

test('the current research flow has a recorded history', () => {
  assert.ok(
    existsSync(current),
    `missing ${current}: record it with RECORD_HISTORY=1 npm test -- research-crash`
  );
});

for (const file of recorded) {
  test(`recorded research history ${file} replays against the current workflow code`, async () => {
    await replayHistoryFile(path.join(fixtures, file));
  });
}
