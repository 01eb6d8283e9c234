// fontkit (pdfkit's font engine) ships no types; this declares the calls fonts.ts makes.
declare module 'fontkit' {
  export interface Font {
    readonly postscriptName: string;
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export interface FontCollection {
    readonly fonts: Font[];
  }
  /** Parses font bytes; for a collection (.ttc), `postscriptName` picks the face. */
  export function create(buffer: Uint8Array, postscriptName?: string): Font | FontCollection;
}
