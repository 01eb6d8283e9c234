import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatEvent } from '../../src/common/conversation-types.js';
import { EVENTS_TOPIC, TOKENS_TOPIC } from '../../src/workflows/conversation/messages.js';
import { ChatRenderer, renumbered, stablePrefix } from '../../src/workflows/conversation/stream-text.js';
import { shownText } from './helpers.js';

const A = 'docs/guide.md#L10-L12';
const B = 'node_modules/x/README.md#L3-L9';
const C = 'docs/extra.md#L1-L2';
const known = (ids: string[]) =>
  new Map(ids.map((id) => [id, { sourceId: id, path: id, title: '', excerpt: '' }]));

const RAW =
  `Approval waits on an Update [${A}]. Retries are Temporal's [${B}; ${A}], see [the guide](https://x.test/a) ` +
  `and [${C}]. A made-up source [fake.md#L1] is dropped, a box stays:\n- [ ] check it [${B}]`;

/** Feeds a turn's events and the text in pieces of `size`; returns the display events. */
function render(raw: string, size: number): ChatEvent[] {
  const r = new ChatRenderer();
  const out: ChatEvent[] = [];
  out.push(
    ...r.feed(EVENTS_TOPIC, { kind: 'turn', turn: 3, updateId: 'u', question: 'q?', sourceIds: [A, B, C] })
  );
  out.push(...r.feed(TOKENS_TOPIC, { type: 'response_started' }));
  for (let i = 0; i < raw.length; i += size) {
    out.push(...r.feed(TOKENS_TOPIC, { type: 'output_text_delta', delta: raw.slice(i, i + size) }));
    out.push(...r.feed(TOKENS_TOPIC, { type: 'model', event: { type: 'noise' } }));
  }
  out.push(...r.feed(EVENTS_TOPIC, { kind: 'answered', turn: 3 }));
  return out;
}

test('stablePrefix holds back a marker that is not closed, or closed at the very end', () => {
  assert.equal(stablePrefix(`text [${A}`), 'text ');
  assert.equal(stablePrefix(`text [${A}]`), 'text ');
  assert.equal(stablePrefix(`text [${A}].`), `text [${A}].`);
  assert.equal(stablePrefix(`a [${A}] and [${B}`), `a [${A}] and `);
  assert.equal(stablePrefix('a [b\nc'), 'a [b\nc', 'a line break ends any marker');
  assert.equal(stablePrefix(`a [${'x'.repeat(401)}`), `a [${'x'.repeat(401)}`, 'too long to be a marker');
  assert.equal(stablePrefix(`a [${'x'.repeat(399)}`), 'a ');
  assert.equal(stablePrefix('plain text'), 'plain text');
});

test('the streamed text, renumbered as it arrives in any pieces, only grows and ends equal to the answer', () => {
  const answer = renumbered(RAW, known([A, B, C]));
  assert.match(
    answer,
    /Update \[1\]\. Retries are Temporal's \[2\]\[1\], see \[the guide\]\(https:\/\/x\.test\/a\) and \[3\]\./
  );
  assert.ok(answer.includes('A made-up source  is dropped'), answer);
  assert.ok(answer.includes('- [ ] check it [2]'));
  for (const size of [1, 2, 3, 5, 7, 11, 24, 1000]) {
    const events = render(RAW, size);
    assert.equal(
      events.filter((e) => e.type === 'reset').length,
      1,
      `only the response start resets (pieces of ${size})`
    );
    assert.equal(shownText(events), answer, `pieces of ${size}`);
    assert.deepEqual(
      events.flatMap((e) => (e.type === 'cite' ? [`${e.n}:${e.sourceId}`] : [])),
      [`1:${A}`, `2:${B}`, `3:${C}`]
    );
    assert.deepEqual(events.at(-1), { type: 'answered', turn: 3 });
  }
});

test('sources announced during the turn (a search) count from then on, as in the workflow', () => {
  const r = new ChatRenderer();
  const events: ChatEvent[] = [];
  events.push(
    ...r.feed(EVENTS_TOPIC, { kind: 'turn', turn: 1, updateId: 'u', question: 'q', sourceIds: [A] })
  );
  events.push(...r.feed(TOKENS_TOPIC, { type: 'response_started' }));
  events.push(...r.feed(EVENTS_TOPIC, { kind: 'sources', turn: 1, sourceIds: [C] }));
  events.push(...r.feed(TOKENS_TOPIC, { type: 'response_started' }));
  const raw = `First [${C}], then [${A}].`;
  for (const ch of raw) events.push(...r.feed(TOKENS_TOPIC, { type: 'output_text_delta', delta: ch }));
  events.push(...r.feed(EVENTS_TOPIC, { kind: 'answered', turn: 1 }));
  assert.equal(shownText(events), renumbered(raw, known([A, C])));
  assert.equal(shownText(events), 'First [1], then [2].');
});

test('a model call that starts over (a retry after a crash) replaces the text shown so far', () => {
  const r = new ChatRenderer();
  const events: ChatEvent[] = [];
  events.push(
    ...r.feed(EVENTS_TOPIC, { kind: 'turn', turn: 2, updateId: 'u', question: 'q', sourceIds: [A] })
  );
  events.push(...r.feed(TOKENS_TOPIC, { type: 'response_started' }));
  events.push(...r.feed(TOKENS_TOPIC, { type: 'output_text_delta', delta: 'Half an ans' }));
  events.push(...r.feed(TOKENS_TOPIC, { type: 'response_started' }));
  events.push(...r.feed(TOKENS_TOPIC, { type: 'output_text_delta', delta: `The whole answer [${A}].` }));
  events.push(...r.feed(EVENTS_TOPIC, { kind: 'answered', turn: 2 }));
  assert.equal(shownText(events), 'The whole answer [1].');
  assert.ok(
    events.some((e) => e.type === 'text' && e.text === 'Half an ans'),
    'the first attempt was shown live'
  );
});

test('events of another turn, or tokens before any turn, are not shown', () => {
  const r = new ChatRenderer();
  assert.deepEqual(r.feed(TOKENS_TOPIC, { type: 'output_text_delta', delta: 'orphan' }), []);
  r.feed(EVENTS_TOPIC, { kind: 'turn', turn: 5, updateId: 'u', question: 'q', sourceIds: [] });
  assert.deepEqual(r.feed(EVENTS_TOPIC, { kind: 'answered', turn: 4 }), []);
  assert.deepEqual(r.feed(EVENTS_TOPIC, { kind: 'failed', turn: 5, error: 'boom' }), [
    { type: 'failed', turn: 5, error: 'boom' },
  ]);
  assert.equal(r.turn, undefined);
});
