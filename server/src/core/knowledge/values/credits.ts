/**
 * The token buckets of the limit and hashlimit matches, as the kernel checks them when a rule
 * is added: it turns the average (the time between packets) and the burst times it into
 * "credits" and refuses the rule (Numerical result out of range) where the second comes out
 * below the first, which happens when the product wraps around its counter. limit counts in
 * 32 bits with the average in 1/10000 s, hashlimit (revision 3, as iptables 1.8 adds it) in
 * 64 bits with the average in 1/1000000 s; both scale by the kernel's tick rate (CONFIG_HZ)
 * and a power of two derived from it, so the rules refused depend on how the kernel was built.
 * Measured on Linux 6.18 (HZ=250) with iptables 1.8.9, against every rate of 1 to 100 per
 * day, 1 to 7 per hour, 1 per minute and second with bursts of 1 to 10000: these formulas
 * agree with every verdict. iptables-nft turns the limit match into nf_tables' own limit,
 * which has no such check; hashlimit runs as the kernel's xtables match in both backends.
 */

/** The tick rates kernels are built with (CONFIG_HZ): 250 and 1000 give the same factors. */
export const TICK_RATES: readonly number[] = [100, 250, 300, 1000];

const U32 = 2n ** 32n;
const U64 = 2n ** 64n;

/** The largest power of two at most x. */
function pow2Below(x: bigint): bigint {
  let p = 1n;
  while (p * 2n <= x) p *= 2n;
  return p;
}

/** The kernel's factor for a tick rate: HZ times credits per jiffy, the largest power of two that keeps a day's credits within the counter. */
function factor(hz: number, max: bigint): bigint {
  const h = BigInt(hz);
  return h * pow2Below(max / (h * 86400n));
}

const LIMIT_FACTORS = new Map(TICK_RATES.map((hz) => [hz, factor(hz, U32 - 1n)]));
// hashlimit divides its scale out first: HZ * credits per jiffy / 1000000
const HASHLIMIT_FACTORS = new Map(TICK_RATES.map((hz) => [hz, factor(hz, U64 - 1n) / 1000000n]));

/** The limit match's user2credits in 32 bits (xt_limit.c). */
function limitCredits(user: bigint, k: bigint): bigint {
  return user > (U32 - 1n) / k ? ((user / 10000n) * k) % U32 : (user * k) / 10000n;
}

/**
 * The tick rates whose kernel refuses a limit match with this average (1/10000 s between
 * packets, see storedRate) and burst; empty when every kernel takes it.
 */
export function limitRefusedAt(avg: number, burst: number): number[] {
  // nothing wraps (the largest factor, HZ=300, is 38,400): most rules, 5/second with a burst of 10 is 2,000 × 10
  if (avg * burst * 40000 < 2 ** 32) return [];
  const a = BigInt(avg);
  const total = (a * BigInt(burst)) % U32;
  return TICK_RATES.filter((hz) => {
    const k = LIMIT_FACTORS.get(hz)!;
    return limitCredits(total, k) < limitCredits(a, k);
  });
}

/**
 * The tick rates whose kernel refuses a hashlimit match counting packets with this average
 * (1/1000000 s between packets, see hashlimitRate) and burst; empty when every kernel takes it.
 */
export function hashlimitRefusedAt(avg: number, burst: number): number[] {
  // nothing wraps: the largest factor (HZ=300) is 164,926,744, and 10^11 times it is below 2^64
  if (avg * burst < 1e11) return [];
  const a = BigInt(avg);
  const total = (a * BigInt(burst)) % U64;
  return TICK_RATES.filter((hz) => {
    const f = HASHLIMIT_FACTORS.get(hz)!;
    return (total * f) % U64 < (a * f) % U64;
  });
}
