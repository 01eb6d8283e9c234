import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

const { temporal } = proto;

/** Whether some worker polled the task queue for workflow tasks within the last `withinMs`. */
export async function hasRecentPollers(
  client: Client,
  namespace: string,
  taskQueue: string,
  withinMs = 70_000
): Promise<boolean> {
  const response = await client.workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  const now = Date.now();
  return (response.pollers ?? []).some((p) => {
    const t = p.lastAccessTime;
    if (!t?.seconds) return false;
    return now - Number(t.seconds) * 1000 < withinMs;
  });
}
