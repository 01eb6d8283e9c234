/**
 * A repair turn ("Your previous reply cannot be used: …", src/common/repair-turn.ts) asks for the
 * same answer again, correctly. The offline model is deterministic: it answers the request as it
 * stood before its unusable reply, which it neither quotes nor takes for evidence.
 */
import { REPAIR_OPENING } from '../common/repair-turn.js';
import type { Conversation } from './material.js';

const stripped = new WeakMap<Conversation, Conversation>();

/**
 * The conversation as it stood before a repair turn (itself when there is none). The same object
 * for the same conversation, so that what is computed from it once (its material, primed for the
 * sentence encoder) is found again by the writer.
 */
export function withoutRepairTurn(conv: Conversation): Conversation {
  let out = stripped.get(conv);
  if (!out) stripped.set(conv, (out = strip(conv)));
  return out;
}

function strip(conv: Conversation): Conversation {
  const items = [...conv.items];
  const last = items.at(-1);
  if (last?.kind !== 'message' || last.role !== 'user' || !last.text.trimStart().startsWith(REPAIR_OPENING))
    return conv;
  items.pop();
  const reply = items.at(-1);
  if (reply?.kind === 'message' && reply.role === 'assistant') items.pop();
  return { ...conv, items };
}
