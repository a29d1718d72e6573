/** Three-valued logic: a test on something unknown is "maybe", never a guess. */
export type Tri = 'yes' | 'no' | 'maybe';

export function and(a: Tri, b: Tri): Tri {
  if (a === 'no' || b === 'no') return 'no';
  if (a === 'maybe' || b === 'maybe') return 'maybe';
  return 'yes';
}

export function not(a: Tri): Tri {
  return a === 'yes' ? 'no' : a === 'no' ? 'yes' : 'maybe';
}

export function fromBool(b: boolean): Tri {
  return b ? 'yes' : 'no';
}
