import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { randomUUID } from 'node:crypto';
import { writeArtifact } from '../../src/activities/artifacts.js';
import { diffFile, rollbackFile, writeFile } from '../../src/activities/files.js';
import { unifiedDiff } from '../../src/activities/unified-diff.js';
import { loadWrite, renameLogPath, saveWrite } from '../../src/activities/write-record.js';
import type { ArtifactRef } from '../../src/common/research-types.js';
import { scratchDir } from '../../src/testing/fixture.js';

// The file activities called as functions (no worker): the write and rollback rules, on real files.

before(() => {
  process.env.STEADFAST_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), 'steadfast-files-'));
});

const dir = scratchDir('steadfast-review-files-');
const REPORT = '# Checklist\n\n- [ ] one\n- [ ] two\n';
const ORIGINAL = '# Migration\n\n- old item\n';

/** A run id and its rendered report.md in the artifact store. */
async function rendered(text = REPORT): Promise<{ workflowId: string; source: ArtifactRef }> {
  const workflowId = `research-files-${randomUUID()}`;
  return { workflowId, source: await writeArtifact(workflowId, 'report.md', text) };
}

function target(name: string, content?: string): string {
  const file = path.join(dir, `${randomUUID().slice(0, 8)}-${name}`);
  if (content !== undefined) writeFileSync(file, content);
  return file;
}

const renames = (workflowId: string) =>
  existsSync(renameLogPath(workflowId))
    ? readFileSync(renameLogPath(workflowId), 'utf8').trim().split('\n').length
    : 0;

describe('unifiedDiff', () => {
  test('a new file is all additions from /dev/null', () => {
    const d = unifiedDiff(null, 'a\nb\n', 'x.md', 10_000);
    assert.equal(d.text, '--- /dev/null\n+++ b/x.md\n@@ -0,0 +1,2 @@\n+a\n+b\n');
    assert.deepEqual([d.added, d.removed, d.truncated], [2, 0, false]);
  });

  test('a change keeps three lines of context and numbers its hunk as diff -u does', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const after = before.replace('line 10\n', 'line ten\n');
    const d = unifiedDiff(before, after, 'f', 10_000);
    assert.equal(
      d.text,
      '--- a/f\n+++ b/f\n@@ -7,7 +7,7 @@\n line 7\n line 8\n line 9\n-line 10\n+line ten\n line 11\n line 12\n line 13\n'
    );
  });

  test('identical texts have no hunk; a long diff is cut with a note', () => {
    assert.equal(unifiedDiff('a\n', 'a\n', 'f', 1000).text, '--- a/f\n+++ b/f\n');
    const big = unifiedDiff('', Array.from({ length: 500 }, (_, i) => `new ${i}`).join('\n'), 'f', 300);
    assert.ok(big.truncated);
    assert.ok(big.text.length < 400);
    assert.match(big.text, /diff cut here: \d+ more lines \(500 added, 0 removed in all\)/);
  });
});

describe('writeFile', () => {
  test('writes once: a repeated call (a retry) finds the write made and leaves one rename', async () => {
    const { workflowId, source } = await rendered();
    const file = target('w.md', ORIGINAL);
    const diff = await diffFile({ workflowId, path: file, source });
    assert.equal(diff.before?.bytes, ORIGINAL.length);
    assert.match(diff.diff, /^-- old item$/m);
    const request = { workflowId, path: file, source, expectBefore: diff.before!.sha256 };
    const first = await writeFile(request);
    const again = await writeFile(request);
    assert.equal(readFileSync(file, 'utf8'), REPORT);
    assert.deepEqual(again, first);
    assert.equal(renames(workflowId), 1);
    assert.equal(first.existed, true);
  });

  test('a retry after a crash between the rename and the record completes the record, without a second rename', async () => {
    const { workflowId, source } = await rendered();
    const file = target('crash.md', ORIGINAL);
    const diff = await diffFile({ workflowId, path: file, source });
    await writeFile({ workflowId, path: file, source, expectBefore: diff.before!.sha256 });
    // What the record holds when the worker dies right after the rename.
    const record = (await loadWrite(workflowId))!;
    await saveWrite(workflowId, { ...record, state: 'writing', writtenAt: undefined });
    const retried = await writeFile({ workflowId, path: file, source, expectBefore: diff.before!.sha256 });
    assert.equal(retried.after.sha256, diff.after.sha256);
    assert.equal((await loadWrite(workflowId))!.state, 'written');
    assert.equal(renames(workflowId), 1);
    // The bytes kept for rollback are still the original ones.
    await rollbackFile({ workflowId, by: 'test', force: false });
    assert.equal(readFileSync(file, 'utf8'), ORIGINAL);
  });

  test('a file changed after its diff was shown is not written', async () => {
    const { workflowId, source } = await rendered();
    const file = target('changed.md', ORIGINAL);
    const diff = await diffFile({ workflowId, path: file, source });
    writeFileSync(file, 'edited meanwhile\n');
    await assert.rejects(
      writeFile({ workflowId, path: file, source, expectBefore: diff.before!.sha256 }),
      (err: Error & { type?: string; nonRetryable?: boolean }) => {
        assert.equal(err.type, 'FileChangedSinceReview');
        assert.equal(err.nonRetryable, true);
        assert.match(err.message, /changed after its diff was shown/);
        return true;
      }
    );
    assert.equal(readFileSync(file, 'utf8'), 'edited meanwhile\n');
    assert.equal(await loadWrite(workflowId), undefined);
  });

  test('folders, links and missing folders are refused, saying what to name instead', async () => {
    const { workflowId, source } = await rendered();
    const folder = path.join(dir, `folder-${randomUUID().slice(0, 6)}`);
    mkdirSync(folder);
    const link = target('link.md');
    symlinkSync(target('real.md', ORIGINAL), link);
    const cases: [string, string, RegExp][] = [
      [folder, 'WriteTargetIsFolder', /it is a folder; name the file to write, e\.g\. .*checklist\.md/],
      [link, 'WriteTargetNotAFile', /symbolic link; name the file it points to/],
      [
        path.join(dir, 'missing', 'x.md'),
        'WriteTargetFolderMissing',
        /does not exist on the worker's machine; create it first/,
      ],
    ];
    for (const [file, type, message] of cases) {
      await assert.rejects(diffFile({ workflowId, path: file, source }), (err: Error & { type?: string }) => {
        assert.equal(err.type, type);
        assert.match(err.message, message);
        return true;
      });
      await assert.rejects(writeFile({ workflowId, path: file, source, expectBefore: null }), { type });
    }
  });

  test('permission bits survive the write and the rollback', async () => {
    const { workflowId, source } = await rendered();
    const file = target('mode.md', ORIGINAL);
    chmodSync(file, 0o600);
    const diff = await diffFile({ workflowId, path: file, source });
    await writeFile({ workflowId, path: file, source, expectBefore: diff.before!.sha256 });
    assert.equal(statSync(file).mode & 0o777, 0o600);
    await rollbackFile({ workflowId, by: 'test', force: false });
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(readFileSync(file, 'utf8'), ORIGINAL);
  });
});

describe('rollbackFile', () => {
  test('refuses a file changed since the write; --force restores it and keeps what it replaced', async () => {
    const { workflowId, source } = await rendered();
    const file = target('rb.md', ORIGINAL);
    const diff = await diffFile({ workflowId, path: file, source });
    await writeFile({ workflowId, path: file, source, expectBefore: diff.before!.sha256 });
    writeFileSync(file, `${REPORT}- [x] done by hand\n`);
    await assert.rejects(
      rollbackFile({ workflowId, by: 'test', force: false }),
      (err: Error & { type?: string }) => {
        assert.equal(err.type, 'FileChangedSinceWrite');
        assert.match(err.message, /changed after .* wrote it.*--force/);
        return true;
      }
    );
    assert.match(readFileSync(file, 'utf8'), /done by hand/);
    const forced = await rollbackFile({ workflowId, by: 'test:forced', force: true, reason: 'undo' });
    assert.equal(readFileSync(file, 'utf8'), ORIGINAL);
    assert.equal(forced.rolledBack?.forced, true);
    assert.equal(forced.rolledBack?.replaced?.bytes, `${REPORT}- [x] done by hand\n`.length);
    assert.equal(forced.rolledBack?.by, 'test:forced');
    // Done once: asking again returns the same rollback and renames nothing.
    const before = renames(workflowId);
    assert.deepEqual(await rollbackFile({ workflowId, by: 'someone else', force: false }), forced);
    assert.equal(renames(workflowId), before);
  });

  test('a file the run created is removed; a run that wrote nothing has nothing to roll back', async () => {
    const { workflowId, source } = await rendered();
    const file = target('new.md');
    const diff = await diffFile({ workflowId, path: file, source });
    assert.equal(diff.before, null);
    assert.match(diff.diff, /^--- \/dev\/null$/m);
    await writeFile({ workflowId, path: file, source, expectBefore: null });
    const done = await rollbackFile({ workflowId, by: 'test', force: false });
    assert.equal(done.rolledBack?.action, 'removed');
    assert.equal(existsSync(file), false);
    const other = await rendered();
    await assert.rejects(rollbackFile({ workflowId: other.workflowId, by: 'test', force: false }), {
      type: 'NothingToRollBack',
    });
  });

  test('a retry after a crash between the restore and its record finishes the rollback', async () => {
    const { workflowId, source } = await rendered();
    const file = target('rb-crash.md', ORIGINAL);
    const diff = await diffFile({ workflowId, path: file, source });
    await writeFile({ workflowId, path: file, source, expectBefore: diff.before!.sha256 });
    const record = (await loadWrite(workflowId))!;
    // The worker died after putting the old bytes back, before recording the rollback.
    await saveWrite(workflowId, { ...record, rollingBack: { forced: false } });
    writeFileSync(file, ORIGINAL);
    const done = await rollbackFile({ workflowId, by: 'test', force: false });
    assert.equal(done.rolledBack?.action, 'restored');
    assert.equal(readFileSync(file, 'utf8'), ORIGINAL);
  });
});
