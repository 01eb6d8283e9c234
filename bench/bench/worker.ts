// A worker process for benchmarks: steadfast's activities plus the bench activities, on the
// stock provider pointed at OPENAI_BASE_URL. Started by bench/bench/run.ts; prints "polling task queue".
import { activities } from '../../src/activities/index.js';
import { benchActivities } from '../../src/activities/bench.js';
import { createModelProvider, offlineEndpoint } from '../../src/worker/model-provider.js';
import { resolveTemporalSettings } from '../../src/common/temporal-settings.js';
import { createWorker, type WorkerDispatch } from '../../src/worker/worker.js';

const settings = resolveTemporalSettings({});
const { worker, connection } = await createWorker({
  settings,
  modelProvider: createModelProvider(offlineEndpoint(process.env.OPENAI_BASE_URL!)),
  activities: { ...activities, ...benchActivities },
  // A lever measured against its default (bench/bench/levers.ts): e.g. eager dispatch off.
  dispatch: JSON.parse(process.env.BENCH_WORKER_DISPATCH ?? '{}') as Partial<WorkerDispatch>,
});
process.stderr.write(`bench worker ${process.pid}: polling task queue "${settings.taskQueue}"\n`);
await worker.run();
await connection.close();
