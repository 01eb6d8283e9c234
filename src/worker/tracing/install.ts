import { createRequire } from 'node:module';
import path from 'node:path';
import type { TracingProcessor } from '@openai/agents-core';
import { agentsCore, agentsOpenAI } from '../sdk.js';

const { getGlobalTraceProvider, setTraceProcessors } = agentsCore;
import type { WorkerOptions, WorkerPlugin } from '@temporalio/worker';
import { TraceStoreProcessor, workflowSpanContext } from './processor.js';

const SINK_NAME = '__temporal_openai_agents_tracing';
let installed: { otel: boolean } | undefined;

function otelWanted(env = process.env): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * Installs the worker's trace processors, once per process, before the OpenAIAgentsPlugin is
 * constructed: our trace store always; OpenAI's hosted exporter only when a real OpenAI key is set
 * (instead of the SDK's console exporter, which would print every span). With
 * OTEL_EXPORTER_OTLP_ENDPOINT set, a replay-safe OTel tracer provider exports over OTLP/HTTP.
 * Returns the plugin options that go with it.
 */
export async function installTracing(
  log?: (line: string) => void
): Promise<{ useOtelInstrumentation: boolean }> {
  if (installed) return { useOtelInstrumentation: installed.otel };
  const processors: TracingProcessor[] = [new TraceStoreProcessor()];
  const realOpenAI = Boolean(process.env.OPENAI_API_KEY) && !process.env.OPENAI_BASE_URL;
  if (realOpenAI && !process.env.OPENAI_AGENTS_DISABLE_TRACING) {
    const { OpenAITracingExporter } = agentsOpenAI;
    const { BatchTraceProcessor } = agentsCore;
    processors.push(new BatchTraceProcessor(new OpenAITracingExporter()));
  }
  const otel = otelWanted();
  if (otel) {
    const [{ trace }, { createTracerProvider }, { BatchSpanProcessor }, { OTLPTraceExporter }] =
      await Promise.all([
        import('@opentelemetry/api'),
        import('@temporalio/openai-agents/otel'),
        import('@opentelemetry/sdk-trace-base'),
        import('@opentelemetry/exporter-trace-otlp-http'),
      ]);
    const provider = createTracerProvider();
    provider.addSpanProcessor(new BatchSpanProcessor(new OTLPTraceExporter()));
    trace.setGlobalTracerProvider(provider);
    // The plugin's activity-side OTel bridge; re-added because setTraceProcessors replaces the list.
    processors.push(activityOtelBridge());
    log?.(
      `tracing: OpenTelemetry export to ${process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? process.env.OTEL_EXPORTER_OTLP_ENDPOINT}`
    );
  }
  // The ESM build of agents-core, when first imported, adds a console exporter to the trace
  // provider it shares with the CommonJS build (a globalThis symbol) — e.g. when a client in this
  // process imports a workflow function to start a run by it. Import it now, so that the list set
  // below replaces that exporter instead of being joined by it later.
  await import('@openai/agents-core');
  setTraceProcessors(processors);
  // The SDK turns tracing off by itself under NODE_ENV=test; ours stays on unless the user
  // explicitly sets OPENAI_AGENTS_DISABLE_TRACING.
  getGlobalTraceProvider().setDisabled(/^(1|true)$/.test(process.env.OPENAI_AGENTS_DISABLE_TRACING ?? ''));
  installed = { otel };
  return { useOtelInstrumentation: otel };
}

function activityOtelBridge(): TracingProcessor {
  // Not in the package's exports map: load the module by file path next to its entry point.
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@temporalio/openai-agents');
  const mod = require(path.join(path.dirname(entry), 'worker', 'activity-tracing.js')) as {
    ActivityTracingProcessor: new () => TracingProcessor;
  };
  return new mod.ActivityTracingProcessor();
}

/**
 * A worker plugin (listed after OpenAIAgentsPlugin) that wraps the plugin's tracing sink so spans
 * forwarded from the workflow sandbox are processed knowing their workflow id and run id.
 */
export function traceContextPlugin(): WorkerPlugin {
  return {
    name: 'steadfast-trace-context',
    configureWorker(options: WorkerOptions): WorkerOptions {
      const sinks = (options.sinks ?? {}) as Record<
        string,
        Record<string, { fn: (...args: any[]) => unknown; callDuringReplay?: boolean }>
      >;
      const sink = sinks[SINK_NAME];
      const dispatch = sink?.dispatch;
      if (!sink || !dispatch) return options;
      const original = dispatch.fn;
      const wrapped = {
        ...dispatch,
        fn: (info: { workflowId: string; runId: string }, ...args: unknown[]) =>
          workflowSpanContext.run({ workflowId: info.workflowId, runId: info.runId }, () =>
            original(info, ...args)
          ),
      };
      return {
        ...options,
        sinks: { ...sinks, [SINK_NAME]: { ...sink, dispatch: wrapped } } as WorkerOptions['sinks'],
      };
    },
  };
}
