import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentContext, reportBrief } from '../../src/workflows/conversation/context.js';

const report = {
  title: 'Human approval',
  question: 'How do I add human approval?',
  summary: 'Wait on an Update [1].',
  markdown: 'The workflow waits for the decision [1], then goes on [2].',
  citations: [
    { n: 1, sourceId: 'docs/a.md#L3', path: 'docs/a.md', title: 'Updates', excerpt: 'An Update waits.' },
    { n: 2, sourceId: 'docs/b.md#L9', path: 'docs/b.md', title: 'Timers', excerpt: 'A timer is durable.' },
  ],
};

test('the agent’s context lists the report’s passages last: the summary of earlier turns is never read as a passage’s text', () => {
  const summary = '- Turn 1: asked "How does it wait?"; answered: on an Update.';
  const context = agentContext(reportBrief(report), { turns: 1, summary }, 'A note.');
  const passages = context.indexOf('Passages the report cites:');
  assert.ok(passages > 0);
  assert.ok(context.indexOf(summary) < passages, 'the summary comes before the passages');
  assert.ok(context.indexOf('Note: A note.') < passages, 'so does the note');
  assert.ok(context.indexOf('[docs/a.md#L3] Updates: An Update waits.') > passages);
  assert.ok(
    context.endsWith('[docs/b.md#L9] Timers: A timer is durable.'),
    'nothing follows the last passage'
  );
  assert.match(context, /^Research question: How do I add human approval\?/);
  assert.match(context, /Report body:\nThe workflow waits for the decision \[docs\/a\.md#L3\]/);
});

test('without earlier turns or a note, the context is the report and its passages', () => {
  const context = agentContext(reportBrief(report), { turns: 0, summary: '' }, undefined);
  assert.ok(!context.includes('Earlier in this conversation'));
  assert.ok(!context.includes('Note:'));
  assert.ok(context.endsWith('A timer is durable.'));
});
