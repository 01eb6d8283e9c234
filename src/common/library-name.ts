/**
 * The library a package is named after: "lib" + the library + its soname's number ("liblzo2" is
 * LZO, "libgcrypt20" gcrypt). Lower case in, lower case out; a name of three letters or more, so
 * "libc6" and "libz1" name none. Corpus retrieval, its excerpts and the offline writer read package
 * names the same way.
 */
export function libraryOf(word: string): string | undefined {
  return /^lib(\p{Ll}{3,})\d+$/u.exec(word)?.[1];
}
