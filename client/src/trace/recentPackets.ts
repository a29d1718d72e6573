/** The packets last traced in this workspace, most recent first. */
export const RECENT_PACKETS_KEY = 'iptables.trace.recentPackets';
export const RECENT_PACKETS_MAX = 10;

/** The list after tracing `spec`: it moves to the front, once, and the oldest fall off. */
export function rememberPacket(list: readonly string[], spec: string, max = RECENT_PACKETS_MAX): string[] {
  const s = spec.trim().replace(/\s+/g, ' ');
  if (!s) return [...list];
  return [s, ...list.filter((x) => x !== s)].slice(0, max);
}
