import { assertCliError, type Case } from '../matrix.js';

/** Usage mistakes of the `steadfast` command: exit 2 and one line, before anything starts. */
export const cliCases: Case[] = [
  {
    group: 'cli',
    name: 'research without a question',
    run: async (ctx) => assertCliError(await ctx.cli(['research']), /missing required argument 'question'/),
  },
  {
    group: 'cli',
    name: 'an unknown option',
    run: async (ctx) =>
      assertCliError(await ctx.cli(['research', 'q?', '--bogus']), /unknown option '--bogus'/),
  },
  {
    group: 'cli',
    name: 'a value outside the choices',
    run: async (ctx) =>
      assertCliError(
        await ctx.cli(['research', 'q?', '--format', 'pdf']),
        /'pdf' is invalid.*report, checklist/
      ),
  },
  {
    group: 'cli',
    name: 'a question over the size limit',
    run: async (ctx) =>
      assertCliError(
        await ctx.cli(['research', 'why '.repeat(600), '--no-wait']),
        /invalid research request: question: .*2000/
      ),
  },
  {
    group: 'cli',
    name: 'an answers file that does not exist',
    run: async (ctx) =>
      assertCliError(
        await ctx.cli(['research', 'What is a durable timer?', '--answers', '/nonexistent/answers.txt']),
        /cannot read answers file/
      ),
  },
  {
    group: 'cli',
    name: 'the wrong number of answers for the waiting run',
    run: async (ctx) =>
      assertCliError(await ctx.cli(['answer', ctx.sentinel.id, 'just one']), /expected \d+ answers/),
  },
  {
    group: 'cli',
    name: 'status of a run id full of path tricks',
    run: async (ctx) =>
      assertCliError(
        await ctx.cli(['status', '../../etc/passwd']),
        /no research run with id \.\.\/\.\.\/etc\/passwd/
      ),
  },
  {
    group: 'cli',
    name: 'serve: a corpus root that does not exist',
    run: async (ctx) =>
      assertCliError(
        await ctx.cli(['serve', '--corpus-root', '/nonexistent/corpora']),
        /corpus root not found/
      ),
  },
  {
    group: 'cli',
    name: 'serve: an allowed host that is a URL',
    run: async (ctx) =>
      assertCliError(await ctx.cli(['serve', '--allowed-host', 'http://evil/']), /is not a host name/),
  },
  {
    group: 'cli',
    name: 'serve: a public address without a token',
    run: async (ctx) =>
      assertCliError(
        await ctx.cli(['serve', '--host', '0.0.0.0'], { STEADFAST_API_TOKEN: '' }),
        /refusing to listen on 0\.0\.0\.0 without an API token/
      ),
  },
];
