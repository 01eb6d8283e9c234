import {
  closeSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  statSync,
  type Stats,
} from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../common/paths.js';

export type DocumentKind =
  'markdown' | 'text' | 'org' | 'config' | 'script' | 'pod' | 'html' | 'docbook' | 'pdf';

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
  '.text': 'text',
  // reStructuredText and AsciiDoc are read as plain text: their underlined headings, definition
  // lists and literal blocks are what the text reader recognises (text-blocks.ts).
  '.rst': 'text',
  '.adoc': 'text',
  '.asciidoc': 'text',
  // Org mode: outline stars head its sections (read as Markdown, org.ts).
  '.org': 'org',
  // Configuration examples, as documentation folders ship them: comments explain each setting
  // (read as prose over the settings as code, config.ts).
  '.conf': 'config',
  '.cfg': 'config',
  '.ini': 'config',
  '.cnf': 'config',
  // APT's source lists (sources.list), commented like configuration.
  '.list': 'config',
  // Scripts commented with "#", as example folders ship them: the comments say what the script
  // does and how to run it (read as prose over the code, config.ts); a script without comments
  // gives no passage.
  '.sh': 'script',
  '.bash': 'script',
  '.zsh': 'script',
  '.ksh': 'script',
  '.awk': 'script',
  '.sed': 'script',
  '.py': 'script',
  '.rb': 'script',
  '.tcl': 'script',
  // Perl's documentation: a .pod file, or the POD of a module or script (its code is not read, pod.ts).
  '.pod': 'pod',
  '.pm': 'pod',
  '.pl': 'pod',
  '.html': 'html',
  '.htm': 'html',
  // Manual pages and books written in DocBook; other XML is data, reported as skipped (extract.ts).
  '.xml': 'docbook',
  '.pdf': 'pdf',
};

/**
 * Documentation files named by what they are, without an extension (README, NEWS, INSTALL…), and
 * their variants: a Debian one (README.Debian, changelog.Debian.amd64), one of a version or a year
 * (v2.13-ReleaseNotes, ChangeLog-2013, changelog.1), a README about one thing ("README.dns",
 * "README.C++", "descore.README"). Plain text, unless the last extension says it is code or data
 * ("install.sh").
 */
const DOC_WORD =
  '(?:readme|install|news|changes|change-?log|release-?notes|history|authors|thanks|todo|bugs|faq|notice|copying|licen[cs]e|contributing|hacking|usage|copyright)';
const DOC_NAME = new RegExp(`^(?:[\\w.+-]{1,40}[._-])?${DOC_WORD}(?:[._-][\\w.+-]{1,24})?$`, 'i');
/** Names in capitals, joined by dots ("RBASH", "POSIX", "MORE.STUFF"); a number may sort them first ("00FAQ"). */
const CAPITALS_NAME = /^(?:\d{1,3})?[A-Z][A-Z0-9_-]{2,}(?:\.[A-Z][A-Za-z0-9_-]+)*$/;
/**
 * A name without an extension is a document in a documentation folder ("Explanations", "QuickRef",
 * "configure-index", "preferences"), not a build recipe named the same way ("Makefile",
 * "Dockerfile", "Gemfile"); a binary file so named is reported as unreadable, not indexed.
 */
const BARE_NAME = /^[\w+-]+$/;
const RECIPE_NAME = /^(?:[A-Z][a-z]*)+file$/;
/** Extensions of code, data and media: a document's name followed by one of these is not a document. */
const NOT_DOCUMENT =
  /\.(?:js|mjs|cjs|ts|c|h|cc|cpp|hpp|cxx|java|go|rs|php|lua|el|json|ya?ml|toml|css|svg|png|jpe?g|gif|ico|bmp|webp|zip|tar|bz2|xz|zst|so|o|a|bin|exe|dll|jar|class|pyc|wasm|woff2?|ttf|otf|mo|gpg|asc|sig)$/i;

/** The first line of a Perl script: "#!/usr/bin/perl -w", "#! /usr/bin/env perl". */
const PERL_SHEBANG = /^#!\s*\S*(?:\/|\s)perl[\d.]*(?:\s|$)/;
/** The first line of a script commented with "#": "#!/bin/sh", "#!/usr/bin/mawk -f", "#!/usr/bin/env python3". */
const SCRIPT_SHEBANG =
  /^#!\s*\S*(?:\/|\s)(?:(?:ba|da|k|z)?sh|[gmn]?awk|sed|python[\d.]*|ruby[\d.]*|tclsh[\d.]*)(?:\s|$)/;

/** What a script's first line says it is: Perl (its POD is read), one commented with "#", or neither. */
export function shebangKind(text: string): 'pod' | 'script' | undefined {
  return PERL_SHEBANG.test(text) ? 'pod' : SCRIPT_SHEBANG.test(text) ? 'script' : undefined;
}

/**
 * A script named some other way ("adduser.local", a hook without a known extension): a Perl
 * script's documentation is its POD, another's its comments. Only the first bytes of a file whose
 * name says nothing are read.
 */
function scriptKind(file: string): DocumentKind | undefined {
  if (
    COMPRESSED.test(file) ||
    NOT_DOCUMENT.test(file) ||
    UNSUPPORTED_DOCUMENTS.has(path.extname(file).toLowerCase())
  )
    return undefined;
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(128);
    const n = readSync(fd, head, 0, head.length, 0);
    return shebangKind(head.subarray(0, n).toString('latin1'));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A gzip-compressed document ("NEWS.gz", "guide.txt.gz", as Debian installs them): read uncompressed. */
export const COMPRESSED = /\.gz$/i;

export const SUPPORTED_FORMATS =
  '.md, .markdown, .txt, .text, .rst, .adoc, .asciidoc, .org, .html, .htm, DocBook .xml, .pdf, configuration examples (.conf, .cfg, .ini, .cnf, .list), the comments of scripts (.sh, .awk, .sed, .py, .rb, .tcl), Perl documentation (.pod, and the POD of .pm, .pl and other Perl scripts), names without an extension (README, Explanations), README-style names (README.dns, v2.13-ReleaseNotes), names in capitals (MORE.STUFF), any of these gzipped (.gz)';

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
  const name = path.basename(file).replace(COMPRESSED, '');
  const known = KINDS[path.extname(name).toLowerCase()];
  if (known) return known;
  if (BARE_NAME.test(name)) return RECIPE_NAME.test(name) ? undefined : 'text';
  if (NOT_DOCUMENT.test(name)) return undefined;
  return DOC_NAME.test(name) || CAPITALS_NAME.test(name) ? 'text' : undefined;
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

  /** `real`: the file's resolved path when `abs` is a symlink (read that, so the link cannot be swapped later). */
  addFile(abs: string, stats: Stats, opts: WalkOptions, real = abs): void {
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
    const kind = kindOf(abs) ?? (stats.size <= MAX_FILE_BYTES ? scriptKind(real) : undefined);
    if (!kind || !opts.kinds.has(kind)) {
      if (UNSUPPORTED_DOCUMENTS.has(ext)) {
        this.skipped.push({
          rel: this.rel(abs),
          reason: `unsupported format ${ext} (supported: ${SUPPORTED_FORMATS})`,
        });
      }
      return;
    }
    if (this.seenFiles.has(real)) return;
    this.seenFiles.add(real);
    if (stats.size > MAX_FILE_BYTES) {
      const mb = (stats.size / 1024 / 1024).toFixed(1);
      this.skipped.push({ rel: this.rel(abs), reason: `file is ${mb} MB, larger than the 5 MB limit` });
      return;
    }
    this.files.push({
      rel: this.rel(abs),
      abs: real,
      kind,
      size: stats.size,
      stamp: `${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}:${stats.ino}`,
    });
  }

  /**
   * Recursive walk: skips dotfiles and nested node_modules. A symlink is followed only when its
   * target lies inside `fence` (the real path of the folder the walk started from); one that
   * points outside, loops or dangles is reported as skipped, like an unreadable file.
   */
  walk(dir: string, opts: WalkOptions, fence?: string): void {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return;
    }
    fence ??= real;
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
      const skip = (reason: string) => this.skipped.push({ rel: this.rel(abs), reason });
      let stats: Stats;
      // Read through resolved paths, so that a folder swapped for a link after listing is not followed.
      let target = path.join(real, entry.name);
      try {
        stats = lstatSync(abs);
        if (stats.isSymbolicLink()) {
          target = realpathSync(abs);
          stats = statSync(target);
          const rel = path.relative(fence, target);
          if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
            if (stats.isDirectory() || kindOf(abs))
              skip('symlink points outside the corpus folder; not followed');
            continue;
          }
        }
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // readdir decodes names as UTF-8: a name that is not cannot be opened by its decoded form.
        if (entry.name.includes('\uFFFD')) skip('file name is not valid UTF-8; rename the file');
        else if (code === 'ELOOP') skip('symlink loop; not followed');
        else if (kindOf(abs)) skip(`could not read: ${code ?? (err as Error).message} (broken symlink?)`);
        continue;
      }
      if (stats.isDirectory()) this.walk(abs, opts, fence);
      else if (stats.isFile()) this.addFile(abs, stats, opts, target);
      else if (kindOf(abs)) skip('not a regular file (a FIFO, socket or device); not read');
    }
  }

  listing(): CorpusListing {
    this.files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
    return { root: this.root, files: this.files, skipped: this.skipped };
  }
}

const ALL_KINDS: ReadonlySet<DocumentKind> = new Set([
  'markdown',
  'text',
  'org',
  'config',
  'script',
  'pod',
  'html',
  'docbook',
  'pdf',
]);
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
 * @openai/agents-* packages, plus the project's own README.md and docs/ folder. Paths are relative to the
 * steadfast package root.
 */
export function listDefaultCorpus(root = packageRoot): CorpusListing {
  const collector = new Collector(root);
  // A README by name; an unreadable or missing one adds nothing.
  const addReadme = (abs: string) => {
    try {
      const stats = statSync(abs);
      if (stats.isFile()) collector.addFile(abs, stats, { kinds: MARKDOWN_ONLY });
    } catch {
      // unreadable entry: ignore
    }
  };
  for (const pkgDir of defaultCorpusPackages(root)) {
    for (const name of readdirSync(pkgDir).sort())
      if (/^readme.*\.md$/i.test(name)) addReadme(path.join(pkgDir, name));
    const docs = path.join(pkgDir, 'docs');
    if (isDir(docs)) collector.walk(docs, { kinds: MARKDOWN_ONLY });
  }
  // steadfast's own README (the commands, the quickstart) and docs/.
  addReadme(path.join(root, 'README.md'));
  const ownDocs = path.join(root, 'docs');
  if (isDir(ownDocs)) collector.walk(ownDocs, { kinds: ALL_KINDS });
  return collector.listing();
}
