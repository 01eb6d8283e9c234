// Files a corpus folder may hold by accident or by malice, made quickly in a temp folder.
import { execFileSync } from 'node:child_process';
import { deflateSync } from 'node:zlib';

/** A one-page PDF whose content stream is small on disk and inflates to `inflatedBytes`. */
export function bombPdf(inflatedBytes: number): Buffer {
  const raw = Buffer.alloc(inflatedBytes, ' ');
  raw.write('BT /F1 12 Tf 72 712 Td (bomb) Tj ET\n');
  const stream = deflateSync(raw, { level: 9 });
  const objects: (string | Buffer)[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    Buffer.concat([
      Buffer.from(`<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`),
      stream,
      Buffer.from('\nendstream'),
    ]),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n')];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  objects.forEach((o, i) => {
    offsets.push(length);
    const part = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), Buffer.from(o), Buffer.from('\nendobj\n')]);
    parts.push(part);
    length += part.length;
  });
  const rows = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  parts.push(
    Buffer.from(
      `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${rows}` +
        `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`
    )
  );
  return Buffer.concat(parts);
}

/** Bytes that look like a compiled program: NULs and control characters. */
export function binaryBytes(size = 4096): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 7919) % 256;
  return bytes;
}

export function mkfifo(file: string): void {
  execFileSync('mkfifo', [file]);
}
