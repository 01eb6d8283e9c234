/**
 * Question sets: JSON files under bench/eval/sets/, each a list of questions over one or more corpus
 * folders. Loading checks the shape; checkSets checks every question against its files, so a set
 * that points at the wrong file or misquotes it is refused before anything runs.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { decodeText, documentBytes } from '../../src/activities/corpus/extract.js';
import { UserError } from '../../src/common/errors.js';
import { packageRoot } from '../../src/common/paths.js';
import { alternatives, containsTerm, matchKey, stripMarkup } from './text.js';

export interface EvalQuestion {
  id: string;
  /** As a user would ask it. */
  question: string;
  /** The corpus folder, relative to the repository root. */
  corpus: string;
  /** Path of the file holding the answer, relative to the corpus folder ('/' separated). */
  expectedSource: string;
  /** A short verbatim excerpt of that file (≤ 250 characters) that holds the answer. */
  evidence: string;
  /** Terms a correct answer contains; an entry may list alternatives separated by `|`. */
  keyTerms: string[];
  /** Part of the subset the test suite runs. */
  ci?: boolean;
}

export interface EvalSet {
  /** The file name without .json. */
  name: string;
  file: string;
  description?: string;
  questions: EvalQuestion[];
}

export type Subset = 'all' | 'ci';

export const SETS_DIR = path.join(packageRoot, 'bench', 'eval', 'sets');
export const MAX_EVIDENCE_CHARS = 250;

/** Every set under bench/eval/sets/, by file name. */
export async function defaultSetFiles(): Promise<string[]> {
  const names = (await readdir(SETS_DIR)).filter((n) => n.endsWith('.json')).sort();
  return names.map((n) => path.join(SETS_DIR, n));
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** The problems with one question's shape (empty when it is well formed). */
function shapeProblems(q: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of ['id', 'question', 'corpus', 'expectedSource', 'evidence'] as const) {
    if (typeof q[key] !== 'string' || !(q[key] as string).trim())
      problems.push(`"${key}" must be a non-empty string`);
  }
  if (
    !isStringArray(q.keyTerms) ||
    q.keyTerms.length === 0 ||
    q.keyTerms.some((t) => !alternatives(t).length)
  ) {
    problems.push('"keyTerms" must be a non-empty list of non-empty strings');
  }
  if (q.ci !== undefined && typeof q.ci !== 'boolean') problems.push('"ci" must be true or false');
  if (typeof q.evidence === 'string' && q.evidence.length > MAX_EVIDENCE_CHARS) {
    problems.push(`"evidence" is ${q.evidence.length} characters; at most ${MAX_EVIDENCE_CHARS}`);
  }
  if (
    typeof q.expectedSource === 'string' &&
    (path.isAbsolute(q.expectedSource) || q.expectedSource.includes('..'))
  ) {
    problems.push('"expectedSource" must be a path inside the corpus folder, e.g. "api/dns.md"');
  }
  return problems;
}

/** Reads and shape-checks one set file; a UserError names the file, the question and the fix. */
export async function loadSet(file: string): Promise<EvalSet> {
  const abs = path.resolve(file);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(abs, 'utf8'));
  } catch (err) {
    throw new UserError(
      `cannot read the question set ${abs}: ${(err as Error).message}`,
      'pass a JSON file like bench/eval/sets/git-manual.json'
    );
  }
  const list = Array.isArray(raw) ? raw : (raw as { questions?: unknown } | null)?.questions;
  if (!Array.isArray(list) || list.length === 0) {
    throw new UserError(
      `${abs} holds no questions`,
      'a set is {"questions": [{id, question, corpus, expectedSource, evidence, keyTerms}, …]}'
    );
  }
  const problems: string[] = [];
  const ids = new Set<string>();
  list.forEach((q, i) => {
    const label = `question ${i + 1}${typeof q?.id === 'string' ? ` (${q.id})` : ''}`;
    if (!q || typeof q !== 'object') return problems.push(`${label}: not an object`);
    for (const p of shapeProblems(q as Record<string, unknown>)) problems.push(`${label}: ${p}`);
    if (typeof q.id === 'string' && ids.has(q.id)) problems.push(`${label}: duplicate id`);
    ids.add(q.id);
  });
  if (problems.length) {
    throw new UserError(
      `invalid question set ${abs}:\n  ${problems.join('\n  ')}`,
      'fix the questions listed'
    );
  }
  const description = Array.isArray(raw) ? undefined : (raw as { description?: unknown }).description;
  return {
    name: path.basename(abs, '.json'),
    file: abs,
    ...(typeof description === 'string' ? { description } : {}),
    questions: list as EvalQuestion[],
  };
}

export async function loadSets(files?: readonly string[]): Promise<EvalSet[]> {
  const chosen = files && files.length > 0 ? files : await defaultSetFiles();
  const sets = await Promise.all(chosen.map((f) => loadSet(f)));
  const seen = new Map<string, string>();
  for (const s of sets) {
    for (const q of s.questions) {
      const other = seen.get(q.id);
      if (other)
        throw new UserError(`question id ${q.id} is in both ${other} and ${s.file}`, 'ids must be unique');
      seen.set(q.id, s.file);
    }
  }
  return sets;
}

/** The questions of a set that a subset keeps. */
export function selectQuestions(set: EvalSet, subset: Subset): EvalQuestion[] {
  return subset === 'ci' ? set.questions.filter((q) => q.ci === true) : set.questions;
}

export function corpusRoot(q: EvalQuestion): string {
  return path.resolve(packageRoot, q.corpus);
}

export interface SetCheck {
  /** Questions that cannot be measured as written (wrong folder, wrong file, misquoted evidence). */
  errors: string[];
  /** Questions that can be measured but may be unfair, e.g. the evidence also appears in another file. */
  warnings: string[];
}

async function corpusFiles(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await corpusFiles(root, full)));
    else if (entry.isFile()) out.push(path.relative(root, full).split(path.sep).join('/'));
  }
  return out;
}

/**
 * Checks each question against its corpus: the folder and the expected file exist, the evidence is
 * in that file (compared by matchKey) and every key term occurs in it. Warns when the evidence is
 * also found in another file of the corpus, where citing it would be just as right.
 */
export async function checkSets(sets: readonly EvalSet[], subset: Subset = 'all'): Promise<SetCheck> {
  const errors: string[] = [];
  const warnings: string[] = [];
  const keys = new Map<string, Map<string, { key: string; text: string }>>();
  const filesOf = async (root: string) => {
    let files = keys.get(root);
    if (!files) {
      files = new Map();
      for (const rel of await corpusFiles(root)) {
        // Read as the corpus reads it: gzipped uncompressed, decoded (terminal formatting dropped).
        const raw = await readFile(path.join(root, rel));
        let text: string;
        try {
          text = decodeText(documentBytes(rel, raw));
        } catch {
          text = raw.toString('utf8'); // binary (a PDF): its text is not compared here
        }
        files.set(rel, { key: matchKey(text), text: stripMarkup(text) });
      }
      keys.set(root, files);
    }
    return files;
  };
  for (const set of sets) {
    for (const q of selectQuestions(set, subset)) {
      const where = `${set.name}/${q.id}`;
      const root = corpusRoot(q);
      const isDir = await stat(root).then(
        (s) => s.isDirectory(),
        () => false
      );
      if (!isDir) {
        errors.push(
          `${where}: corpus folder ${q.corpus} does not exist (paths are relative to the repository root)`
        );
        continue;
      }
      const files = await filesOf(root);
      const expected = files.get(q.expectedSource);
      if (!expected) {
        errors.push(`${where}: ${q.expectedSource} is not a file of ${q.corpus}`);
        continue;
      }
      const evidence = matchKey(q.evidence);
      if (!evidence) errors.push(`${where}: the evidence has no letters or digits`);
      else if (!expected.key.includes(evidence)) {
        errors.push(`${where}: the evidence is not in ${q.expectedSource} (copy it from the file)`);
      }
      for (const entry of q.keyTerms) {
        if (!alternatives(entry).some((alt) => containsTerm(expected.text, alt))) {
          errors.push(`${where}: key term "${entry}" does not occur in ${q.expectedSource}`);
        }
      }
      const elsewhere = [...files].filter(
        ([rel, f]) => rel !== q.expectedSource && evidence && f.key.includes(evidence)
      );
      if (elsewhere.length) {
        warnings.push(`${where}: the evidence is also in ${elsewhere.map(([rel]) => rel).join(', ')}`);
      }
    }
  }
  return { errors, warnings };
}
