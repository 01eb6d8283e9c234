import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { corpusFailure, CorpusErrorType } from './errors.js';
import { extractDocument, UnreadableDocument } from './extract.js';
import {
  listDefaultCorpus,
  listDirectory,
  type CorpusFile,
  type CorpusListing,
  type DocumentKind,
  type SkippedFile,
} from './files.js';
import { PASSAGES_FORMAT, toPassages, type StoredPassage } from './passages.js';
import { INDEX_FORMAT, PassageIndex } from './search-index.js';
import { packageRoot } from '../../common/paths.js';
import { corpusCacheDir, isDefaultCorpus } from './paths.js';

/**
 * Part of every corpus id and cache manifest: a change to extraction, passage cutting or the index
 * layout (bump the format constant beside the code) gives new ids, so old caches are never read.
 */
export const FORMAT_VERSION = `steadfast-corpus-v3/passages-${PASSAGES_FORMAT}/index-${INDEX_FORMAT}`;

export interface CorpusDocument {
  rel: string;
  title: string;
  kind: DocumentKind;
  /** Index of its first passage in `passages`; its passages are contiguous. */
  first: number;
  count: number;
}

/** What the cache holds for one content hash; independent of where the corpus lives on disk. */
interface CorpusCore {
  corpusId: string;
  documents: CorpusDocument[];
  passages: StoredPassage[];
  skipped: SkippedFile[];
  index: PassageIndex;
  byId: Map<string, number>;
}

export interface LoadedCorpus extends CorpusCore {
  /** Absolute corpus root; passage paths are relative to it. */
  root: string;
  /** True when this call extracted the documents and built the index (no cache hit). */
  builtIndex: boolean;
  /** Absolute path on disk of a corpus-relative path. */
  absPath(rel: string): string;
}

export interface LoadOptions {
  /** Called while documents are extracted during a build (e.g. to heartbeat). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Reuse this process's listing of the corpus when it is younger than this (ms) instead of
   * walking and stat-ing every file again. Searches use it (a run searches one corpus many times);
   * preparing a corpus always lists it afresh. Default 0.
   */
  listingMaxAgeMs?: number;
}

const memo = new Map<string, Promise<CorpusCore>>();
const MEMO_LIMIT = 8;
/** root -> (listing fingerprint, content hash): skips re-reading files whose stat is unchanged. */
const hashMemo = new Map<string, { fingerprint: string; hash: string }>();
/** corpus argument -> its latest listing and content hash, with when they were made. */
const listingMemo = new Map<string, { at: number; listing: CorpusListing; corpusId: string }>();

function listingKey(corpus: string | undefined): string {
  return isDefaultCorpus(corpus) ? '\0default' : path.resolve(corpus as string);
}

async function listAndHash(
  corpus: string | undefined,
  maxAgeMs: number
): Promise<{ listing: CorpusListing; corpusId: string }> {
  const key = listingKey(corpus);
  const known = listingMemo.get(key);
  if (known && maxAgeMs > 0 && Date.now() - known.at < maxAgeMs) return known;
  const listing = await listCorpus(corpus);
  const corpusId = await contentHash(listing);
  listingMemo.set(key, { at: Date.now(), listing, corpusId });
  if (listingMemo.size > 64) listingMemo.delete(listingMemo.keys().next().value as string);
  return { listing, corpusId };
}

/** Resolves a corpus argument to its root directory and file listing; throws CorpusNotFound. */
export async function listCorpus(corpus: string | undefined): Promise<CorpusListing> {
  if (isDefaultCorpus(corpus)) return listDefaultCorpus(packageRoot);
  const root = path.resolve(corpus as string);
  let isDir: boolean;
  try {
    isDir = (await stat(root)).isDirectory();
  } catch {
    throw corpusFailure(
      CorpusErrorType.NotFound,
      `Corpus directory not found: ${root} (from "${corpus}", resolved against ${process.cwd()}). ` +
        `Fix: pass an existing directory of .md/.txt/.html/.pdf files (e.g. --corpus ./docs), or omit the corpus to use the default documentation corpus.`
    );
  }
  if (!isDir) {
    throw corpusFailure(
      CorpusErrorType.NotFound,
      `Corpus path is a file, not a directory: ${root}. Fix: pass the directory that contains it (${path.dirname(root)}).`
    );
  }
  return listDirectory(root);
}

function fingerprint(listing: CorpusListing): string {
  const h = createHash('sha256');
  for (const f of listing.files) h.update(`${f.rel}\0${f.stamp}\n`);
  for (const s of listing.skipped) h.update(`skip\0${s.rel}\0${s.reason}\n`);
  return h.digest('hex');
}

/** sha256 over the sorted relative paths and contents of the corpus files (plus the format version). */
export async function contentHash(listing: CorpusListing): Promise<string> {
  const fp = fingerprint(listing);
  const known = hashMemo.get(listing.root);
  if (known?.fingerprint === fp) return known.hash;
  const h = createHash('sha256');
  h.update(FORMAT_VERSION + '\n');
  for (const f of listing.files) {
    let bytes: Buffer;
    try {
      bytes = await readFile(f.abs);
    } catch (err) {
      bytes = Buffer.from(`unreadable: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    h.update(`${f.rel}\0${bytes.length}\0`);
    h.update(bytes);
    h.update('\0');
  }
  for (const s of listing.skipped) h.update(`skip\0${s.rel}\0${s.reason}\n`);
  const hash = h.digest('hex');
  hashMemo.set(listing.root, { fingerprint: fp, hash });
  return hash;
}

async function mapPool<T, R>(
  items: T[],
  width: number,
  fn: (item: T, i: number) => Promise<R>
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}

type Extracted =
  { file: CorpusFile; doc: Awaited<ReturnType<typeof extractDocument>> } | { file: CorpusFile; skip: string };

/** Extracts every file, splits passages and builds the BM25 index (no cache involved). */
async function buildCore(listing: CorpusListing, corpusId: string, opts: LoadOptions): Promise<CorpusCore> {
  let done = 0;
  const extracted = await mapPool(listing.files, 4, async (file): Promise<Extracted> => {
    try {
      const bytes = await readFile(file.abs);
      return { file, doc: await extractDocument(file.kind, file.abs, bytes) };
    } catch (err) {
      const reason =
        err instanceof UnreadableDocument ? err.message : `could not read: ${(err as Error).message}`;
      return { file, skip: reason };
    } finally {
      opts.onProgress?.(++done, listing.files.length);
    }
  });
  const documents: CorpusDocument[] = [];
  const passages: StoredPassage[] = [];
  const skipped: SkippedFile[] = [...listing.skipped];
  for (const item of extracted) {
    if ('skip' in item) {
      skipped.push({ rel: item.file.rel, reason: item.skip });
      continue;
    }
    const docPassages = toPassages(item.file.rel, item.doc, documents.length);
    if (docPassages.length === 0) {
      // A script without documentation (POD, comments) is code, not an unreadable document.
      if (item.file.kind === 'pod' || item.file.kind === 'script') continue;
      skipped.push({
        rel: item.file.rel,
        reason:
          item.file.kind === 'pdf'
            ? 'no extractable text (scanned images? the PDF needs OCR first)'
            : 'no readable text',
      });
      continue;
    }
    documents.push({
      rel: item.file.rel,
      title: item.doc.title,
      kind: item.file.kind,
      first: passages.length,
      count: docPassages.length,
    });
    passages.push(...docPassages);
  }
  skipped.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const index = PassageIndex.build(passages, documents);
  return { corpusId, documents, passages, skipped, index, byId: idMap(passages) };
}

function idMap(passages: StoredPassage[]): Map<string, number> {
  return new Map(passages.map((p, i) => [p.sourceId, i]));
}

interface Manifest {
  format: string;
  corpusId: string;
  documents: CorpusDocument[];
  skipped: SkippedFile[];
  passages: number;
  builtAt: string;
}

async function readCache(corpusId: string): Promise<CorpusCore | undefined> {
  const dir = path.join(corpusCacheDir(), corpusId);
  try {
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    if (manifest.format !== FORMAT_VERSION || manifest.corpusId !== corpusId) return undefined;
    const passages = JSON.parse(await readFile(path.join(dir, 'passages.json'), 'utf8')) as StoredPassage[];
    if (!Array.isArray(passages) || passages.length !== manifest.passages) return undefined;
    const index = PassageIndex.fromJSON(await readFile(path.join(dir, 'index.json'), 'utf8'));
    return {
      corpusId,
      documents: manifest.documents,
      passages,
      skipped: manifest.skipped,
      index,
      byId: idMap(passages),
    };
  } catch {
    return undefined; // missing or damaged cache: rebuild
  }
}

/** Writes the cache into a temp directory, then renames it into place (readers never see half a cache). */
async function writeCache(core: CorpusCore, replace: boolean): Promise<void> {
  const base = corpusCacheDir();
  const final = path.join(base, core.corpusId);
  const tmp = path.join(
    base,
    `.tmp-${core.corpusId.slice(0, 16)}-${process.pid}-${randomBytes(4).toString('hex')}`
  );
  const manifest: Manifest = {
    format: FORMAT_VERSION,
    corpusId: core.corpusId,
    documents: core.documents,
    skipped: core.skipped,
    passages: core.passages.length,
    builtAt: new Date().toISOString(),
  };
  await mkdir(tmp, { recursive: true });
  try {
    await writeFile(path.join(tmp, 'passages.json'), JSON.stringify(core.passages));
    await writeFile(path.join(tmp, 'index.json'), JSON.stringify(core.index));
    await writeFile(path.join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2));
    if (replace) await rm(final, { recursive: true, force: true });
    try {
      await rename(tmp, final);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY' && code !== 'EPERM') throw err;
      // Another process finished the same build first; its cache is identical.
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function remember(corpusId: string, core: Promise<CorpusCore>): void {
  memo.delete(corpusId);
  memo.set(corpusId, core);
  while (memo.size > MEMO_LIMIT) memo.delete(memo.keys().next().value as string);
  core.catch(() => memo.delete(corpusId));
}

function emptyFailure(listing: CorpusListing, skipped: SkippedFile[]): Error {
  const detail = skipped.length
    ? ` ${skipped.length} file(s) were skipped, e.g. ${skipped
        .slice(0, 3)
        .map((s) => `${s.rel}: ${s.reason}`)
        .join('; ')}.`
    : '';
  return corpusFailure(
    CorpusErrorType.Empty,
    `Corpus has no readable documents: ${listing.root}.${detail} ` +
      `Fix: add .md, .markdown, .txt, .html/.htm or text-based .pdf files (under 5 MB) to the directory.`
  );
}

function view(core: CorpusCore, root: string, builtIndex: boolean): LoadedCorpus {
  return { ...core, root, builtIndex, absPath: (rel) => path.resolve(root, ...rel.split('/')) };
}

/**
 * Loads a corpus (a directory, or `'default'`/undefined for the dependency docs): from the
 * in-process memo, else from `<dataDir>/corpus/<hash>/`, else by building and caching it.
 * Throws CorpusNotFound / CorpusEmpty ApplicationFailures.
 */
export async function loadCorpus(corpus?: string, opts: LoadOptions = {}): Promise<LoadedCorpus> {
  const { listing, corpusId } = await listAndHash(corpus, opts.listingMaxAgeMs ?? 0);
  const pending = memo.get(corpusId);
  if (pending) return view(await pending, listing.root, false);
  let built = false;
  const core = (async () => {
    const cached = await readCache(corpusId);
    if (cached) return cached;
    built = true;
    const fresh = await buildCore(listing, corpusId, opts);
    if (fresh.passages.length === 0) throw emptyFailure(listing, fresh.skipped);
    await writeCache(fresh, false);
    return fresh;
  })();
  remember(corpusId, core);
  return view(await core, listing.root, built);
}

export interface BuildReport {
  corpusId: string;
  root: string;
  documents: number;
  passages: number;
  skipped: SkippedFile[];
  /** Wall time of listing, hashing, extraction, indexing and writing the cache. */
  ms: number;
  /** Bytes written to the cache directory. */
  cacheBytes: number;
  cacheDir: string;
}

/** Always rebuilds the corpus index from the files (ignoring any cache) and rewrites the cache. */
export async function buildCorpusIndex(dir?: string, opts: LoadOptions = {}): Promise<BuildReport> {
  const started = performance.now();
  const listing = await listCorpus(dir);
  hashMemo.delete(listing.root);
  const corpusId = await contentHash(listing);
  listingMemo.set(listingKey(dir), { at: Date.now(), listing, corpusId });
  const core = await buildCore(listing, corpusId, opts);
  if (core.passages.length === 0) throw emptyFailure(listing, core.skipped);
  await writeCache(core, true);
  remember(corpusId, Promise.resolve(core));
  const ms = performance.now() - started;
  const cacheDir = path.join(corpusCacheDir(), corpusId);
  let cacheBytes = 0;
  for (const f of ['manifest.json', 'passages.json', 'index.json'])
    cacheBytes += (await stat(path.join(cacheDir, f))).size;
  return {
    corpusId,
    root: listing.root,
    documents: core.documents.length,
    passages: core.passages.length,
    skipped: core.skipped,
    ms: Math.round(ms),
    cacheBytes,
    cacheDir,
  };
}

/** Forgets in-process state (memo and hash shortcuts); the on-disk cache stays. For tests/benchmarks. */
export function clearCorpusMemo(): void {
  memo.clear();
  hashMemo.clear();
  listingMemo.clear();
}
