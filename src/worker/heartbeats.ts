// The model activity's first heartbeat, held back: a short call sends none.
import type { Context } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

/** Activities whose early heartbeats are held back: the plugin's model calls. */
export const MODEL_ACTIVITY_TYPES: ReadonlySet<string> = new Set([
  'invokeModelActivity',
  'invokeModelStreamActivity',
]);

/**
 * The plugin heartbeats a model call the moment it starts, then every half heartbeat timeout. That
 * first heartbeat is an RPC and a store write for every call, however short, and a call that ends
 * before its reply waits for it (the SDK flushes a heartbeat in flight before it reports the
 * result). The server counts the heartbeat timeout from the attempt's start when no heartbeat came,
 * so the first one is not needed to detect a dead worker: heartbeats of the first quarter of the
 * timeout are dropped, and the plugin's tick at half the timeout is the first one sent — well
 * inside the timeout, and a dead worker is still noticed within one timeout of its death.
 */
export function deferFirstHeartbeat(
  types: ReadonlySet<string> = MODEL_ACTIVITY_TYPES
): ActivityInterceptorsFactory {
  return (ctx: Context) => {
    const timeoutMs = ctx.info.heartbeatTimeoutMs;
    if (!timeoutMs || !types.has(ctx.info.activityType)) return {};
    // Context.heartbeat() calls this field; the SDK gives no other hook between a heartbeat and core.
    const target = ctx as unknown as { heartbeatFn: (details?: unknown) => void };
    const send = target.heartbeatFn;
    const firstAt = Date.now() + timeoutMs / 4;
    target.heartbeatFn = (details?: unknown) => {
      if (Date.now() >= firstAt) send(details);
    };
    return {};
  };
}
