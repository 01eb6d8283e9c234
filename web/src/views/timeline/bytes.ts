/** 930 B, 12.3 KB, 4.1 MB (powers of 1024, as Temporal states its limits), as `steadfast inspect` prints them. */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
