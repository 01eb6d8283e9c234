import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { packageRoot } from '../paths.js';
import { WordPiece } from './wordpiece.js';

/**
 * A sentence encoder (all-MiniLM-L6-v2 as an ONNX graph whose output is the mean-pooled,
 * L2-normalised embedding) run in-process with ONNX Runtime. Texts that mean the same get
 * vectors whose dot product is high even when they share no word. Optional: installed by
 * `npm run encoder` into `.encoder/` (or named by STEADFAST_ENCODER); without it retrieval and
 * the offline writer match words only.
 */
export interface SentenceEncoder {
  /** Names the model and how texts go through it: caches of vectors are per encoder. */
  readonly id: string;
  readonly dimensions: number;
  /** One unit vector per text, concatenated. */
  encode(texts: readonly string[]): Promise<Float32Array>;
}

/** Tokens per text: the encoder was trained on 128. */
export const MAX_TOKENS = 128;

/** What `npm run encoder` writes beside the model. */
export interface EncoderManifest {
  model: string;
  sha256: string;
  dimensions: number;
}

const resolved = new Map<string, string | undefined>();

/**
 * The encoder's directory: STEADFAST_ENCODER (a directory, or "off"), else `.encoder/` when
 * installed. Looked up once per setting (every search and model request asks): an encoder installed
 * while a process runs is used from its next start, as its start line says.
 */
export function encoderDir(): string | undefined {
  const setting = process.env['STEADFAST_ENCODER']?.trim() ?? '';
  if (!resolved.has(setting)) {
    const dir = setting ? path.resolve(setting) : path.join(packageRoot, '.encoder');
    const off = setting === 'off' || (!setting && !existsSync(path.join(dir, 'manifest.json')));
    resolved.set(setting, off ? undefined : dir);
  }
  return resolved.get(setting);
}

/** One line for a worker's start: whether corpus search and the offline writer use meaning. */
export function describeEncoder(): string {
  const dir = encoderDir();
  if (dir) return `steadfast: search by meaning and words (sentence encoder ${dir})`;
  return process.env['STEADFAST_ENCODER']?.trim() === 'off'
    ? 'steadfast: search by words only (STEADFAST_ENCODER=off)'
    : 'steadfast: search by words only (`npm run encoder` adds search by meaning)';
}

/** The part of onnxruntime-node's API the encoder uses (the package is installed with the encoder). */
interface OrtTensor {
  readonly data: unknown;
}
interface Ort {
  InferenceSession: {
    create(
      path: string,
      options: { intraOpNumThreads: number; interOpNumThreads: number; graphOptimizationLevel: 'all' }
    ): Promise<{ run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>> }>;
  };
  Tensor: new (type: 'int64', data: BigInt64Array, dims: number[]) => OrtTensor;
}

/** onnxruntime-node from the encoder's own runtime folder, else from the project's dependencies. */
function loadRuntime(dir: string): Ort {
  const attempts: string[] = [];
  for (const from of [path.join(dir, 'runtime', 'package.json'), import.meta.url]) {
    try {
      return createRequire(from)('onnxruntime-node') as Ort;
    } catch (err) {
      attempts.push((err as Error).message.split('\n')[0]!);
    }
  }
  throw new Error(attempts.join('; '));
}

export async function openEncoder(dir: string, threads: number): Promise<SentenceEncoder> {
  const fix = `Fix: run \`npm run encoder\` to install it, or set STEADFAST_ENCODER=off to match words only.`;
  let manifest: EncoderManifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as EncoderManifest;
  } catch (err) {
    throw new Error(`No sentence encoder at ${dir}: ${(err as Error).message}. ${fix}`, { cause: err });
  }
  const vocab = (await readFile(path.join(dir, 'vocab.txt'), 'utf8')).split('\n');
  if (vocab.at(-1) === '') vocab.pop();
  const wordPiece = new WordPiece(vocab);
  let ort: Ort;
  try {
    ort = loadRuntime(dir);
  } catch (err) {
    throw new Error(
      `The sentence encoder needs onnxruntime-node, which did not load (${(err as Error).message}). ${fix}`,
      { cause: err }
    );
  }
  const session = await ort.InferenceSession.create(path.join(dir, 'model.onnx'), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const dimensions = manifest.dimensions;
  // ONNX Runtime runs one inference at a time per session here: calls queue.
  let queue: Promise<unknown> = Promise.resolve();
  // One text per inference: the 8-bit model quantises its activations over the whole input, so a
  // text's vector would depend on the texts batched with it (and the order requests arrive in).
  // Alone, a text always gets the same vector; on two cores it is no slower than batches of eight.
  const run = async (texts: readonly string[]): Promise<Float32Array> => {
    const out = new Float32Array(texts.length * dimensions);
    for (const [i, text] of texts.entries()) {
      const ids = BigInt64Array.from(wordPiece.encode(text, MAX_TOKENS), (id) => BigInt(id));
      const result = await session.run({
        input_ids: new ort.Tensor('int64', ids, [1, ids.length]),
        attention_mask: new ort.Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
      });
      out.set((result['embedding']!.data as Float32Array).subarray(0, dimensions), i * dimensions);
    }
    return out;
  };
  return {
    // The model and how texts go through it (one at a time): cached vectors are per both.
    id: createHash('sha256').update(`${manifest.sha256}\0one text per run`).digest('hex'),
    dimensions,
    encode(texts) {
      const next = queue.then(() => run(texts));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

let shared: { dir: string; encoder: Promise<SentenceEncoder> } | undefined;

/** This process's encoder, opened once; undefined when none is installed or it is turned off. */
export function sharedEncoder(): Promise<SentenceEncoder> | undefined {
  const dir = encoderDir();
  if (!dir) return undefined;
  if (shared?.dir !== dir) {
    const threads = Number(process.env['STEADFAST_ENCODER_THREADS'] ?? 1);
    shared = { dir, encoder: openEncoder(dir, Number.isInteger(threads) && threads > 0 ? threads : 1) };
  }
  return shared.encoder;
}

/** Dot product of two unit vectors stored at `a` and `b` (in `dimensions`-float rows). */
export function cosine(x: Float32Array, a: number, y: Float32Array, b: number, dimensions: number): number {
  let s = 0;
  for (let k = 0; k < dimensions; k++) s += x[a * dimensions + k]! * y[b * dimensions + k]!;
  return s;
}
