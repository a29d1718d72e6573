/**
 * The chains OpenWrt's firewall (fw3, OpenWrt 15.05 to 21.02) makes before it runs the
 * includes of /etc/config/firewall, /etc/firewall.user among them (read from fw3's
 * defaults.c and zones.c): a script fw3 runs names them without making them. `Z` is a zone's
 * name (lan, wan...).
 *
 * - filter: delegate_input, delegate_output, delegate_forward, reject, syn_flood; the custom
 *   chains input_rule, output_rule, forwarding_rule and input_Z_rule, output_Z_rule,
 *   forwarding_Z_rule; each zone's zone_Z_input, zone_Z_output, zone_Z_forward,
 *   zone_Z_src_ACCEPT|REJECT|DROP and zone_Z_dest_ACCEPT|REJECT|DROP.
 * - nat: delegate_prerouting, delegate_postrouting, prerouting_rule, postrouting_rule,
 *   prerouting_Z_rule, postrouting_Z_rule, zone_Z_prerouting, zone_Z_postrouting.
 * - mangle: mssfix, fwmark. raw: delegate_notrack (notrack in early releases), zone_Z_notrack,
 *   zone_Z_helper.
 */
const FW3_CHAINS: Readonly<Record<string, RegExp>> = {
  filter: /^(?:delegate_(?:input|output|forward)|reject|syn_flood|(?:input|output|forwarding)(?:_\w+)?_rule|zone_\w+_(?:input|output|forward|src_(?:ACCEPT|REJECT|DROP)|dest_(?:ACCEPT|REJECT|DROP)))$/,
  nat: /^(?:delegate_(?:prerouting|postrouting)|(?:prerouting|postrouting)(?:_\w+)?_rule|zone_\w+_(?:prerouting|postrouting))$/,
  mangle: /^(?:mssfix|fwmark)$/,
  raw: /^(?:delegate_notrack|notrack|zone_\w+_(?:notrack|helper))$/,
};

/** Whether fw3 makes chain `name` of `table` (see FW3_CHAINS). */
export function fw3Chain(table: string, name: string): boolean {
  return Object.hasOwn(FW3_CHAINS, table) && FW3_CHAINS[table].test(name);
}

/** The chains fw3 makes for an administrator's own rules (see fw3Chain): it leaves their rules alone on a reload. */
export function fw3UserChain(name: string): boolean {
  return /^(?:input|output|forwarding|prerouting|postrouting)(?:_\w+)?_rule$/.test(name);
}

/** Where fw3 jumps to one of its custom chains from (fw3's defaults.c and zones.c), for hover; undefined for its other chains. */
export function fw3UserChainCaller(name: string): string | undefined {
  const m = /^(input|output|forwarding|prerouting|postrouting)(?:_(\w+))?_rule$/.exec(name);
  if (!m) return undefined;
  const hook = m[1] === 'forwarding' ? 'forward' : m[1];
  return m[2] ? `zone_${m[2]}_${hook}` : hook.toUpperCase();
}

/**
 * The file names fw3 runs as includes after building its tables: /etc/firewall.user, which
 * OpenWrt's default configuration names in a `config include` section.
 */
export const FW3_INCLUDE_NAME = /(^|[/\\])firewall\.user$/;
