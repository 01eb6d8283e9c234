/**
 * Approved writes into the user's files, and their rollback. A run may write one file, declared in
 * its input; the workflow shows the diff (diffFile), waits for a person's approval, then writes
 * (writeFile) — once, whatever the retries and crashes: the record kept in the artifact store says
 * what was done, and a retry that finds the write made returns it instead of writing again.
 * rollbackFile puts the previous bytes back (or removes a file the run created).
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ArtifactRef, FileDiff, WriteRecord } from '../common/research-types.js';
import { artifactRoot } from './artifacts.js';
import type { FILE_WRITE_ERRORS } from './file-errors.js';
import { readTarget, removeFile, replaceFile, sha256, type TargetState } from './file-target.js';
import { unifiedDiff } from './unified-diff.js';
import {
  keepPrevious,
  keepReplaced,
  loadWrite,
  logRename,
  previousBytes,
  publicRecord,
  saveWrite,
  type StoredWrite,
} from './write-record.js';

/** The diff a reviewer sees is cut at this size (it travels in the status). */
const MAX_DIFF_CHARS = 24_000;
/** Texts larger than this are not diffed line by line (the review says so). */
const MAX_DIFF_INPUT_BYTES = 1024 * 1024;

export interface DiffFileRequest {
  workflowId: string;
  path: string;
  /** The rendered file to write (report.md in the artifact store). */
  source: ArtifactRef;
}

export interface WriteFileRequest extends DiffFileRequest {
  /** The sha256 of the file when its diff was shown (null: it did not exist). */
  expectBefore: string | null;
  by?: string;
}

export interface RollbackFileRequest {
  /** The research run whose write is undone. */
  workflowId: string;
  by: string;
  force: boolean;
  reason?: string;
  /** The rollback workflow (its history is the record of who undid what, and when). */
  rollbackWorkflowId?: string;
}

function fail(type: (typeof FILE_WRITE_ERRORS)[number], message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

function isWithin(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

const short = (hash: string | null | undefined) => (hash ? hash.slice(0, 12) : 'absent');

/** The rendered file, read from the artifact store and checked against the hash that was reviewed. */
async function readSource(source: ArtifactRef): Promise<Buffer> {
  const [root, real] = await Promise.all([realpath(artifactRoot()), realpath(source.path)]);
  if (!isWithin(root, real))
    throw fail('SourceChanged', `the file to write must come from the artifact store, not ${source.path}`);
  const { bytes } = await readTarget(real);
  if (!bytes || sha256(bytes) !== source.sha256)
    throw fail(
      'SourceChanged',
      `${source.path} no longer holds the rendered report (sha256 ${short(source.sha256)})`
    );
  return bytes;
}

/** Tells Temporal this attempt is alive (the workflow sets a heartbeat timeout so a dead worker's attempt is retried soon). */
function beat(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // Called outside an activity (a direct call in a test or tool): nothing to tell.
  }
}

function isText(bytes: Buffer): boolean {
  if (bytes.subarray(0, 8192).includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const hashOf = (t: TargetState) => (t.exists ? { sha256: t.sha256!, bytes: t.bytes!.length } : null);

/** The unified diff of the write against the file as it is now. */
export async function diffFile(request: DiffFileRequest): Promise<FileDiff> {
  beat();
  const after = await readSource(request.source);
  const target = await readTarget(request.path);
  beat();
  const label = request.path.replace(/^[/\\]+/, '');
  const before = target.bytes ?? null;
  const base = {
    path: request.path,
    before: hashOf(target),
    after: { sha256: sha256(after), bytes: after.length },
    computedAt: new Date().toISOString(),
  };
  if ((before && !isText(before)) || !isText(after))
    return {
      ...base,
      diff: `Binary files ${before ? `a/${label}` : '/dev/null'} and b/${label} differ\n`,
      truncated: false,
      added: 0,
      removed: 0,
    };
  if ((before?.length ?? 0) > MAX_DIFF_INPUT_BYTES || after.length > MAX_DIFF_INPUT_BYTES)
    return {
      ...base,
      diff: `--- a/${label}\n+++ b/${label}\n(too large to diff line by line: ${before?.length ?? 0} → ${after.length} bytes)\n`,
      truncated: true,
      added: 0,
      removed: 0,
    };
  const diff = unifiedDiff(before?.toString('utf8') ?? null, after.toString('utf8'), label, MAX_DIFF_CHARS);
  return { ...base, diff: diff.text, truncated: diff.truncated, added: diff.added, removed: diff.removed };
}

/**
 * Writes the approved file once. Idempotent by the run: the record is saved before the rename
 * (with the previous bytes) and completed after it, so a retry — after a crash anywhere in
 * between — finds either the old bytes (and writes) or the new ones (and only completes the
 * record). A file that changed since its diff was shown is refused (FileChangedSinceReview).
 */
export async function writeFile(request: WriteFileRequest): Promise<WriteRecord> {
  beat();
  const after = await readSource(request.source);
  const afterHash = sha256(after);
  const target = await readTarget(request.path);
  const current = target.sha256 ?? null;
  const recorded = await loadWrite(request.workflowId);
  if (recorded && recorded.path === request.path && recorded.after.sha256 === afterHash) {
    if (recorded.state === 'written') return publicRecord(recorded);
    if (current === afterHash) return publicRecord(await complete(request.workflowId, recorded));
  }
  if (current !== request.expectBefore) {
    throw fail(
      'FileChangedSinceReview',
      `${request.path} changed after its diff was shown (sha256 then ${short(request.expectBefore)}, now ${short(current)}); nothing was written`
    );
  }
  const record: StoredWrite = {
    state: 'writing',
    path: request.path,
    existed: target.exists,
    before: hashOf(target),
    after: { sha256: afterHash, bytes: after.length },
    startedAt: new Date().toISOString(),
    ...(target.mode !== undefined ? { mode: target.mode } : {}),
  };
  if (target.bytes) await keepPrevious(request.workflowId, target.bytes);
  await saveWrite(request.workflowId, record);
  beat();
  await replaceFile(request.path, after, target.mode);
  await logRename(request.workflowId, {
    action: 'write',
    path: request.path,
    sha256: afterHash,
    by: request.by,
  });
  await pauseForCrashTests();
  return publicRecord(await complete(request.workflowId, record));
}

async function complete(workflowId: string, record: StoredWrite): Promise<StoredWrite> {
  const done: StoredWrite = { ...record, state: 'written', writtenAt: new Date().toISOString() };
  await saveWrite(workflowId, done);
  return done;
}

/**
 * STEADFAST_WRITE_PAUSE_MS: a crash window for tests and chaos runs, between the rename and the
 * record's completion — where a naive retry would write twice and keep the new bytes as the "previous"
 * ones. Heartbeats meanwhile, so only a dead worker lets the attempt time out.
 */
async function pauseForCrashTests(): Promise<void> {
  const ms = Number(process.env.STEADFAST_WRITE_PAUSE_MS ?? 0);
  if (!(ms > 0)) return;
  for (const end = Date.now() + ms; Date.now() < end;) {
    beat();
    await new Promise((r) => setTimeout(r, Math.min(200, end - Date.now())));
  }
}

/**
 * Undoes a run's write: the previous bytes go back (or the file is removed when the run created
 * it). A file that changed since the write is refused unless `force` (what it held is then kept
 * in the artifact store). Repeating a finished rollback returns it.
 */
export async function rollbackFile(request: RollbackFileRequest): Promise<WriteRecord> {
  beat();
  const record = await loadWrite(request.workflowId);
  if (!record)
    throw fail('NothingToRollBack', `${request.workflowId} wrote no file: there is nothing to roll back`);
  if (record.rolledBack) return publicRecord(record);
  const target = await readTarget(record.path);
  const current = target.sha256 ?? null;
  const restored = record.existed ? record.before!.sha256 : null;
  // A retry after a crash between the rename and the record: the rollback is done, finish it.
  if (record.rollingBack && current === restored)
    return publicRecord(await rolledBack(request, record, record.rollingBack.forced));
  if (record.state === 'writing' && current !== record.after.sha256)
    throw fail('NothingToRollBack', `${request.workflowId} never completed its write of ${record.path}`);
  const changed = current !== record.after.sha256;
  if (changed && !request.force)
    throw fail(
      'FileChangedSinceWrite',
      `${record.path} changed after ${request.workflowId} wrote it (sha256 written ${short(record.after.sha256)}, now ${short(current)}); nothing was rolled back. ` +
        'Roll back anyway with --force (what the file holds now is kept in the artifact store)'
    );
  const replaced = changed && target.bytes ? await keepReplaced(request.workflowId, target.bytes) : undefined;
  const replacedHash =
    replaced && target.bytes ? { sha256: target.sha256!, bytes: target.bytes.length } : undefined;
  await saveWrite(request.workflowId, {
    ...record,
    rollingBack: { forced: changed, replaced: replacedHash },
  });
  if (record.existed) {
    const bytes = await previousBytes(request.workflowId, record);
    await replaceFile(record.path, bytes, record.mode);
    await logRename(request.workflowId, {
      action: 'restore',
      path: record.path,
      sha256: sha256(bytes),
      by: request.by,
    });
  } else {
    await removeFile(record.path);
    await logRename(request.workflowId, {
      action: 'remove',
      path: record.path,
      sha256: null,
      by: request.by,
    });
  }
  return publicRecord(await rolledBack(request, record, changed, replacedHash));
}

async function rolledBack(
  request: RollbackFileRequest,
  record: StoredWrite,
  forced: boolean,
  replaced = record.rollingBack?.replaced
): Promise<StoredWrite> {
  const { rollingBack: _done, ...rest } = record;
  const done: StoredWrite = {
    ...rest,
    rolledBack: {
      at: new Date().toISOString(),
      by: request.by,
      action: record.existed ? 'restored' : 'removed',
      forced,
      ...(request.reason ? { reason: request.reason } : {}),
      ...(replaced ? { replaced } : {}),
      ...(request.rollbackWorkflowId ? { workflowId: request.rollbackWorkflowId } : {}),
    },
  };
  await saveWrite(request.workflowId, done);
  return done;
}

export const fileActivities = { diffFile, writeFile, rollbackFile };
