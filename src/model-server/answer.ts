/**
 * The answer writer: what the model says once it calls no tool. A schema gets a filled,
 * validated instance; otherwise a short extractive answer from the best sentences of the
 * material. Another writing strategy replaces this module without touching the tool policy.
 */
import type { Decision } from './decision.js';
import { rankSentences, type Conversation, type Material } from './material.js';
import { fillSchema } from './schema-fill.js';
import { identifierWords, terms } from './text.js';

/** The answer for the conversation's requested format (JSON schema, JSON object or text). */
export function writeAnswer(conv: Conversation, material: Material): Decision {
  if (conv.schema) {
    const result = fillSchema(conv.schema as Record<string, any>, material, { mode: 'answer' });
    return { kind: 'json', text: JSON.stringify(result.value), valid: result.valid };
  }
  const text = plainAnswer(material);
  if (conv.jsonObject) return { kind: 'json', text: JSON.stringify({ answer: text }), valid: true };
  return { kind: 'text', text };
}

/** A short extractive answer: the best few sentences for the question, cited by source id. */
export function plainAnswer(material: Material): string {
  const query = new Map<string, number>();
  for (const t of terms(material.question)) query.set(t, 1);
  const ranked = rankSentences(material, query, new Set()).filter(
    (s) => s.text.trim() !== material.question.trim()
  );
  const prose = ranked.filter((s) => !s.background);
  if (prose.length === 0) {
    // Tool outputs without prose (e.g. dates, counts): answer with the facts they returned.
    const facts = factsFrom(material);
    if (facts) return material.question ? `${material.question.trim()}: ${facts}.` : `${facts}.`;
  }
  const picked = ranked.slice(0, 3);
  if (picked.length === 0) {
    return material.question
      ? `No source material was provided; the request was about: ${material.question.trim()}`
      : 'No material was provided.';
  }
  const lines = picked.map((s) => (s.sourceId !== undefined ? `${s.text} [${s.sourceId}]` : s.text));
  return material.checklist ? lines.map((l) => `- [ ] ${l}`).join('\n') : lines.join(' ');
}

/** "key value; key value" for the primitive values in the material's JSON, skipping the question itself. */
function factsFrom(material: Material): string | undefined {
  const parts: string[] = [];
  for (const [key, values] of material.keyValues) {
    const shown = values.filter((v) => String(v).trim() !== material.question.trim()).slice(0, 3);
    if (shown.length === 0) continue;
    parts.push(`${identifierWords(key).join(' ')} ${shown.join(', ')}`);
    if (parts.length >= 8) break;
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}
