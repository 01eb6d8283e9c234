// `ms` ships its types outside its package exports map, which NodeNext resolution respects; this
// declares the one call we use (see duration.ts).
declare module 'ms' {
  /** Milliseconds of a duration string such as "24 hours" or "90s"; NaN/undefined when it is not one. */
  export default function ms(value: string): number;
}
