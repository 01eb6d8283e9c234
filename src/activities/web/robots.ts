/**
 * robots.txt (RFC 9309): groups of `user-agent` lines with their `allow` / `disallow` rules. A
 * crawler obeys the groups naming its product token (case-insensitive), or else the `*` groups;
 * the longest matching rule wins, `allow` on a tie; `*` matches any run of characters and a final
 * `$` anchors the end. Other lines (sitemap, crawl-delay, junk) are ignored.
 */

export interface RobotsRule {
  allow: boolean;
  pattern: string;
}

export interface RobotsTxt {
  groups: { agents: string[]; rules: RobotsRule[] }[];
}

/** Parsed at most this much, as RFC 9309 asks crawlers to parse at least. */
export const ROBOTS_MAX_BYTES = 500 * 1024;

export function parseRobots(text: string): RobotsTxt {
  const groups: RobotsTxt['groups'] = [];
  let current: RobotsTxt['groups'][number] | undefined;
  let lastWasAgent = false;
  for (const raw of text.slice(0, ROBOTS_MAX_BYTES).split(/\r\n|\r|\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const field = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (field === 'user-agent') {
      if (!current || !lastWasAgent) groups.push((current = { agents: [], rules: [] }));
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
    } else if ((field === 'allow' || field === 'disallow') && current) {
      lastWasAgent = false;
      // An empty disallow allows everything: it matches nothing.
      if (value) current.rules.push({ allow: field === 'allow', pattern: normalise(value) });
    }
    // Other records (sitemap, crawl-delay) neither open nor close a group.
  }
  return { groups };
}

/** Percent-encodes what a URL would encode, and upper-cases escapes, so patterns and paths compare. */
function normalise(path: string): string {
  return path
    .replace(/%[0-9a-fA-F]{2}/g, (e) => e.toUpperCase())
    .replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
}

function matches(pattern: string, path: string): boolean {
  const anchored = pattern.endsWith('$');
  const body = anchored ? pattern.slice(0, -1) : pattern;
  const regex = body
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${regex}${anchored ? '$' : ''}`).test(path);
}

/** Whether `agent` (a product token) may fetch `pathAndQuery` ("/a/b?c=d"). */
export function robotsAllows(robots: RobotsTxt, agent: string, pathAndQuery: string): boolean {
  const token = agent.toLowerCase();
  let groups = robots.groups.filter((g) => g.agents.includes(token));
  if (groups.length === 0) groups = robots.groups.filter((g) => g.agents.includes('*'));
  const path = normalise(pathAndQuery || '/');
  if (path === '/robots.txt') return true;
  let best: RobotsRule | undefined;
  for (const rule of groups.flatMap((g) => g.rules)) {
    if (!matches(rule.pattern, path)) continue;
    if (
      !best ||
      rule.pattern.length > best.pattern.length ||
      (rule.pattern.length === best.pattern.length && rule.allow)
    )
      best = rule;
  }
  return best?.allow ?? true;
}
