import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  cosine,
  encoderDir,
  sharedEncoder,
  type SentenceEncoder,
} from '../../common/encoder/sentence-encoder.js';
import { corpusCacheDir } from './paths.js';
import type { StoredPassage } from './passages.js';

/**
 * The corpus's passages as sentence-encoder vectors, for retrieval by meaning beside words.
 * A passage is read in windows of WINDOW_WORDS words (the encoder reads 128 tokens), each headed by
 * the passage's title; its closeness to a question is its closest window's. Built once per corpus
 * and encoder, and cached by what was encoded: a corpus whose passages are unchanged under a new id
 * (a new word-index format, one more unreadable file) reads the vectors it already has.
 */
const WINDOW_WORDS = 80;
const STRIDE_WORDS = 60;

export interface MeaningIndex {
  encoder: SentenceEncoder;
  /** One vector per window. */
  vectors: Float32Array;
  /** The passage of each window. */
  owner: Int32Array;
}

export function passageWindows(p: Pick<StoredPassage, 'title' | 'text'>): string[] {
  const words = p.text.split(/\s+/).filter(Boolean);
  const head = p.title ? `${p.title}: ` : '';
  const out: string[] = [];
  for (let from = 0; ; from += STRIDE_WORDS) {
    out.push(head + words.slice(from, from + WINDOW_WORDS).join(' '));
    if (from + WINDOW_WORDS >= words.length) return out;
  }
}

const memo = new Map<string, Promise<MeaningIndex | undefined>>();
let warned = false;

/**
 * The meaning index of a loaded corpus, or undefined when no encoder is installed (or it failed
 * to load: then once a warning, and words alone).
 */
export function meaningIndex(
  corpusId: string,
  passages: readonly StoredPassage[],
  onProgress?: (done: number, total: number) => void
): Promise<MeaningIndex | undefined> {
  const opening = sharedEncoder();
  if (!opening) return Promise.resolve(undefined);
  // Per corpus and encoder folder: vectors of one model are never read as another's.
  const key = `${encoderDir()}\0${corpusId}`;
  let known = memo.get(key);
  if (!known) {
    known = build(opening, passages, onProgress).catch((err: Error) => {
      if (!warned)
        console.warn(`steadfast: sentence encoder unavailable, matching words only: ${err.message}`);
      warned = true;
      return undefined;
    });
    memo.set(key, known);
    if (memo.size > 8) memo.delete(memo.keys().next().value as string);
  }
  return known;
}

async function build(
  opening: Promise<SentenceEncoder>,
  passages: readonly StoredPassage[],
  onProgress?: (done: number, total: number) => void
): Promise<MeaningIndex> {
  const encoder = await opening;
  const texts: string[] = [];
  const owner: number[] = [];
  passages.forEach((p, i) => {
    for (const w of passageWindows(p)) {
      texts.push(w);
      owner.push(i);
    }
  });
  const file = vectorFile(encoder.id, texts);
  const size = texts.length * encoder.dimensions;
  try {
    const buf = await readFile(file);
    if (buf.byteLength === size * 4) {
      const vectors = new Float32Array(size);
      new Uint8Array(vectors.buffer).set(buf);
      return { encoder, vectors, owner: Int32Array.from(owner) };
    }
  } catch {
    // not built yet
  }
  const vectors = new Float32Array(size);
  const STEP = 256;
  for (let from = 0; from < texts.length; from += STEP) {
    vectors.set(await encoder.encode(texts.slice(from, from + STEP)), from * encoder.dimensions);
    onProgress?.(Math.min(texts.length, from + STEP), texts.length);
  }
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, new Uint8Array(vectors.buffer));
  await rename(tmp, file);
  return { encoder, vectors, owner: Int32Array.from(owner) };
}

/** Where the vectors of these windows, by this encoder, are kept: named by their text's hash. */
function vectorFile(encoderId: string, texts: readonly string[]): string {
  const h = createHash('sha256');
  for (const t of texts) h.update(t).update('\0');
  return path.join(
    corpusCacheDir(),
    'meaning',
    `${encoderId.slice(0, 16)}-${h.digest('hex').slice(0, 32)}.f32`
  );
}

/** Each passage's closeness in meaning to `text` (its closest window's cosine; −1 for none). */
export async function meaningScores(
  index: MeaningIndex,
  passages: number,
  text: string
): Promise<Float32Array> {
  const q = await index.encoder.encode([text]);
  const out = new Float32Array(passages).fill(-1);
  const d = index.encoder.dimensions;
  for (let w = 0; w < index.owner.length; w++) {
    const s = cosine(index.vectors, w, q, 0, d);
    const p = index.owner[w]!;
    if (s > out[p]!) out[p] = s;
  }
  return out;
}
