// Following a conversation's stream and stopping: no long poll may outlive the stop (a server that
// closes its connection next would have the client retry that poll on a closed channel).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InterceptingCall, type Interceptor } from '@grpc/grpc-js';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { ConversationClient } from '../../src/client/conversation.js';
import { steadfastDataConverter } from '../../src/common/data-converter.js';
import { testFixture } from '../../src/testing/fixture.js';
import { completedResearch, conversationClient } from './helpers.js';

const fx = testFixture({ model: true, worker: true, research: true });

/** A connection that counts its Update polls in flight. */
async function countingConnection(): Promise<{ connection: Connection; polls: () => number }> {
  let inFlight = 0;
  const counting: Interceptor = (options, nextCall) => {
    const poll = options.method_definition.path.endsWith('/PollWorkflowExecutionUpdate');
    return new InterceptingCall(nextCall(options), {
      start(metadata, _listener, next) {
        if (poll) inFlight++;
        next(metadata, {
          onReceiveStatus(status, nextStatus) {
            if (poll) inFlight--;
            nextStatus(status);
          },
        });
      },
    });
  };
  const connection = await Connection.connect({
    address: fx.settings.address,
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions()), counting],
  });
  fx.defer(() => connection.close());
  return { connection, polls: () => inFlight };
}

test('stopping a follow leaves no Update poll running, even one the subscription starts after the stop', async () => {
  const id = await completedResearch(fx.research, fx.requestId('follow-abort'));
  const asked = await conversationClient(fx).ask(id, 'How does the workflow wait for the human decision?');
  const { connection, polls } = await countingConnection();
  const counted = new ConversationClient({
    client: new Client({
      connection,
      namespace: fx.settings.namespace,
      dataConverter: steadfastDataConverter(),
    }),
    taskQueue: fx.settings.taskQueue,
    research: fx.research,
  });
  const { view } = await counted.view(id);
  const end = view!.streamOffset;
  // Replay the answered turn from the start and stop on its last item: the subscription then
  // cools down and would start its next long poll (the conversation is idle) after the stop.
  const stop = new AbortController();
  let last = -1;
  const guard = setTimeout(() => stop.abort(), 5_000);
  for await (const item of counted.follow(id, 0, stop.signal)) {
    last = item.offset;
    if (item.offset >= end - 1) stop.abort();
  }
  clearTimeout(guard);
  assert.ok(last >= end - 1, `the replay reached the end of the turn (${last} of ${end})`);
  assert.ok(asked.answer.length > 0);
  // Past the subscription's cool-down (250 ms): a poll started after the stop would be running now.
  await new Promise((resolve) => setTimeout(resolve, 800));
  assert.equal(polls(), 0, 'no Update poll in flight after the follow stopped');
});
