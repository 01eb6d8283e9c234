import type { ChatEvent, ConversationStreamEvent } from '../../common/conversation-types.js';
import { numberCitations, type Evidence } from '../citations.js';
import { EVENTS_TOPIC, TOKENS_TOPIC } from './messages.js';

// "The streamed text" of a turn, and how clients show it. The model's text deltas of the turn's
// latest model response (a `response_started` event begins a new one: a retried call, or the answer
// after a tool call) are the streamed text. The workflow's answer is that text with its `[sourceId]`
// markers numbered by numberCitations, over the passages the turn announced (`turn` and `sources`
// events). A client applies the same function to the text streamed so far, holding back a marker
// that is not closed yet, so what it shows only grows, and ends equal to the answer. Pure: the CLI
// and the API server run it on the stream; tests check it against the durable answer.

interface TurnText {
  turn: number;
  known: Map<string, Evidence>;
  /** The streamed text of the turn's latest model response. */
  raw: string;
  /** What has been shown of it, renumbered. */
  shown: string;
  cited: number;
}

/** Turns the conversation's stream items (topic + decoded data) into display events. */
export class ChatRenderer {
  private current?: TurnText;

  /** The turn being shown, if any. */
  get turn(): number | undefined {
    return this.current?.turn;
  }

  feed(topic: string, data: unknown): ChatEvent[] {
    if (topic === EVENTS_TOPIC) return this.onEvent(data as ConversationStreamEvent);
    if (topic === TOKENS_TOPIC && this.current) return this.onModelEvent(this.current, data);
    return [];
  }

  private onEvent(e: ConversationStreamEvent): ChatEvent[] {
    if (e.kind === 'turn') {
      this.current = { turn: e.turn, known: placeholders(e.sourceIds), raw: '', shown: '', cited: 0 };
      return [{ type: 'turn', turn: e.turn, updateId: e.updateId, question: e.question }];
    }
    const t = this.current;
    if (!t || t.turn !== e.turn) return [];
    if (e.kind === 'sources') {
      for (const [id, p] of placeholders(e.sourceIds)) if (!t.known.has(id)) t.known.set(id, p);
      return [];
    }
    this.current = undefined;
    if (e.kind === 'failed') return [{ type: 'failed', turn: e.turn, error: e.error }];
    return [...show(t, t.raw), { type: 'answered', turn: e.turn }];
  }

  private onModelEvent(t: TurnText, data: unknown): ChatEvent[] {
    const event = data as { type?: string; delta?: unknown };
    if (event?.type === 'response_started') {
      t.raw = '';
      t.shown = '';
      t.cited = 0;
      return [{ type: 'reset', turn: t.turn }];
    }
    if (event?.type !== 'output_text_delta' || typeof event.delta !== 'string') return [];
    t.raw += event.delta;
    return show(t, stablePrefix(t.raw));
  }
}

/** The display text of `raw`: its markers numbered as the workflow numbers them. */
export function renumbered(raw: string, known: ReadonlyMap<string, Evidence>): string {
  return numberCitations([raw], known as Map<string, Evidence>).texts[0]!;
}

/** Events that bring what is shown of the turn up to `text` (renumbered). */
function show(t: TurnText, text: string): ChatEvent[] {
  const { texts, citations } = numberCitations([text], t.known);
  const display = texts[0]!;
  const out: ChatEvent[] = [];
  if (display.startsWith(t.shown)) {
    if (display.length > t.shown.length)
      out.push({ type: 'text', turn: t.turn, text: display.slice(t.shown.length) });
  } else {
    // Not reached with the hold-back below; if it were, start the turn's text over rather than show it wrong.
    out.push({ type: 'reset', turn: t.turn }, { type: 'text', turn: t.turn, text: display });
    t.cited = 0;
  }
  t.shown = display;
  for (const c of citations.slice(t.cited))
    out.push({ type: 'cite', turn: t.turn, n: c.n, sourceId: c.sourceId });
  t.cited = citations.length;
  return out;
}

/**
 * The part of the streamed text whose renumbering cannot change: a bracket that is not closed
 * yet (it may become a citation marker) is held back, and so is a marker at the very end (it may
 * still turn out to be a link's text, "[text](url)"). A bracket that cannot become a marker — past
 * a line break or 400 characters, as numberCitations reads them — is not held.
 */
export function stablePrefix(raw: string): string {
  const open = unclosedBracket(raw);
  if (open >= 0) return raw.slice(0, open);
  if (raw.endsWith(']')) {
    const marker = unclosedBracket(raw.slice(0, -1));
    if (marker >= 0) return raw.slice(0, marker);
  }
  return raw;
}

/** The first `[` after the last `]` or line break, if it is close enough to the end to still close. */
function unclosedBracket(text: string): number {
  const from = Math.max(text.lastIndexOf(']'), text.lastIndexOf('\n')) + 1;
  const open = text.indexOf('[', from);
  return open >= 0 && text.length - open <= 401 ? open : -1;
}

function placeholders(ids: string[]): Map<string, Evidence> {
  return new Map(ids.map((id) => [id, { sourceId: id, path: '', title: '', excerpt: '' }]));
}
