/**
 * Recognises text that documents carry but that rarely answers a question: licences, tables of
 * contents, navigation bars, footers, changelogs / release notes and badge lines. Such passages
 * stay searchable (someone may ask about the licence) but are ranked down and flagged, so that a
 * report does not rest on them alone. Detection works at three levels: a whole file (LICENSE,
 * CHANGELOG…), a section (its heading), and a block of text (its shape and wording).
 */
import type { Block } from './blocks.js';

export type BoilerplateKind = 'license' | 'toc' | 'navigation' | 'footer' | 'changelog' | 'badges';

/** The release a file of release notes is named after, before its name ("v2.31-ReleaseNotes"). */
const RELEASE_PREFIX = '(?:v?\\d[\\w.]*[-_.])?';
const CHANGELOG_NAME = new RegExp(
  `^${RELEASE_PREFIX}(change[-_ ]?log|changes|history|news|releases?|release[-_ ]?notes)([-_.].*)?$`
);
const RELEASE_NOTES_NAME = new RegExp(
  `^${RELEASE_PREFIX}(news|release[-_ ]?notes|what'?s[-_ ]?new)(\\.debian)?(\\.(md|markdown|txt|rst|html?))?$`
);

/** Whole files by name: LICENSE, COPYING, NOTICE, CHANGELOG, HISTORY, NEWS, RELEASE-NOTES… */
export function documentBoilerplate(rel: string): BoilerplateKind | undefined {
  const base = (rel.split('/').pop() ?? '')
    .toLowerCase()
    .replace(/\.gz$/, '')
    .replace(/\.(md|markdown|txt|html?|pdf|rst)$/, '');
  if (/^(licen[cs]e|copying|copyright|notice|unlicense|third[-_ ]?party[-_ ]?notices?)([-_.].*)?$/.test(base))
    return 'license';
  // Also named by the release or year they cover: "v2.31-ReleaseNotes", "ChangeLog-2013", "changelog.1".
  if (CHANGELOG_NAME.test(base)) return 'changelog';
  return undefined;
}

/**
 * Release notes written for users (NEWS, NEWS.Debian, RELEASE-NOTES, "What's new"), as against a
 * log of every commit or upload (ChangeLog, changelog.Debian, CHANGES, HISTORY). Both are changelog
 * boilerplate, but in a documentation folder the release notes are often the only place a feature
 * or an option is described ("replace ':' with '&:' in the rule"), so the search ranks them down
 * less.
 */
export function releaseNotesDocument(rel: string): boolean {
  const base = (rel.split('/').pop() ?? '').toLowerCase().replace(/\.gz$/, '');
  return RELEASE_NOTES_NAME.test(base);
}

/** What a book's index lists: Texinfo's standard indices and the names other generators give theirs. */
const INDEXED =
  '(?:function|concept|general|subject|command|variable|option|program|keystroke|key|data type|symbol|topic|name)s?';
/**
 * A back-of-book index ("Concept Index", "Function and Concept Index", "Index of Functions"; an
 * appendix letter may number it): every name of the book with where it is defined, no answers.
 */
const BOOK_INDEX = new RegExp(
  `^([a-z](\\.\\d+)*\\.?\\s+)?((${INDEXED}( and ${INDEXED})?\\s+)?index|index of( the)? ${INDEXED})$`
);

const VERSION_HEADING =
  /^\[?v?\d+\.\d+(\.\d+)?([-.+][\w.]+)?\]?(\s*[-–—:(]\s*.*)?$|^(version|release|v)\s*\d+(\.\d+)+\b/i;

/** Sections by heading: "License", "Table of contents", "Changelog", "Release notes", a version number… */
export function headingBoilerplate(heading: string): BoilerplateKind | undefined {
  const h = heading
    .toLowerCase()
    .replace(/\([^)]*\)\s*$/, '') // "License (MIT)"
    .replace(/^[^\p{L}]+|[^\p{L}']+$/gu, '') // numbering, emoji, punctuation
    .trim();
  if (/^(the\s+)?(licen[cs]es?|licensing|copyright( and licen[cs]e)?|licen[cs]e and copyright)$/.test(h))
    return 'license';
  if (/^(table of contents|contents|toc|on this page|in this (article|page|section))$/.test(h)) return 'toc';
  if (BOOK_INDEX.test(h)) return 'toc';
  if (
    /^(change ?log|changes|history|release notes|release history|version history|what'?s new|news|recent changes)$/.test(
      h
    )
  )
    return 'changelog';
  if (VERSION_HEADING.test(heading.trim())) return 'changelog';
  return undefined;
}

/** Wording found in licences and nowhere else: one is enough. */
const LICENSE_MARKS = [
  /permission is hereby granted,? free of charge/i,
  /the software is provided "?as is"?/i,
  /licensed under the apache license/i,
  /redistribution and use in source and binary forms/i,
  /this (program|library|file) is free software/i,
  /spdx-license-identifier/i,
  /permission to use, copy, modify,? and(\/or)? distribute/i,
  /copyright notice and this permission notice/i,
  /in no event shall the (authors|copyright holders)/i,
];
/** Wording common in licences but also found elsewhere: several are needed. */
const LICENSE_PHRASES = [
  /without warranty of any kind/i,
  /gnu (lesser |library |affero )?general public license/i,
  /warranty of merchantability/i,
  /all rights reserved/i,
  /limitation of liability/i,
  /under the terms of the/i,
  /mozilla public license|eclipse public license|creative commons/i,
  /\b(mit|bsd|isc|apache) licen[cs]e\b/i,
  /\bcopyright (\(c\)|©)/i,
];

/** Licence wording: one phrase only licences use, or several of those they often use. */
export function isLicenseText(text: string): boolean {
  if (LICENSE_MARKS.some((p) => p.test(text))) return true;
  let hits = 0;
  for (const p of LICENSE_PHRASES) if (p.test(text)) hits++;
  return hits >= 3 || (hits >= 2 && text.length < 1500);
}

const LINK = /\[([^\]]*)\]\(([^)]*)\)/g;
const IMAGE_LINK = /\[!\[[^\]]*\]\([^)]*\)\]\([^)]*\)|!\[[^\]]*\]\([^)]*\)|<img\b[^>]*>/gi;

function stripMarkers(line: string): string {
  return line.replace(/^\s*([-*+•]|\d+[.)])\s+/, '').trim();
}

const BADGE_SOURCE =
  /shields\.io|badgen\.net|badge|travis-ci|circleci|codecov|coveralls|\/workflows\/|actions\/workflows|npmcharts|nodei\.co|packagephobia|bundlephobia|snyk\.io|david-dm|gitter\.im|discord/i;

/**
 * Lines that are only images where the images are badges (shields, CI status) or linked images
 * (logos): not a figure of the document.
 */
function isBadgeBlock(lines: string[]): boolean {
  const text = lines.join('\n');
  const rest = text
    .replace(IMAGE_LINK, '')
    .replace(/<\/?(a|p|div|span|picture|source|br|hr|h\d)\b[^>]*>/gi, '')
    .replace(/[\s|·•]+/g, '');
  if (rest !== '') return false;
  const images = text.match(IMAGE_LINK) ?? [];
  if (images.length === 0) return false;
  const linked = /\[!\[/.test(text) || /<a\b[^>]*>\s*<img/i.test(text);
  return linked || images.some((i) => BADGE_SOURCE.test(i));
}

/** Text of a line with its links removed, and how many links it had. */
function linkShare(text: string): { links: number; anchors: number; plainWords: number; linkWords: number } {
  let links = 0;
  let anchors = 0;
  let linkWords = 0;
  const plain = text.replace(LINK, (_m, label: string, href: string) => {
    links++;
    if (href.trim().startsWith('#')) anchors++;
    linkWords += label.split(/\s+/).filter(Boolean).length;
    return ' ';
  });
  const plainWords = plain.split(/[^\p{L}\p{N}]+/u).filter(Boolean).length;
  return { links, anchors, plainWords, linkWords };
}

const NAV_LINE =
  /^(next|previous|prev|up|home|back|top|index)\s*:|\b(skip to (main )?content|back to top|edit (this page|on github)|improve this page|on this page)\b/i;
const FOOTER_LINE =
  /^(\s*(copyright|©|\(c\))\s*(\(c\)\s*)?(\d{4}|by\b))|all rights reserved|^\s*last (modified|updated|changed)\b|\b(generated|created) (by|with|using) (doxygen|sphinx|texinfo|makeinfo|javadoc|mkdocs|jsdoc|typedoc|pandoc)\b|^\s*(powered|built) (by|with)\b|\b(privacy policy|terms of (use|service)|cookie (policy|settings))\b/i;

/**
 * The kind of a single block, judged by its own shape: image-only lines (badges), lists of
 * anchor links (a table of contents), link bars and "Next:/Up:" lines (navigation), copyright /
 * "last modified" / "generated by" lines (footers), licence wording.
 */
export function blockBoilerplate(block: Block): BoilerplateKind | undefined {
  if (block.kind === 'heading' || block.kind === 'code') return undefined;
  const lines = block.lines.filter((l) => l.trim());
  if (lines.length === 0) return undefined;
  const text = lines.join('\n');
  if (isLicenseText(text)) return 'license';
  if (block.kind === 'table') return undefined;
  if (isBadgeBlock(lines)) return 'badges';
  const words = text.split(/\s+/).filter(Boolean).length;
  const share = linkShare(text);
  // Table of contents: every line a link to an anchor of the page (or a dotted leader to a page number).
  if (lines.every((l) => /^\[[^\]]+\]\(#[^)]*\)$/.test(stripMarkers(l)))) return 'toc';
  if (lines.length >= 3 && lines.every((l) => /\S/.test(l) && /(?:\.{4,} ?|\s{3,}|\t)\d{1,4}\s*$/.test(l)))
    return 'toc';
  if (words <= 60 && lines.some((l) => NAV_LINE.test(stripMarkers(l))) && share.plainWords <= 12)
    return 'navigation';
  // A bar of links: several links and hardly a word outside them.
  if (share.links >= 3 && share.plainWords === 0 && block.kind !== 'item') return 'navigation';
  if (words <= 50 && lines.every((l) => FOOTER_LINE.test(l) || !l.replace(/[\s|·•-]+/g, ''))) return 'footer';
  if (words <= 40 && FOOTER_LINE.test(text) && /copyright|©|\(c\)/i.test(text) && lines.length <= 3)
    return 'footer';
  return undefined;
}

/** Words of a query that ask for a kind of boilerplate itself: then it is not ranked down. */
const ASKS_FOR: Record<BoilerplateKind, RegExp> = {
  license: /^(licen[cs]|copyright|warrant|mit|gpl|lgpl|apache|bsd|mpl|spdx|permission|redistribut|liabilit)/,
  // A full release number ("3.8.1", not the product line "3.11") names a release: its notes say what it has.
  // So does a question whether a package is patched, or in which revision: a changelog entry answers.
  changelog:
    /^(change|changelog|release|version|revision|histor|new|added|removed|breaking|upgrad|migrat|deprecat|fix|patched$|cve|vulnerab|v?\d+\.\d+\.\d+$)/,
  footer: /^(copyright|author|maintain|modified|updated|generated)/,
  toc: /^(content|toc|outline|chapter)/,
  navigation: /^$/,
  badges: /^(badge|build|coverage|download|ci)$/,
};

/** Whether the query's own words ask for this kind of text (e.g. "what licence is it under"). */
export function queryAsksFor(kind: BoilerplateKind, rawWords: string[]): boolean {
  return rawWords.some((w) => ASKS_FOR[kind].test(w.toLowerCase()));
}
