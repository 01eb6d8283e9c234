import assert from 'node:assert/strict';
import { test } from 'node:test';
import { payloadStoreConfig } from '../../src/common/payload-storage/config.js';
import { testFixture } from '../../src/testing/fixture.js';
import { completedResearch, conversationClient } from './helpers.js';

const fx = testFixture({ model: true, worker: true, research: true });
const TURNS = 6;

test('history per turn stays bounded: once the agent’s memory is full, each turn adds about the same', async () => {
  const researchId = await completedResearch(fx.research, fx.requestId('size'));
  // No hand-over here: one run holds every turn, so the growth per turn can be read off it.
  const conversations = conversationClient(fx, {
    handover: { historyBytes: 50_000_000, historyEvents: 50_000 },
    memoryTurns: 2,
  });
  const sizes: number[] = [];
  for (let i = 0; i < TURNS; i++) {
    // The same question each time: answers of the same size, so that only what the turn carries differs.
    const answer = await conversations.ask(researchId, 'How does the workflow wait for the human decision?', {
      onEvent: () => {},
    });
    assert.equal(answer.turn, i + 1);
    sizes.push(answer.historyBytes);
  }
  const growth = sizes.map((s, i) => s - (sizes[i - 1] ?? 0));
  const store = payloadStoreConfig().kind;
  console.log(
    `history bytes per turn (payload store ${store}, one streaming subscriber, memory of 2 turns): ` +
      `${growth.join(', ')}; run total ${sizes.at(-1)} bytes after ${TURNS} turns`
  );
  // Turns 4-6 each carry two remembered turns: what they add must not keep growing.
  const plateau = growth.slice(3);
  assert.ok(
    Math.max(...plateau) <= 1.25 * Math.min(...plateau),
    `each turn adds about the same once memory is full: ${plateau.join(', ')}`
  );
  assert.ok(growth[5]! <= 1.25 * growth[3]!, 'the sixth turn adds no more than the fourth');
});
