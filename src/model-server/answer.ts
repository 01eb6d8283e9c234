/**
 * The answer writer: what the model says once it calls no tool. A schema gets a filled,
 * validated instance; otherwise a short extractive answer: the sentences of the material that
 * answer the question, cited by source id. Another writing strategy replaces this module without
 * touching the tool policy.
 */
import { writeSummary } from './compose.js';
import type { Decision } from './decision.js';
import { evidenceFor } from './evidence.js';
import type { Conversation, Material } from './material.js';
import { fillSchema } from './schema-fill.js';
import { identifierWords } from './text.js';

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
  const evidence = evidenceFor(material);
  if (evidence.cands.length === 0) {
    // Tool outputs without prose (e.g. dates, counts): answer with the facts they returned.
    const facts = factsFrom(material);
    if (facts) return material.question ? `${material.question.trim()}: ${facts}.` : `${facts}.`;
    return material.question
      ? `No source material was provided; the request was about: ${material.question.trim()}`
      : 'No material was provided.';
  }
  return writeSummary(evidence, { maxSentences: 3, checklist: material.checklist }).text;
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
