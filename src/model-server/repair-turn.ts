/**
 * A repair turn ("Your previous reply cannot be used: …", src/common/repair-turn.ts) asks for the
 * same answer again, correctly. The offline model is deterministic: it answers the request as it
 * stood before its unusable reply, which it neither quotes nor takes for evidence.
 */
import { REPAIR_OPENING } from '../common/repair-turn.js';
import type { Conversation } from './material.js';

export function withoutRepairTurn(conv: Conversation): Conversation {
  const items = [...conv.items];
  const last = items.at(-1);
  if (last?.kind !== 'message' || last.role !== 'user' || !last.text.trimStart().startsWith(REPAIR_OPENING))
    return conv;
  items.pop();
  const reply = items.at(-1);
  if (reply?.kind === 'message' && reply.role === 'assistant') items.pop();
  return { ...conv, items };
}
