import ms from 'ms';

/**
 * A Temporal duration (a string such as "24 hours", "10 minutes", "90s", or milliseconds) in
 * milliseconds, parsed by the same `ms` library and version Temporal uses, so that what passes
 * here is exactly what a timer or `condition` accepts. Throws on anything else. Pure: safe in the
 * workflow sandbox.
 */
export function durationMs(value: string | number): number {
  const millis = typeof value === 'number' ? value : ms(value);
  if (millis == null || !Number.isFinite(millis)) throw new TypeError(`not a duration: ${String(value)}`);
  return millis;
}

/**
 * A duration as a setting spells it: plain digits are milliseconds ("5000"), anything else is read
 * as `durationMs` reads it ("5s", "2 minutes"); undefined when it is neither.
 */
export function settingMs(raw: string): number | undefined {
  try {
    return durationMs(/^\d+$/.test(raw) ? Number(raw) : raw);
  } catch {
    return undefined;
  }
}
