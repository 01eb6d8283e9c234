import { Marked, type Tokens } from 'marked';

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const safeHref = (href: string) => /^(https?:|mailto:|#)/i.test(href.trim());

const marked = new Marked({
  gfm: true,
  renderer: {
    // Raw HTML in a report is shown as text, never interpreted.
    html(token: Tokens.HTML | Tokens.Tag) {
      return escape(token.text);
    },
    link(this: any, token: Tokens.Link) {
      const text = this.parser.parseInline(token.tokens);
      if (!safeHref(token.href)) return text;
      return `<a href="${escape(token.href)}" target="_blank" rel="noopener noreferrer">${text}</a>`;
    },
    image(token: Tokens.Image) {
      return escape(`[image: ${token.text}]`);
    },
  },
});

/**
 * Report Markdown → safe HTML. Citation markers [n] (outside code) become buttons that open the
 * cited passage; only numbers that are real citations are linked.
 */
export function renderReport(markdown: string, citations: Set<number>): string {
  const html = marked.parse(markdown, { async: false }) as string;
  // Split on tags and code blocks so replacements touch text only.
  const parts = html.split(/(<pre[\s\S]*?<\/pre>|<code[\s\S]*?<\/code>|<[^>]+>)/g);
  return parts
    .map((part) =>
      part.startsWith('<')
        ? part
        : part.replace(/\[(\d{1,3})\]/g, (m, n: string) =>
            citations.has(Number(n))
              ? `<button type="button" class="cite" data-cite="${n}" aria-label="source ${n}">[${n}]</button>`
              : m
          )
    )
    .join('');
}
