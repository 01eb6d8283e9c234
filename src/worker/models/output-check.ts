import { createRequire } from 'node:module';
import type { ModelRequest, ModelResponse } from '@openai/agents-core';
import type { ValidateFunction } from 'ajv';
import { isAssistantMessage, jsonCandidates, messageText } from './reasoning.js';

const require = createRequire(import.meta.url);
// ajv ships CommonJS; loading it through require avoids default-export interop differences.
const Ajv = require('ajv').default as new (opts: object) => {
  compile(schema: object): ValidateFunction;
};

/** Why a reply cannot be the agent's final output. */
export interface OutputProblem {
  kind: 'empty' | 'not-json' | 'schema';
  /** For the model and the logs: what is wrong, in one sentence. */
  message: string;
  /** The reply was cut off at the output cap (finish_reason length / status incomplete). */
  truncated: boolean;
  /** The unusable text, given back to the model in the repair turn. */
  text: string;
}

export interface OutputCheck {
  /** The response, with a JSON answer unwrapped from prose or a code fence when that was needed. */
  response: ModelResponse;
  problem?: OutputProblem;
}

const validators = new Map<string, ValidateFunction>();

function validatorFor(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) {
    validate = new Ajv({ strict: false, allErrors: true, validateSchema: false }).compile(schema);
    if (validators.size > 100) validators.clear();
    validators.set(key, validate);
  }
  return validate;
}

function schemaErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .slice(0, 4)
    .map((e) => `${e.instancePath || '(the object)'} ${e.message ?? 'is invalid'}`)
    .join('; ');
}

/** Whether the server stopped the reply at the output cap. */
export function wasTruncated(response: ModelResponse): boolean {
  const raw = response.providerData as
    | { choices?: { finish_reason?: string }[]; status?: string; incomplete_details?: { reason?: string } }
    | undefined;
  return (
    raw?.choices?.[0]?.finish_reason === 'length' ||
    (raw?.status === 'incomplete' && raw.incomplete_details?.reason === 'max_output_tokens')
  );
}

/**
 * Checks a reply the way the Agents SDK will read it: a turn that calls tools (or hands off) is
 * not a final answer; otherwise the last assistant message is, and it must say something, and
 * under a JSON schema it must be JSON that matches the schema the request carried.
 */
export function checkOutput(request: ModelRequest, response: ModelResponse, maxTokens?: number): OutputCheck {
  const calls = response.output.some((item) => item.type !== 'message' && item.type?.endsWith('_call'));
  if (calls) return { response };
  const messages = response.output.filter(isAssistantMessage);
  const last = messages.at(-1);
  if (last?.content.some((part) => part.type === 'refusal')) return { response }; // the SDK reports it
  const text = last ? messageText(last) : '';
  const truncated = wasTruncated(response);
  const limit = maxTokens ? `the output limit of ${maxTokens} tokens` : 'the output token limit';
  if (text.trim() === '') {
    return {
      response,
      problem: {
        kind: 'empty',
        message: truncated ? `the reply reached ${limit} before any answer` : 'the reply was empty',
        truncated,
        text,
      },
    };
  }
  if (request.outputType === 'text' || request.outputType.type !== 'json_schema') return { response };

  const validate = validatorFor(request.outputType.schema);
  let parsed = false;
  let firstError = '';
  for (const candidate of jsonCandidates(text)) {
    let value: unknown;
    try {
      value = JSON.parse(candidate);
    } catch {
      continue;
    }
    parsed = true;
    if (validate(value)) {
      return { response: candidate === text ? response : withText(response, last!, candidate) };
    }
    firstError ||= schemaErrors(validate);
  }
  const cut = truncated ? ` (it was cut off at ${limit})` : '';
  return {
    response,
    problem: parsed
      ? {
          kind: 'schema',
          message: `the JSON does not match the schema: ${firstError}${cut}`,
          truncated,
          text,
        }
      : { kind: 'not-json', message: `the reply is not a JSON object${cut}`, truncated, text },
  };
}

function withText(
  response: ModelResponse,
  message: ModelResponse['output'][number],
  text: string
): ModelResponse {
  return {
    ...response,
    output: response.output.map((item) =>
      item === message && isAssistantMessage(item)
        ? { ...item, content: [{ ...item.content.find((p) => p.type === 'output_text')!, text }] }
        : item
    ),
  };
}
