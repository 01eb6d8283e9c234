/**
 * Closeness in meaning between the question and each quotable unit, from the sentence encoder
 * when one is installed: the offline writer's one signal that does not depend on shared words
 * ("cap the heap" answers a question about a size limit). The encoder is asynchronous and the
 * writer is not, so the request handler primes the vectors of a request's texts before the
 * writer runs; the writer then reads them synchronously. Without an encoder nothing is primed and
 * the writer matches words only.
 */
import { cosine, sharedEncoder } from '../common/encoder/sentence-encoder.js';
import { evidencePassages } from './evidence.js';
import { extractMaterial, type Conversation } from './material.js';
import { meaningTexts } from './meaning-text.js';
import { withoutRepairTurn } from './repair-turn.js';

const vectors = new Map<string, Float32Array>();
const MAX_REMEMBERED = 50_000;
let warned = false;

/**
 * Encodes the question and every quotable unit of a request (those not encoded before), as the
 * writer reads it: without a repair turn.
 */
export async function primeMeaning(conv: Conversation): Promise<void> {
  const opening = sharedEncoder();
  if (!opening) return;
  const material = extractMaterial(withoutRepairTurn(conv));
  if (!material.ask.question) return;
  const texts = new Set<string>([material.ask.question]);
  for (const p of evidencePassages(material))
    for (const u of p.units) for (const t of meaningTexts(u, p.title)) texts.add(t);
  const missing = [...texts].filter((t) => !vectors.has(t));
  if (missing.length === 0) return;
  try {
    const encoder = await opening;
    const out = await encoder.encode(missing);
    if (vectors.size + missing.length > MAX_REMEMBERED) vectors.clear();
    missing.forEach((t, i) =>
      vectors.set(t, out.subarray(i * encoder.dimensions, (i + 1) * encoder.dimensions))
    );
  } catch (err) {
    if (!warned)
      console.warn(
        `offline model: sentence encoder unavailable, matching words only: ${(err as Error).message}`
      );
    warned = true;
  }
}

/** Cosine of two primed texts; undefined when either was not primed. */
export function meaning(a: string, b: string): number | undefined {
  const x = vectors.get(a);
  const y = vectors.get(b);
  return x && y ? cosine(x, 0, y, 0, x.length) : undefined;
}
