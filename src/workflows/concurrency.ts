/**
 * Runs `fn` over the items with at most `limit` in flight, in workflow-deterministic order: the
 * next item starts when one finishes. Resolves when all have settled; errors are the caller's job.
 */
export async function boundedAll<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<void>
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
