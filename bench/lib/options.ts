/** Option parsers shared by the harness commands: a bad value is a usage error that names the option. */
import { InvalidArgumentError } from 'commander';

export const integerOption =
  (name: string, min = 0) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`${name} must be an integer >= ${min}.`);
    return n;
  };

export const rateOption =
  (name: string) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0 || n > 1)
      throw new InvalidArgumentError(`${name} must be a number between 0 and 1.`);
    return n;
  };
