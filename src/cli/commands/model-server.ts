import { InvalidArgumentError, type Command } from 'commander';
import { startModelServer } from '../../model-server/server.js';

function rate(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0 || n > 1)
      throw new InvalidArgumentError(`${name} must be a number between 0 and 1.`);
    return n;
  };
}

function nonNegativeInt(name: string, max = Number.MAX_SAFE_INTEGER) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > max)
      throw new InvalidArgumentError(`${name} must be an integer between 0 and ${max}.`);
    return n;
  };
}

interface ModelServerCliOptions {
  host: string;
  port: number;
  latencyMs?: number;
  faultRate429?: number;
  faultRate500?: number;
  faultRateReset?: number;
  faultRateMalformed?: number;
  seed?: number;
  log?: string;
}

export function registerModelServerCommand(program: Command): void {
  program
    .command('model-server')
    .description(
      'Run the offline model server: a deterministic, extractive stand-in for the OpenAI Responses and Chat Completions APIs (not a real LLM), with fault knobs for tests and chaos.'
    )
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 = any free port)', nonNegativeInt('--port', 65535), 7744)
    .option('--latency-ms <ms>', 'added latency per model request', nonNegativeInt('--latency-ms'))
    .option(
      '--fault-rate-429 <rate>',
      'share of model requests answered 429 with Retry-After (0..1)',
      rate('--fault-rate-429')
    )
    .option(
      '--fault-rate-500 <rate>',
      'share of model requests answered 500 (0..1)',
      rate('--fault-rate-500')
    )
    .option(
      '--fault-rate-reset <rate>',
      'share of model requests whose connection is reset (0..1)',
      rate('--fault-rate-reset')
    )
    .option(
      '--fault-rate-malformed <rate>',
      'share of model requests answered with a broken body (0..1)',
      rate('--fault-rate-malformed')
    )
    .option('--seed <n>', 'seed of the fault sequence (same seed, same faults)', nonNegativeInt('--seed'))
    .option('--log <file>', 'append one JSON line per model request to FILE')
    .action(async (opts: ModelServerCliOptions) => {
      const server = await startModelServer({
        host: opts.host,
        port: opts.port,
        latencyMs: opts.latencyMs,
        logFile: opts.log,
        faults: {
          rate429: opts.faultRate429,
          rate500: opts.faultRate500,
          rateReset: opts.faultRateReset,
          rateMalformed: opts.faultRateMalformed,
          seed: opts.seed,
        },
      });
      process.stdout.write(
        `steadfast model-server: offline stand-in model listening on ${server.baseURL} (deterministic, extractive; not a real LLM)\n`
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await server.close();
    });
}
