// Activities of the benchmark workflows: five trivial agent tools and a no-op (the raw round trip).

/** One bench tool step: a trivial, deterministic side-effect-free result. */
const step = (n: number) => async (): Promise<{ step: number; ok: true }> => ({ step: n, ok: true });

export const benchStep1 = step(1);
export const benchStep2 = step(2);
export const benchStep3 = step(3);
export const benchStep4 = step(4);
export const benchStep5 = step(5);

/** Does nothing: its duration in a workflow is Temporal's own activity round trip. */
export async function benchNoop(): Promise<void> {}

export const benchActivities = { benchStep1, benchStep2, benchStep3, benchStep4, benchStep5, benchNoop };
export type BenchActivities = typeof benchActivities;
