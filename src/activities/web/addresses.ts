/**
 * What kind of address an IP is, for the fetch guard: only globally reachable unicast addresses
 * are fetched. IPv6 forms that carry an IPv4 address (mapped `::ffff:a.b.c.d`, NAT64
 * `64:ff9b::/96`, 6to4 `2002::/16`) are judged by the IPv4 address they lead to.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** Why an address is not public; `undefined` for a public address. */
export type AddressClass =
  | 'loopback'
  | 'private'
  | 'shared (carrier-grade NAT)'
  | 'link-local'
  | 'multicast'
  | 'unspecified'
  | 'reserved'
  | 'documentation'
  | 'broadcast';

interface Range {
  base: bigint;
  bits: number;
  kind: AddressClass;
}

function v4Number(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

const V4: { base: number; bits: number; kind: AddressClass }[] = [
  { base: v4Number('0.0.0.0'), bits: 8, kind: 'unspecified' },
  { base: v4Number('10.0.0.0'), bits: 8, kind: 'private' },
  { base: v4Number('100.64.0.0'), bits: 10, kind: 'shared (carrier-grade NAT)' },
  { base: v4Number('127.0.0.0'), bits: 8, kind: 'loopback' },
  { base: v4Number('169.254.0.0'), bits: 16, kind: 'link-local' },
  { base: v4Number('172.16.0.0'), bits: 12, kind: 'private' },
  { base: v4Number('192.0.0.0'), bits: 24, kind: 'reserved' },
  { base: v4Number('192.0.2.0'), bits: 24, kind: 'documentation' },
  { base: v4Number('192.88.99.0'), bits: 24, kind: 'reserved' },
  { base: v4Number('192.168.0.0'), bits: 16, kind: 'private' },
  { base: v4Number('198.18.0.0'), bits: 15, kind: 'reserved' },
  { base: v4Number('198.51.100.0'), bits: 24, kind: 'documentation' },
  { base: v4Number('203.0.113.0'), bits: 24, kind: 'documentation' },
  { base: v4Number('224.0.0.0'), bits: 4, kind: 'multicast' },
  { base: v4Number('255.255.255.255'), bits: 32, kind: 'broadcast' },
  { base: v4Number('240.0.0.0'), bits: 4, kind: 'reserved' },
];

function classifyV4(n: number): AddressClass | undefined {
  for (const r of V4) {
    const size = 2 ** (32 - r.bits);
    if (n >= r.base && n < r.base + size) return r.kind;
  }
  return undefined;
}

/** The 128-bit value of an IPv6 address (with or without an embedded dotted IPv4 tail). */
function v6Number(address: string): bigint {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = v4Number(dotted[1]!);
    text = text.slice(0, dotted.index) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
}

const v6 = (text: string, bits: number, kind: AddressClass): Range => ({ base: v6Number(text), bits, kind });

/** Ranges inside the global unicast block 2000::/3 that are still not public. */
const V6_SPECIAL: Range[] = [
  v6('2001::', 23, 'reserved'), // IETF protocol assignments, Teredo (2001::/32) included
  v6('2001:db8::', 32, 'documentation'),
  v6('3fff::', 20, 'documentation'),
];

const inRange = (n: bigint, r: Range): boolean =>
  n >> BigInt(128 - r.bits) === r.base >> BigInt(128 - r.bits);

export interface AddressVerdict {
  /** Why it is refused; undefined when the address is public. */
  kind?: AddressClass;
  /** For IPv6 forms that carry an IPv4 address: that address, which decides. */
  embedded?: string;
}

function v4Text(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join('.');
}

function classifyV6(address: string): AddressVerdict {
  const n = v6Number(address);
  const embedded = (v4: bigint): AddressVerdict => {
    const text = v4Text(v4);
    return { kind: classifyV4(v4Number(text)), embedded: text };
  };
  if (n === 0n) return { kind: 'unspecified' };
  if (n === 1n) return { kind: 'loopback' };
  if (n >> 32n === 0xffffn) return embedded(n & 0xffffffffn); // ::ffff:a.b.c.d, IPv4-mapped
  if (inRange(n, v6('64:ff9b::', 96, 'reserved'))) return embedded(n & 0xffffffffn); // NAT64
  if (inRange(n, v6('64:ff9b:1::', 48, 'private'))) return { kind: 'private' }; // local-use NAT64
  if (inRange(n, v6('2002::', 16, 'reserved'))) return embedded((n >> 80n) & 0xffffffffn); // 6to4
  if (inRange(n, v6('fc00::', 7, 'private'))) return { kind: 'private' }; // unique local
  if (inRange(n, v6('fe80::', 10, 'link-local'))) return { kind: 'link-local' };
  if (inRange(n, v6('fec0::', 10, 'private'))) return { kind: 'private' }; // site-local (deprecated)
  if (inRange(n, v6('ff00::', 8, 'multicast'))) return { kind: 'multicast' };
  // Everything outside global unicast (2000::/3) is unassigned or special: ::/8 (IPv4-compatible
  // forms), 100::/64 (discard), 5f00::/16 (SRv6)…
  if (!inRange(n, v6('2000::', 3, 'reserved'))) return { kind: 'reserved' };
  for (const r of V6_SPECIAL) if (inRange(n, r)) return { kind: r.kind };
  return {};
}

/** Classifies an IP address (v4 dotted quad or v6 without brackets); throws on anything else. */
export function classifyAddress(address: string): AddressVerdict {
  if (isIPv4(address)) return { kind: classifyV4(v4Number(address)) };
  if (isIPv6(address)) return classifyV6(address);
  throw new TypeError(`not an IP address: ${address}`);
}

/**
 * Why an address is refused, as a phrase: "169.254.169.254 is link-local (the cloud metadata
 * service)", "::ffff:127.0.0.1 leads to 127.0.0.1, which is loopback", and with the name that
 * resolved to it: "intranet.test resolves to 10.0.0.5, which is private".
 */
export function describeAddress(address: string, verdict: AddressVerdict, host?: string): string {
  const kind = verdict.kind ?? 'public';
  const metadata =
    address === '169.254.169.254' || verdict.embedded === '169.254.169.254'
      ? ' (the cloud metadata service)'
      : '';
  const what = verdict.embedded ? `leads to ${verdict.embedded}, which is ${kind}` : `is ${kind}`;
  return host ? `${host} resolves to ${address}, which ${what}${metadata}` : `${address} ${what}${metadata}`;
}
