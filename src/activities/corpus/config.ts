/**
 * A commented configuration example (apt.conf, sources.list, an `.ini` or `.conf` file, as
 * documentation folders ship them) as Markdown lines: its comments are the prose that explains
 * the settings, the settings are code. A setting left commented out for the reader to enable
 * ("#deb-src http://…", ";max_connections = 100") is code too, its marker kept: enabling it is the
 * point. So "Uncomment if you want the apt-get source function to work" reads as a sentence over
 * the lines it speaks of, not as a heading or a run of URLs.
 */

const COMMENT = /^\s*(#|;|\/\/)(\s?)(.*)$/;
/** A script's comments: "#" only; ";" and "//" begin code in shell, awk, sed and Python. */
const SCRIPT_COMMENT = /^\s*(#)(\s?)(.*)$/;

/** A comment's text that is a setting, not a sentence: no space after the marker, and no prose. */
function commentedOut(marker: string, space: string, body: string): boolean {
  if (space || !body.trim()) return false;
  // "#deb-src http://…", "#Port 22", ";extension=foo", "#AllowTcpForwarding no": a name, then its value.
  return /^[\w.:@/[\]-]+(?:\s*[=:]\s*|\s+)\S/.test(body) && !/^[A-Z][a-z]+\s+[a-z]+\s+[a-z]+/.test(body);
}

/**
 * A script commented with "#" (shell, awk, sed, Python…), as example folders ship them: its comments
 * say what it does and how to run it, its code is code. The interpreter line ("#!/bin/sh") is
 * neither. A script without a comment that is prose gives nothing.
 */
export function scriptToMarkdown(text: string): string[] {
  const body = text.startsWith('#!') ? text.replace(/^[^\n]*/, '') : text;
  const lines = commentedToMarkdown(body, SCRIPT_COMMENT, false);
  let code = false;
  for (const line of lines) {
    if (line === '```') code = !code;
    else if (!code && line.trim()) return lines;
  }
  return [];
}

export function configToMarkdown(text: string): string[] {
  return commentedToMarkdown(text, COMMENT, true);
}

function commentedToMarkdown(text: string, comments: RegExp, blockComments: boolean): string[] {
  const out: string[] = [];
  let code = false;
  const open = () => {
    if (!code) out.push('```');
    code = true;
  };
  const close = () => {
    if (code) out.push('```');
    code = false;
  };
  let block = false;
  for (const line of text.split(/\r\n|\r|\n/)) {
    // A C-style block comment ("/* … */", as apt.conf writes them) is prose too.
    if (block || (blockComments && /^\s*\/\*/.test(line))) {
      close();
      block = !line.includes('*/');
      const body = line
        .replace(/^\s*\/\*+/, '')
        .replace(/\*+\/.*$/, '')
        .replace(/^\s*\*(?!\/)\s?/, '')
        .trim();
      out.push(body);
      continue;
    }
    if (!line.trim()) {
      close();
      out.push('');
      continue;
    }
    const comment = comments.exec(line);
    if (comment && !commentedOut(comment[1]!, comment[2]!, comment[3]!)) {
      close();
      // A rule of the comment's own markers ("#####") is decoration; a comment's text set off by
      // a few more spaces ("#  some awks…") is not indented code.
      const body = comment[3]!
        .replace(/^[#;/=*-]{3,}\s*$/, '')
        .replace(/^ {1,2}(?=\S)/, '')
        .trimEnd();
      out.push(body);
      continue;
    }
    open();
    out.push(line);
  }
  close();
  return out;
}
