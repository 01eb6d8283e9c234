import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { OpenAIAgentsPlugin } from '@temporalio/openai-agents';
import { ConversationClient } from '../../src/client/conversation.js';
import { ResearchClient } from '../../src/client/research.js';
import type { ChatEvent } from '../../src/common/conversation-types.js';
import { steadfastDataConverter } from '../../src/common/data-converter.js';
import { noModels } from '../../src/common/no-models.js';
import { freePort } from '../../src/common/ports.js';
import { resolveTemporalSettings } from '../../src/common/temporal-settings.js';
import { ensureDevServer, type DevServerHandle } from '../../src/dev-server/dev-server.js';
import { testFixture, waitFor } from '../../src/testing/fixture.js';
import { createModelProvider, offlineEndpoint } from '../../src/worker/model-provider.js';
import { createWorker } from '../../src/worker/worker.js';
import { completedResearch, shownText } from './helpers.js';

// This file restarts a Temporal dev server of its own (the run's shared one stays up for the others).
const fx = testFixture({ model: true });

test('a dev-server restart in the middle of an answer: the answer arrives, the conversation goes on with every turn', async () => {
  const dataDir = path.join(fx.dir, 'temporal');
  const port = await freePort();
  const uiPort = await freePort();
  const start = () => ensureDevServer({ dataDir, host: '127.0.0.1', port, uiPort, detached: false });
  let server: DevServerHandle | undefined = await start();
  const settings = resolveTemporalSettings({ address: server.address, taskQueue: 'conversation-restart' });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({
    connection,
    namespace: settings.namespace,
    plugins: [new OpenAIAgentsPlugin({ modelProvider: noModels })],
    dataConverter: steadfastDataConverter(),
  });
  const { worker, connection: workerConnection } = await createWorker({
    settings,
    modelProvider: createModelProvider(offlineEndpoint(fx.model.baseURL)),
  });
  const running = worker.run();
  try {
    const research = new ResearchClient({ client, taskQueue: settings.taskQueue });
    const conversations = new ConversationClient({ client, taskQueue: settings.taskQueue, research });
    const researchId = await completedResearch(research, fx.requestId('restart'));
    const first = await conversations.ask(researchId, 'How does the workflow wait for the human decision?');

    fx.model.configure({ streamDelayMs: 40 });
    const events: ChatEvent[] = [];
    const asking = conversations.ask(researchId, 'Which timeouts does the model activity use?', {
      onEvent: (e) => events.push(e),
    });
    await waitFor(() => events.some((e) => e.type === 'text'), 60_000, 'the second answer streaming');
    await server.stop();
    server = undefined;
    server = await start();
    const second = await asking;
    fx.model.configure({ streamDelayMs: 0 });
    assert.equal(second.turn, 2);
    assert.ok(second.answer.length > 0);

    const third = await conversations.ask(researchId, 'What happens to the session after continue-as-new?');
    assert.equal(third.turn, 3);
    const { view } = await conversations.view(researchId);
    assert.deepEqual(
      view?.recent.map((t) => t.updateId),
      [first.updateId, second.updateId, third.updateId],
      'every turn is there, once'
    );
    // The stream's subscription rode out the restart too: it ends with the turn, equal to the answer.
    assert.deepEqual(events.at(-1), { type: 'answered', turn: 2 });
    assert.equal(shownText(events), second.answer);
  } finally {
    fx.model.configure({ streamDelayMs: 0 });
    worker.shutdown();
    await running.catch(() => undefined);
    await workerConnection.close();
    await connection.close();
    await server?.stop();
  }
});
