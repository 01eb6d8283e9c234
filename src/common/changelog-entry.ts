/**
 * A Debian changelog entry's line, "libfrob (2.4-1+deb12u3) bookworm-security; urgency=medium": the
 * package, its version and its distributions (captured), then the urgency.
 */
export const CHANGELOG_ENTRY_SOURCE = String.raw`([a-z0-9][a-z0-9+.~-]*\s+\([^()\s]+\)\s+[\w.+/-]+(?:\s+[\w.+/-]+)*)\s*;\s*urgency=\w+`;
