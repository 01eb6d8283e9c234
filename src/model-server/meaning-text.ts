import type { Unit } from './segment.js';

/**
 * The readings of a unit whose closeness to the question counts (the closest one does): the
 * sentence alone, and the sentence where it stands, headed by the name it defines or else the
 * section it sits under ("deadlock_timeout (integer): The default is one second (1s)"). Alone, a
 * sentence about "the default" is close to nothing the question asks.
 */
export function meaningTexts(unit: Unit, title: string): string[] {
  const section =
    title
      .split(/\s+·\s+/)[0]!
      .split(/\s+›\s+/)
      .at(-1) ?? '';
  const context = (unit.label || unit.heading || section).trim();
  if (!context || unit.plain.toLowerCase().includes(context.toLowerCase())) return [unit.plain];
  return [unit.plain, `${context}: ${unit.plain}`];
}
