/**
 * The suite runs words-only (test/run.ts sets STEADFAST_ENCODER=off and names the installed
 * encoder in STEADFAST_TEST_ENCODER); tests of meaning switch it with these.
 */

/** The installed encoder's folder, when there is one. */
export const TEST_ENCODER = process.env.STEADFAST_TEST_ENCODER || undefined;

/** Runs `fn` with STEADFAST_ENCODER set to `value` (unset when undefined), then puts it back. */
export async function withEncoderSetting<T>(value: string | undefined, fn: () => T | Promise<T>): Promise<T> {
  const previous = process.env.STEADFAST_ENCODER;
  if (value === undefined) delete process.env.STEADFAST_ENCODER;
  else process.env.STEADFAST_ENCODER = value;
  try {
    return await fn();
  } finally {
    if (previous === undefined) delete process.env.STEADFAST_ENCODER;
    else process.env.STEADFAST_ENCODER = previous;
  }
}
