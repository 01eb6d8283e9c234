import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import PDFDocument from 'pdfkit';
import { extractText, getMeta } from 'unpdf';
import {
  artifactPath,
  artifactRoot,
  listArtifacts,
  readArtifact,
  writeArtifact,
} from '../../src/activities/artifacts.js';
import { safeWorkflowFolder } from '../../src/common/run-folders.js';
import { renderReport, type RenderReportInput } from '../../src/activities/render.js';
import { allocateColumns } from '../../src/activities/render/pdf.js';
import { anyFallbackCovers } from '../../src/activities/render/fonts.js';
import { SUBSTITUTES, substitute } from '../../src/activities/render/substitutes.js';
import {
  Measurer,
  layoutCodeLine,
  layoutRuns,
  minContentWidth,
} from '../../src/activities/render/text-layout.js';
import { allWinAnsi } from '../../src/activities/render/winansi.js';

let dataDir: string;
const previousDataDir = process.env.STEADFAST_DATA_DIR;

before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'steadfast-render-'));
  process.env.STEADFAST_DATA_DIR = dataDir;
});

after(async () => {
  if (previousDataDir === undefined) delete process.env.STEADFAST_DATA_DIR;
  else process.env.STEADFAST_DATA_DIR = previousDataDir;
  await rm(dataDir, { recursive: true, force: true });
});

const BODY = `## Background

Durable execution records every step in the **event history** [1]. Activities are *retried* by
policy and configured with \`RetryPolicy\` [2]. See [the docs](https://example.org/docs).

### Findings

1. Workflow code must be deterministic [1].
2. Artifacts are written to a temp file, then renamed [3].
   - nested bullet alpha
   - nested bullet beta
3. Large payloads stay out of history [2, 3].

- plain bullet one
- plain bullet two

### Comparison

| Approach | Durability | Notes |
|---|:---:|---|
| Plain async | None | zebracell lost on crash |
| Temporal | Full | replays history |

### Checklist

- [x] pin the SDK versions
- [ ] move report bytes out of history

> Retries must never produce two files.

\`\`\`ts
const ref = await writeArtifact(id, 'report.pdf', bytes);
\`\`\`

---

#### Notes

Arrows → are drawn as arrows.
`;

/** Scripts and symbols beyond WinAnsi, in every kind of block (no `?` anywhere on purpose). */
const WORLD = `## Ελληνικά και Кириллица ⚠️

Greek: Η γρήγορη καφέ αλεπού. Cyrillic: Съешь же ещё этих мягких булок.

这是一个很长的中文句子，用来检查换行是否正确。これは日本語の文です。한국어 문장입니다.

Arrows → ← ↔ ⇒; box ┌─┐ │ └─┘; math ∑ ∫ √ ∞ ≈ ≠ ≤ ≥ ∀ ∃ ∈ x² ½; curly “double” and ‘single’ quotes.

Emoji: ✅ done, ❌ failed, 🚀 launch, 👍🏽 ok, 👨‍💻 dev, 🇩🇪 flag, 1️⃣ first.

Unknown: 🫠 and नमस्ते

| Sprache | Текст |
|---|---|
| 中文单元格 | *курсив* and **жирный** and \`inline код ├─\` |

> Цитата: *Ελληνικά* **中文粗体**

\`\`\`
src/
├── main.ts   # 入口
└── util.ts   → helpers
\`\`\`
`;

const CITATIONS = [
  {
    n: 1,
    sourceId: 'doc-001#p3',
    path: 'corpus/workflows.md',
    title: 'Workflow determinism',
    excerpt: 'Replayed from history.',
  },
  {
    n: 2,
    sourceId: 'doc-002#p1',
    path: 'corpus/activities.md',
    title: 'Retries',
    excerpt: 'Retried per policy.',
  },
  { n: 3, sourceId: 'doc-003#p7', path: 'corpus/rename.md', excerpt: 'rename() replaces atomically.' },
];

function input(workflowId: string, overrides: Partial<RenderReportInput> = {}): RenderReportInput {
  return {
    workflowId,
    title: 'Artifact Durability Study',
    question: 'How do retries avoid duplicate artifacts?',
    summary: 'Summaryline: write to a temp file and rename [3].',
    markdown: BODY,
    format: 'report',
    citations: CITATIONS,
    followUps: ['What about garbage collection?'],
    generatedAt: '2025-03-14T09:30:00Z',
    ...overrides,
  };
}

async function pdfPages(file: string): Promise<string[]> {
  const { text } = await extractText(new Uint8Array(await readFile(file)), { mergePages: false });
  return text;
}

const squash = (text: string): string => text.replace(/\s+/g, ' ');

describe('renderReport', () => {
  test('renders every element into report.md and report.pdf', async () => {
    const result = await renderReport(input('wf-all-elements'));
    const folder = path.join(artifactRoot(), 'wf-all-elements');
    assert.equal(result.markdown.path, path.join(folder, 'report.md'));
    assert.equal(result.pdf.path, path.join(folder, 'report.pdf'));
    assert.ok(result.pdf.pages >= 1);

    const pdfBytes = await readFile(result.pdf.path);
    assert.equal(pdfBytes.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal(result.pdf.bytes, pdfBytes.length);

    const pages = await pdfPages(result.pdf.path);
    assert.equal(pages.length, result.pdf.pages);
    const text = squash(pages.join('\n'));
    for (const expected of [
      'Artifact Durability Study',
      'How do retries avoid duplicate artifacts?',
      'Summaryline: write to a temp file and rename [3].',
      'Background',
      'zebracell lost on crash',
      'replays history',
      "const ref = await writeArtifact(id, 'report.pdf', bytes);",
      'pin the SDK versions',
      'move report bytes out of history',
      'nested bullet alpha',
      'Retries must never produce two files.',
      'event history [1]',
      'history [2, 3]',
      'Arrows → are drawn as arrows.',
      'What about garbage collection?',
      'Sources',
      'corpus/workflows.md',
      'corpus/activities.md',
      'corpus/rename.md',
      'doc-002#p1',
      'Page 1 of',
    ]) {
      assert.ok(text.includes(expected), `PDF text lacks ${JSON.stringify(expected)}:\n${text}`);
    }
    // Checklist items are drawn as boxes, not as literal "[ ]" / "[x]" text.
    assert.ok(!text.includes('[ ]') && !text.includes('[x]'), 'task markers leaked into the PDF text');

    const markdown = await readFile(result.markdown.path, 'utf8');
    assert.ok(markdown.startsWith('# Artifact Durability Study\n'));
    assert.ok(markdown.includes('## Summary\n\nSummaryline'));
    assert.ok(
      markdown.includes('| zebracell lost on crash |') || markdown.includes('zebracell lost on crash')
    );
    assert.ok(markdown.includes('## Follow-up questions\n\n1. What about garbage collection?'));
    assert.ok(markdown.includes('## Sources'));
    assert.ok(markdown.includes('[1] Workflow determinism — corpus/workflows.md (doc-001#p3)'));
    assert.ok(markdown.includes('[3] corpus/rename.md (doc-003#p7)'));
    assert.ok(markdown.includes('> rename() replaces atomically.'));
  });

  test('rendering twice keeps exactly two files and the same bytes', async () => {
    const first = await renderReport(input('wf-twice'));
    const second = await renderReport(input('wf-twice'));
    const files = await readdir(path.join(artifactRoot(), 'wf-twice'));
    assert.deepEqual(files.sort(), ['report.md', 'report.pdf']);
    assert.equal(second.markdown.sha256, first.markdown.sha256);
    assert.equal(second.pdf.sha256, first.pdf.sha256, 'PDF bytes differ for the same input');
    assert.deepEqual(
      (await listArtifacts('wf-twice')).map((a) => a.name),
      ['report.md', 'report.pdf']
    );
  });

  test('a long report spans several pages with "Page X of Y" on each', async () => {
    const paragraphs = Array.from(
      { length: 300 },
      (_, i) => `Paragraph ${i + 1}: durable workflows keep their state across crashes and restarts [1].`
    );
    const result = await renderReport(input('wf-long', { markdown: paragraphs.join('\n\n') }));
    assert.ok(result.pdf.pages >= 5, `expected several pages, got ${result.pdf.pages}`);
    const pages = await pdfPages(result.pdf.path);
    assert.equal(pages.length, result.pdf.pages);
    pages.forEach((page, i) => {
      assert.ok(
        squash(page).includes(`Page ${i + 1} of ${pages.length}`),
        `page ${i + 1} has no page number`
      );
    });
    assert.ok(squash(pages.join(' ')).includes('Paragraph 300:'));
  });

  test('checklist format renders', async () => {
    const result = await renderReport(
      input('wf-checklist', { format: 'checklist', summary: '', markdown: '- [ ] step one\n- [x] step two' })
    );
    const text = squash((await pdfPages(result.pdf.path)).join(' '));
    assert.ok(text.includes('ACTION CHECKLIST'));
    assert.ok(text.includes('step one') && text.includes('step two'));
  });

  test('text outside the standard fonts is drawn or spelled out, never shown as ?', async () => {
    const result = await renderReport(
      input('wf-world', {
        title: 'Отчёт ⚠️ 报告',
        question: 'Как избежать дублей — 如何避免重复',
        summary: '✅ Готово: **αβγ** → *χψω*',
        markdown: WORLD,
        followUps: ['Что дальше — 次は何'],
        citations: [{ ...CITATIONS[0]!, title: 'Источник «один»', excerpt: 'Цитата — 引用 “quoted”' }],
      })
    );
    const text = (await pdfPages(result.pdf.path)).join('\n');
    // The input has no question mark, so any `?` is a character the fonts could not show.
    assert.ok(!/[?\ufffd]/.test(text), `PDF text has ? or U+FFFD:\n${text}`);
    assert.ok(!/[\ufe0f\u200d]/.test(text), 'variation selectors or joiners leaked into the PDF text');
    const compact = (t: string): string => t.replace(/\s+/g, '');
    for (const expected of [
      'Отчёт ⚠ 报告',
      'Как избежать дублей — 如何避免重复',
      '✔ Готово: αβγ → χψω',
      'Ελληνικά και Кириллица ⚠',
      'Η γρήγορη καφέ αλεπού.',
      'Съешь же ещё этих мягких булок.',
      '这是一个很长的中文句子，用来检查换行是否正确。',
      'これは日本語の文です。',
      '한국어 문장입니다.',
      'Arrows → ← ↔ ⇒',
      'box ┌─┐ │ └─┘',
      'math ∑ ∫ √ ∞ ≈ ≠ ≤ ≥ ∀ ∃ ∈ x² ½',
      'curly “double” and ‘single’ quotes',
      '✔ done, ✘ failed, [rocket] launch, [thumbs up] ok, [man][laptop] dev, [flag DE] flag, [1] first.',
      'Unknown: [U+1FAE0] and [U+0928][U+092E][U+0938][U+094D][U+0924][U+0947]',
      'курсив',
      'жирный',
      '中文单元格',
      'Цитата: Ελληνικά 中文粗体',
      'inline код ├─',
      'src/',
      '├── main.ts # 入口',
      '└── util.ts → helpers',
      'Что дальше — 次は何',
      'Источник «один»',
      '“Цитата — 引用 “quoted””',
    ]) {
      assert.ok(
        compact(text).includes(compact(expected)),
        `PDF text lacks ${JSON.stringify(expected)}:\n${text}`
      );
    }
    const { info } = await getMeta(new Uint8Array(await readFile(result.pdf.path)));
    assert.equal((info as { Title?: string }).Title, 'Отчёт ⚠ 报告');

    const again = await renderReport(input('wf-world', { title: 'Отчёт ⚠️ 报告', markdown: WORLD }));
    const twice = await renderReport(input('wf-world', { title: 'Отчёт ⚠️ 报告', markdown: WORLD }));
    assert.equal(
      twice.pdf.sha256,
      again.pdf.sha256,
      'PDF bytes with embedded fonts differ for the same input'
    );
  });

  test('empty markdown and summary is a non-retryable InvalidReport', async () => {
    await assert.rejects(
      renderReport(input('wf-invalid', { markdown: '  ', summary: '' })),
      (err: unknown) =>
        err instanceof ApplicationFailure && err.type === 'InvalidReport' && err.nonRetryable === true
    );
    await assert.rejects(
      renderReport({ ...input('wf-invalid'), format: 'poster' as 'report' }),
      (err: unknown) => err instanceof ApplicationFailure && err.type === 'InvalidReport'
    );
    assert.deepEqual(await listArtifacts('wf-invalid'), []);
  });
});

test('table columns: narrow columns get their full width, the rest share the remainder', () => {
  const widths = allocateColumns([30, 36, 150], [42, 190, 400], 475);
  assert.equal(widths[0], 42);
  assert.ok(Math.abs(widths.reduce((a, b) => a + b, 0) - 475) < 1e-6);
  assert.ok((widths[1] ?? 0) >= 36 && (widths[2] ?? 0) > (widths[1] ?? 0));
  // Too narrow for even the minimums: scaled down proportionally.
  assert.deepEqual(allocateColumns([100, 300], [100, 300], 200), [50, 150]);
});

describe('glyph fallback', () => {
  const measurer = (): Measurer => new Measurer(new PDFDocument({ autoFirstPage: false }));

  test('lines with mixed fonts are measured in the fonts they are drawn in and fit the width', () => {
    const measure = measurer();
    const text = 'Durable 持久化工作流在崩溃后继续执行，并且不会重复产生文件。 Привет, мир → ∑ ok '.repeat(6);
    const lines = layoutRuns([{ text, style: {} }], 200, 10, measure);
    assert.ok(lines.length > 3);
    const fonts = new Set<string>();
    for (const [i, line] of lines.entries()) {
      assert.ok(line.width <= 200 + 1e-9, `line ${i} is ${line.width} pt wide`);
      let x = 0;
      for (const piece of line.pieces) {
        assert.ok(Math.abs(piece.x - x) < 1e-9, 'pieces are placed end to end');
        // Measured word by word, so kerning across words may make the sum differ a little.
        const whole = measure.width(piece.text, piece.face.font, 10);
        assert.ok(Math.abs(piece.width - whole) <= 0.02 * whole + 0.5, `${piece.text}: ${piece.width} pt`);
        if (piece.face.font === 'Helvetica') assert.ok(allWinAnsi(piece.text), `${piece.text} in Helvetica`);
        fonts.add(piece.face.font);
        x += piece.width;
      }
      // CJK breaks between characters, so no line ends far short of the width before a long
      // run of ideographs (which a break only at spaces would do).
      if (i < lines.length - 1) assert.ok(line.width > 200 - 45, `line ${i} is only ${line.width} pt wide`);
    }
    assert.deepEqual([...fonts].sort(), ['DejaVuSans', 'Helvetica', 'WenQuanYiMicroHei']);
    const laidOut = lines.map((l) => l.pieces.map((p) => p.text).join('')).join('');
    assert.equal(laidOut.replace(/ /g, ''), text.replace(/ /g, ''), 'no character lost or changed');
    // A table column of CJK text may be as narrow as one character.
    assert.ok(minContentWidth([{ text: '持久化工作流', style: {} }], 10, measure) <= 10.5);
  });

  test('code lines keep their monospaced columns when fallback characters are mixed in', () => {
    const measure = measurer();
    const cell = measure.width('M', 'Courier', 9);
    // Columns as in a terminal: ├ ─ ─ take one cell each, → one, 中 文 two each.
    const [line, ...rest] = layoutCodeLine('├── a → b # 中文 c', 1000, 9, measure);
    assert.equal(rest.length, 0);
    const at = (text: string): number => line!.pieces.find((p) => p.text === text)?.x ?? NaN;
    assert.equal(at(' a '), 3 * cell);
    assert.equal(at(' b # '), 7 * cell);
    assert.equal(at(' c'), 16 * cell);
    assert.ok(at('→') >= 6 * cell && at('→') < 7 * cell);
    assert.ok(
      line!.pieces.every((p) => p.width <= (/[中文]/.test(p.text) ? 2 : p.text.length) * cell + 1e-9)
    );
    assert.equal(line!.width, 18 * cell);
    // Wrapping counts cells too: 30 ideographs in 20 cells make three lines of ten.
    const wrapped = layoutCodeLine('中'.repeat(30), 20 * cell, 9, measure);
    assert.deepEqual(
      wrapped.map((l) => l.pieces.length),
      [10, 10, 10]
    );
  });

  test('every stand-in replaces a character no font has, with characters some font has', () => {
    for (const [from, to] of Object.entries(SUBSTITUTES)) {
      assert.ok(!allWinAnsi(from) && !anyFallbackCovers(from), `${from} is drawable; its stand-in is dead`);
      for (const ch of to) {
        assert.ok(allWinAnsi(ch) || anyFallbackCovers(ch), `stand-in ${to} for ${from} is not drawable`);
      }
    }
    assert.equal(substitute('\u{1f3f4}\u{e0067}\u{e0062}\u{e007f}'), '[U+1F3F4]');
    assert.equal(substitute('\u{1f44d}\u{1f3fd}'), '[thumbs up]');
    assert.equal(substitute('\u{1f1ef}\u{1f1f5}'), '[flag JP]');
    assert.equal(substitute('#\u20e3'), '[#]');
    assert.equal(substitute('\u{1d400}'), 'A');
  });
});

describe('artifact store', () => {
  test('a crash mid-write leaves a temp file that the next write ignores and removes', async () => {
    const workflowId = 'wf-crash';
    const folder = path.dirname(artifactPath(workflowId, 'report.pdf'));
    await mkdir(folder, { recursive: true });
    // What a process killed between write and rename leaves behind.
    const leftover = path.join(folder, '.report.pdf.4242.0f0f0f0f-dead-beef-0000-000000000000.tmp');
    await writeFile(leftover, 'partial bytes of a dead attempt');
    assert.deepEqual(await listArtifacts(workflowId), [], 'temp files must not be listed');

    const ref = await writeArtifact(workflowId, 'report.pdf', Buffer.from('complete content'));
    assert.deepEqual(await readdir(folder), ['report.pdf']);
    assert.equal((await readArtifact(workflowId, 'report.pdf')).toString(), 'complete content');
    assert.equal(ref.bytes, 'complete content'.length);
    assert.match(ref.sha256, /^[0-9a-f]{64}$/);
  });

  test('concurrent writes of one key end as one complete file', async () => {
    const workflowId = 'wf-race';
    const contents = Array.from({ length: 12 }, (_, i) => `attempt ${i} `.repeat(5_000));
    await Promise.all(contents.map((c) => writeArtifact(workflowId, 'report.md', c)));
    const folder = path.dirname(artifactPath(workflowId, 'report.md'));
    assert.deepEqual(await readdir(folder), ['report.md']);
    assert.ok(contents.includes((await readArtifact(workflowId, 'report.md')).toString()));
  });

  test('names with path traversal are rejected; workflow ids are confined to the root', async () => {
    for (const bad of ['../evil', 'a/b', '/etc/passwd', '..', '.hidden', 'a\\b', '', 'x\u0000y']) {
      await assert.rejects(
        writeArtifact('wf-traversal', bad, 'x'),
        (err: unknown) => err instanceof ApplicationFailure && err.type === 'InvalidArtifactName',
        `name ${JSON.stringify(bad)} was accepted`
      );
    }
    await assert.rejects(readArtifact('wf-traversal', '../../etc/passwd'), /invalid artifact name/);

    const root = artifactRoot();
    for (const id of ['../../escape', '..', '.', '/abs/path', 'a/../../b', 'C:\\temp']) {
      const ref = await writeArtifact(id, 'note.txt', 'inside');
      assert.equal(
        path.dirname(path.dirname(ref.path)),
        root,
        `id ${JSON.stringify(id)} escaped: ${ref.path}`
      );
    }
    assert.deepEqual(await readdir(path.dirname(root)), ['artifacts']);
    // Deterministic, and distinct ids never share a folder.
    assert.equal(safeWorkflowFolder('a/b'), safeWorkflowFolder('a/b'));
    assert.notEqual(safeWorkflowFolder('a/b'), safeWorkflowFolder('a_b'));
    assert.notEqual(safeWorkflowFolder('Report-1'), safeWorkflowFolder('report-1'));
    assert.equal(safeWorkflowFolder('research-123'), 'research-123');
  });

  test('reading a missing artifact names what is missing', async () => {
    await assert.rejects(
      readArtifact('wf-none', 'report.pdf'),
      (err: unknown) => err instanceof ApplicationFailure && err.type === 'ArtifactNotFound'
    );
  });
});
