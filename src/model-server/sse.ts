/**
 * Server-sent event sequences for streamed responses, derived from the complete response so
 * that streamed and non-streamed answers are identical.
 */

/** Splits text into small deltas (word groups), deterministic. */
export function chunkText(text: string, size = 24): string[] {
  if (text.length === 0) return [];
  const out: string[] = [];
  let current = '';
  for (const piece of text.match(/\s*\S+|\s+$/g) ?? [text]) {
    if (current.length + piece.length > size && current) {
      out.push(current);
      current = '';
    }
    current += piece;
  }
  if (current) out.push(current);
  return out;
}

export interface SseEvent {
  event?: string;
  data: string;
}

export function formatSse(e: SseEvent): string {
  return `${e.event ? `event: ${e.event}\n` : ''}data: ${e.data}\n\n`;
}

/** The Responses API event stream for a complete response object. */
export function responsesEvents(response: Record<string, any>): SseEvent[] {
  const events: SseEvent[] = [];
  let seq = 0;
  const emit = (type: string, payload: Record<string, unknown>) => {
    events.push({ event: type, data: JSON.stringify({ type, sequence_number: seq++, ...payload }) });
  };
  const inProgress = { ...response, status: 'in_progress', output: [], usage: null };
  emit('response.created', { response: inProgress });
  emit('response.in_progress', { response: inProgress });
  (response.output as Array<Record<string, any>>).forEach((item, outputIndex) => {
    if (item.type === 'message') {
      const text: string = item.content?.[0]?.text ?? '';
      emit('response.output_item.added', {
        output_index: outputIndex,
        item: { ...item, status: 'in_progress', content: [] },
      });
      const part = { type: 'output_text', text: '', annotations: [], logprobs: [] };
      emit('response.content_part.added', {
        item_id: item.id,
        output_index: outputIndex,
        content_index: 0,
        part,
      });
      for (const delta of chunkText(text)) {
        emit('response.output_text.delta', {
          item_id: item.id,
          output_index: outputIndex,
          content_index: 0,
          delta,
          logprobs: [],
        });
      }
      emit('response.output_text.done', {
        item_id: item.id,
        output_index: outputIndex,
        content_index: 0,
        text,
        logprobs: [],
      });
      emit('response.content_part.done', {
        item_id: item.id,
        output_index: outputIndex,
        content_index: 0,
        part: { ...part, text },
      });
    } else if (item.type === 'function_call') {
      emit('response.output_item.added', {
        output_index: outputIndex,
        item: { ...item, status: 'in_progress', arguments: '' },
      });
      for (const delta of chunkText(item.arguments ?? '', 32)) {
        emit('response.function_call_arguments.delta', {
          item_id: item.id,
          output_index: outputIndex,
          delta,
        });
      }
      emit('response.function_call_arguments.done', {
        item_id: item.id,
        output_index: outputIndex,
        name: item.name,
        arguments: item.arguments,
      });
    }
    emit('response.output_item.done', { output_index: outputIndex, item });
  });
  emit('response.completed', { response });
  return events;
}

/** The Chat Completions chunk stream for a complete chat.completion object. */
export function chatEvents(completion: Record<string, any>, includeUsage: boolean): SseEvent[] {
  const events: SseEvent[] = [];
  const base = {
    id: completion.id,
    object: 'chat.completion.chunk',
    created: completion.created,
    model: completion.model,
    system_fingerprint: completion.system_fingerprint,
  };
  const chunk = (delta: Record<string, unknown>, finish: string | null) => {
    events.push({
      data: JSON.stringify({
        ...base,
        choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
      }),
    });
  };
  const choice = completion.choices[0];
  const message = choice.message as Record<string, any>;
  chunk({ role: 'assistant', content: '', refusal: null }, null);
  if (Array.isArray(message.tool_calls)) {
    message.tool_calls.forEach((tc: Record<string, any>, index: number) => {
      chunk(
        {
          tool_calls: [
            { index, id: tc.id, type: 'function', function: { name: tc.function.name, arguments: '' } },
          ],
        },
        null
      );
      for (const delta of chunkText(tc.function.arguments ?? '', 32)) {
        chunk({ tool_calls: [{ index, function: { arguments: delta } }] }, null);
      }
    });
  } else {
    for (const delta of chunkText(message.content ?? '')) chunk({ content: delta }, null);
  }
  chunk({}, choice.finish_reason);
  if (includeUsage) events.push({ data: JSON.stringify({ ...base, choices: [], usage: completion.usage }) });
  events.push({ data: '[DONE]' });
  return events;
}
