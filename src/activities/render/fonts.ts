/**
 * Fonts of report.pdf. Text is set in the standard PDF fonts (Helvetica, Courier), which need no
 * embedding but only cover WinAnsi. What they cannot show falls back to fonts shipped in
 * ./fonts: DejaVu Sans (Greek, Cyrillic, arrows, maths, box drawing, many symbols) and
 * WenQuanYi Micro Hei (Chinese, Japanese, Korean). pdfkit embeds only the glyphs used. The
 * files are read on first need, so a report in Latin text loads and embeds no font at all.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as fontkit from 'fontkit';
import type { RunStyle } from './inline.js';

export const FONT = {
  regular: 'Helvetica',
  bold: 'Helvetica-Bold',
  italic: 'Helvetica-Oblique',
  boldItalic: 'Helvetica-BoldOblique',
  mono: 'Courier',
  monoBold: 'Courier-Bold',
} as const;

export function fontFor(style: RunStyle): string {
  if (style.code) return style.bold ? FONT.monoBold : FONT.mono;
  if (style.bold && style.italic) return FONT.boldItalic;
  if (style.bold) return FONT.bold;
  if (style.italic) return FONT.italic;
  return FONT.regular;
}

/** Inline code is set a little smaller: Courier looks large next to Helvetica. */
export const sizeFor = (style: RunStyle, size: number): number => (style.code ? size * 0.9 : size);

/**
 * A font as text is drawn in. The fallback fonts lack some styles, which are then synthesised:
 * `fakeBold` strokes the outlines as well as filling them, `oblique` slants the glyphs.
 */
export interface Face {
  font: string;
  fakeBold?: boolean;
  oblique?: boolean;
}

export const faceKey = (face: Face): string =>
  `${face.font}${face.fakeBold ? '+b' : ''}${face.oblique ? '+i' : ''}`;

/** Slant of synthesised italics, in degrees: Helvetica-Oblique's. */
export const OBLIQUE_DEGREES = 12;

interface FallbackSpec {
  /** The name the font is registered under in a document (its PostScript name). */
  name: string;
  /** Its bold sibling, if there is one; otherwise bold is synthesised. */
  bold?: string;
}

/** In order of preference; the first font that has every character of a cluster sets it. */
const FALLBACKS: readonly FallbackSpec[] = [
  { name: 'DejaVuSans', bold: 'DejaVuSans-Bold' },
  { name: 'WenQuanYiMicroHei' },
];

/** Font files by PostScript name; a `collection` (.ttc) holds several fonts, picked by name. */
const FILES: Readonly<Record<string, { file: string; collection?: boolean }>> = {
  DejaVuSans: { file: 'DejaVuSans.ttf' },
  'DejaVuSans-Bold': { file: 'DejaVuSans-Bold.ttf' },
  WenQuanYiMicroHei: { file: 'wqy-microhei.ttc', collection: true },
};

interface LoadedFont {
  data: Buffer;
  /** Which font of a collection (fontkit reads the argument as a variation name otherwise). */
  family: string | undefined;
  font: fontkit.Font;
}

const loaded = new Map<string, LoadedFont>();

export const isFallbackFont = (name: string): boolean => Object.hasOwn(FILES, name);

/** Reads and parses a fallback font once per process; a missing file is a broken install. */
function load(name: string): LoadedFont {
  const cached = loaded.get(name);
  if (cached) return cached;
  const spec = FILES[name];
  if (!spec) throw new Error(`unknown fallback font ${name}`);
  const path = fileURLToPath(new URL(`./fonts/${spec.file}`, import.meta.url));
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (err) {
    throw new Error(
      `cannot read the PDF fallback font ${path} (${(err as Error).message}); it ships with steadfast in src/activities/render/fonts — reinstall or restore that folder`,
      { cause: err }
    );
  }
  const family = spec.collection ? name : undefined;
  const parsed = fontkit.create(data, family);
  const font = 'fonts' in parsed ? undefined : parsed;
  if (!font || font.postscriptName !== name) throw new Error(`font file ${path} has no font named ${name}`);
  const entry = { data, family, font };
  loaded.set(name, entry);
  return entry;
}

/** Registers a fallback font with a document (pdfkit parses it again per document). */
export function registerFallback(doc: PDFKit.PDFDocument, name: string): void {
  const { data, family } = load(name);
  doc.registerFont(name, data, family);
}

/** Whether the fallback font `name` has every character of `cluster`. */
export function covers(name: string, cluster: string): boolean {
  const { font } = load(name);
  for (const ch of cluster) if (!font.hasGlyphForCodePoint(ch.codePointAt(0) ?? 0)) return false;
  return true;
}

/** The fallback face that can draw every character of `cluster` in `style`, if any. */
export function fallbackFace(cluster: string, style: RunStyle): Face | undefined {
  const oblique = Boolean(style.italic && !style.code);
  for (const spec of FALLBACKS) {
    if (!covers(spec.name, cluster)) continue;
    const slant = oblique ? { oblique: true } : {};
    if (!style.bold) return { font: spec.name, ...slant };
    // The bold sibling has a few glyphs fewer than the regular font.
    if (spec.bold && covers(spec.bold, cluster)) return { font: spec.bold, ...slant };
    return { font: spec.name, fakeBold: true, ...slant };
  }
  return undefined;
}

/** Whether some fallback font draws `cluster` (for checking substitutes). */
export const anyFallbackCovers = (cluster: string): boolean => fallbackFace(cluster, {}) !== undefined;
