import { readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../common/paths.js';

export type DocumentKind = 'markdown' | 'text' | 'html' | 'pdf';

/** A file the corpus will read. `rel` uses '/' separators and is relative to the corpus root. */
export interface CorpusFile {
  rel: string;
  abs: string;
  kind: DocumentKind;
  size: number;
  /** Cheap change detector (size, mtime, ctime, inode) used to skip re-hashing unchanged files. */
  stamp: string;
}

export interface SkippedFile {
  rel: string;
  reason: string;
}

export interface CorpusListing {
  root: string;
  files: CorpusFile[];
  /** Files seen but not read (too large, unsupported document format). */
  skipped: SkippedFile[];
}

export const MAX_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_FILES = 10_000;

const KINDS: Record<string, DocumentKind> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
  '.html': 'html',
  '.htm': 'html',
  '.pdf': 'pdf',
};

/** Formats that look like documents but cannot be read; reported as skipped rather than ignored. */
const UNSUPPORTED_DOCUMENTS = new Set([
  '.doc',
  '.docx',
  '.odt',
  '.rtf',
  '.epub',
  '.ppt',
  '.pptx',
  '.odp',
  '.xls',
  '.xlsx',
  '.ods',
  '.pages',
  '.key',
  '.numbers',
  '.djvu',
  '.mobi',
  '.xps',
]);

export function kindOf(file: string): DocumentKind | undefined {
  return KINDS[path.extname(file).toLowerCase()];
}

interface WalkOptions {
  /** Extensions admitted (by kind); others are ignored or reported as unsupported. */
  kinds: ReadonlySet<DocumentKind>;
}

class Collector {
  readonly files: CorpusFile[] = [];
  readonly skipped: SkippedFile[] = [];
  private readonly seenDirs = new Set<string>();
  private readonly seenFiles = new Set<string>();
  private truncated = false;

  constructor(readonly root: string) {}

  private rel(abs: string): string {
    return path.relative(this.root, abs).split(path.sep).join('/');
  }

  addFile(abs: string, stats: Stats, opts: WalkOptions): void {
    if (this.files.length >= MAX_FILES) {
      if (!this.truncated) {
        this.truncated = true;
        this.skipped.push({
          rel: this.rel(abs),
          reason: `corpus has more than ${MAX_FILES} files; this and later files were not read`,
        });
      }
      return;
    }
    const ext = path.extname(abs).toLowerCase();
    const kind = kindOf(abs);
    if (!kind || !opts.kinds.has(kind)) {
      if (UNSUPPORTED_DOCUMENTS.has(ext)) {
        this.skipped.push({
          rel: this.rel(abs),
          reason: `unsupported format ${ext} (supported: .md, .markdown, .txt, .html, .htm, .pdf)`,
        });
      }
      return;
    }
    if (this.seenFiles.has(abs)) return;
    this.seenFiles.add(abs);
    if (stats.size > MAX_FILE_BYTES) {
      const mb = (stats.size / 1024 / 1024).toFixed(1);
      this.skipped.push({ rel: this.rel(abs), reason: `file is ${mb} MB, larger than the 5 MB limit` });
      return;
    }
    this.files.push({
      rel: this.rel(abs),
      abs,
      kind,
      size: stats.size,
      stamp: `${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}:${stats.ino}`,
    });
  }

  /** Recursive walk: skips dotfiles, nested node_modules and symlink cycles. */
  walk(dir: string, opts: WalkOptions): void {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return;
    }
    if (this.seenDirs.has(real)) return;
    this.seenDirs.add(real);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      this.skipped.push({
        rel: this.rel(dir) || '.',
        reason: `directory not readable: ${(err as Error).message}`,
      });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const abs = path.join(dir, entry.name);
      let stats: Stats;
      try {
        stats = statSync(abs); // follows symlinks
      } catch {
        continue; // dangling symlink
      }
      if (stats.isDirectory()) this.walk(abs, opts);
      else if (stats.isFile()) this.addFile(abs, stats, opts);
    }
  }

  listing(): CorpusListing {
    this.files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
    return { root: this.root, files: this.files, skipped: this.skipped };
  }
}

const ALL_KINDS: ReadonlySet<DocumentKind> = new Set(['markdown', 'text', 'html', 'pdf']);
const MARKDOWN_ONLY: ReadonlySet<DocumentKind> = new Set(['markdown']);

/** Every readable file under `root` (a user corpus directory that is known to exist). */
export function listDirectory(root: string): CorpusListing {
  const collector = new Collector(root);
  collector.walk(root, { kinds: ALL_KINDS });
  return collector.listing();
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** node_modules directories Node would search from the package root, nearest first. */
function nodeModulesDirs(root: string): string[] {
  const out: string[] = [];
  let dir = root;
  for (;;) {
    const nm = path.join(dir, 'node_modules');
    if (isDir(nm)) out.push(nm);
    const parent = path.dirname(dir);
    if (parent === dir) return out;
    dir = parent;
  }
}

/** Package directories of the dependencies whose documentation makes up the default corpus. */
export function defaultCorpusPackages(root = packageRoot): string[] {
  const found = new Map<string, string>();
  for (const nm of nodeModulesDirs(root)) {
    for (const [scope, accept] of [
      ['@temporalio', (_: string) => true],
      ['@openai', (name: string) => name.startsWith('agents-')],
    ] as const) {
      const scopeDir = path.join(nm, scope);
      if (!isDir(scopeDir)) continue;
      for (const name of readdirSync(scopeDir).sort()) {
        const id = `${scope}/${name}`;
        if (found.has(id) || name.startsWith('.') || !accept(name)) continue;
        const pkgDir = path.join(scopeDir, name);
        if (isDir(pkgDir)) found.set(id, pkgDir);
      }
    }
  }
  return [...found.values()];
}

/**
 * The default corpus: README*.md and docs/**\/*.md of the installed @temporalio/* and
 * @openai/agents-* packages, plus the project's own docs/ folder. Paths are relative to the
 * steadfast package root.
 */
export function listDefaultCorpus(root = packageRoot): CorpusListing {
  const collector = new Collector(root);
  for (const pkgDir of defaultCorpusPackages(root)) {
    for (const name of readdirSync(pkgDir).sort()) {
      if (!/^readme.*\.md$/i.test(name)) continue;
      const abs = path.join(pkgDir, name);
      try {
        const stats = statSync(abs);
        if (stats.isFile()) collector.addFile(abs, stats, { kinds: MARKDOWN_ONLY });
      } catch {
        // unreadable entry: ignore
      }
    }
    const docs = path.join(pkgDir, 'docs');
    if (isDir(docs)) collector.walk(docs, { kinds: MARKDOWN_ONLY });
  }
  const ownDocs = path.join(root, 'docs');
  if (isDir(ownDocs)) collector.walk(ownDocs, { kinds: ALL_KINDS });
  return collector.listing();
}
