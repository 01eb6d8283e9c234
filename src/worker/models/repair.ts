import type { AgentInputItem, Model, ModelRequest, ModelResponse, StreamEvent } from '@openai/agents-core';
import { ApplicationFailure } from '@temporalio/common';
import { agentsCore, openai } from '../sdk.js';
import { REPAIR_OPENING } from '../../common/repair-turn.js';
import { callBudget } from './call-limits.js';
import { checkOutput, type OutputProblem } from './output-check.js';
import { withoutReasoning } from './reasoning.js';

const { Usage } = agentsCore;

/** A repair turn needs at least this much of the activity attempt left to be worth starting. */
const MIN_REPAIR_MS = 5_000;
const SCHEMA_CHARS = 3_000;

/**
 * The model's output was unusable twice: the call and its one repair turn. Raised as an APIError
 * that says `x-should-retry: false`, the plugin's own signal for a model failure that retrying the
 * same request cannot fix, so the model activity fails at once instead of paying for the same
 * mistake up to its maximum attempts; its cause is a non-retryable ApplicationFailure of type
 * `ModelOutputInvalid`, the root failure the workflow sees.
 */
export class ModelOutputInvalid extends openai.APIError {
  constructor(message: string) {
    super(undefined, undefined, message, new Headers({ 'x-should-retry': 'false' }));
    this.name = 'ModelOutputInvalid';
    this.cause = ApplicationFailure.nonRetryable(message, 'ModelOutputInvalid');
  }
}

export type RepairLog = (line: string) => void;

/** Who answered, for the log line: the start of the agent's instructions. */
function caller(request: ModelRequest): string {
  const words = (request.systemInstructions ?? '').replace(/\s+/g, ' ').trim();
  return words ? `"${words.slice(0, 50)}${words.length > 50 ? '…' : ''}"` : 'an agent without instructions';
}

function schemaOf(request: ModelRequest): string | undefined {
  if (request.outputType === 'text' || request.outputType.type !== 'json_schema') return undefined;
  const text = JSON.stringify(request.outputType.schema);
  return text.length > SCHEMA_CHARS ? `${text.slice(0, SCHEMA_CHARS)}…` : text;
}

/** What the model is told in the repair turn: what was wrong and what to send instead. */
export function repairPrompt(request: ModelRequest, problem: OutputProblem): string {
  const schema = schemaOf(request);
  const want = schema
    ? `Reply again with only the JSON object: no prose, no code fences${problem.truncated ? ', and much shorter' : ''}. It must match this JSON schema: ${schema}`
    : 'Reply now with your answer.';
  return `${REPAIR_OPENING} ${problem.message}. ${want}`;
}

function repairRequest(request: ModelRequest, problem: OutputProblem): ModelRequest {
  const input: AgentInputItem[] =
    typeof request.input === 'string' ? [{ role: 'user', content: request.input }] : [...request.input];
  if (problem.text.trim() !== '') {
    input.push({
      type: 'message',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: problem.text }],
    });
  }
  input.push({ role: 'user', content: repairPrompt(request, problem) });
  // A reply that was meant as the final answer is repaired as one: no tool calls this time.
  const answerOnly = problem.kind !== 'empty' && request.tools.length > 0;
  return {
    ...request,
    input,
    ...(answerOnly ? { modelSettings: { ...request.modelSettings, toolChoice: 'none' } } : {}),
  };
}

function summedUsage(...responses: ModelResponse[]) {
  const usage = new Usage();
  for (const r of responses) usage.add(r.usage);
  return usage;
}

/**
 * One model-facing repair turn. Reasoning is taken out of each reply; when what is left cannot be
 * the agent's output (empty, not JSON, or JSON that does not match the request's schema), the model
 * is called once more with its own reply and the problem, and asked for a corrected answer. When
 * that fails too, ModelOutputInvalid ends the activity without retries. Streamed calls pass
 * through unchanged.
 */
export class RepairingModel implements Model {
  constructor(
    private readonly inner: Model,
    private readonly settings: { timeoutMs: number; maxOutputTokens: number },
    private readonly options: {
      log?: RepairLog;
      /** Reshapes the repair request of a reply the output cap cut off, e.g. to a schema whose answers fit. */
      fitTruncated?: (request: ModelRequest) => ModelRequest;
    } = {}
  ) {}

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    const cap = request.modelSettings?.maxTokens ?? this.settings.maxOutputTokens;
    const first = checkOutput(request, withoutReasoning(await this.inner.getResponse(request)), cap);
    if (!first.problem) return first.response;
    const who = caller(request);
    const left = callBudget(this.settings.timeoutMs);
    if (left.ms < Math.min(MIN_REPAIR_MS, this.settings.timeoutMs)) {
      this.options.log?.(`model repair: ${who}: ${first.problem.message}; no time left for a repair turn`);
      throw new ModelOutputInvalid(
        `${first.problem.message}, and no time was left for a repair turn (${left.bound}); ` +
          "raise the model activity's start-to-close timeout (STEADFAST_MODEL_TIMEOUT on the client)"
      );
    }
    this.options.log?.(`model repair: ${who}: ${first.problem.message}; asking the model once more`);
    const second = checkOutput(
      request,
      withoutReasoning(await this.inner.getResponse(this.repairRequest(request, first.problem))),
      cap
    );
    if (second.problem) {
      this.options.log?.(`model repair failed: ${who}: ${second.problem.message}`);
      throw new ModelOutputInvalid(
        `the model's output was unusable twice (once after a repair turn): ${second.problem.message}. ` +
          hint(second.problem)
      );
    }
    this.options.log?.(`model repair succeeded: ${who}`);
    return {
      ...second.response,
      usage: summedUsage(first.response, second.response),
      providerData: { ...second.response.providerData, steadfastRepair: { problem: first.problem.message } },
    };
  }

  getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
    return this.inner.getStreamedResponse(request);
  }

  private repairRequest(request: ModelRequest, problem: OutputProblem): ModelRequest {
    const repair = repairRequest(request, problem);
    return problem.truncated && this.options.fitTruncated ? this.options.fitTruncated(repair) : repair;
  }
}

function hint(problem: OutputProblem): string {
  if (problem.truncated) return 'Raise STEADFAST_MAX_OUTPUT_TOKENS, or use a model that writes less.';
  if (problem.kind === 'empty') return 'The model gave no answer; try a larger model.';
  return (
    'The model cannot follow the schema: use a larger model, or a server that enforces JSON schemas ' +
    '(llama-server, vLLM and Ollama do through Chat Completions: STEADFAST_MODEL_API=chat).'
  );
}
