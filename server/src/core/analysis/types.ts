import type { Command, RuleSet } from '../model/types.ts';
import type { Steps } from '../services/steps.ts';
import type { Span } from '../text/span.ts';
import type { UfwLoad, UfwSurroundings } from '../model/ufwLoad.ts';
import type { Hook, HookFormat } from '../model/hookFiles.ts';
import type { IfaceStanza } from '../model/ifupdown.ts';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

export interface RelatedInfo {
  span: Span;
  message: string;
}

/** Machine-readable edit a quick fix can apply: replace `span` with `text`. */
export interface FixEdit {
  span: Span;
  text: string;
}

export interface Fix {
  title: string;
  edits: FixEdit[];
  /**
   * Applying it keeps what the rules do: every packet meets the same verdicts and rewrites, and
   * a command that loads loads the same. Only such fixes are applied without a person choosing
   * (`iptables-lint --fix`, the editor's fix-all); the others change what the firewall does.
   */
  safe?: boolean;
  /** The `# iptables-lint disable-next-line` comment every finding offers: silences it, fixes nothing. */
  suppression?: true;
}

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  span: Span;
  related?: RelatedInfo[];
  fixes?: Fix[];
}

export interface RuleDocs {
  /** What the rule flags, one paragraph. */
  description: string;
  /** Why it matters. */
  rationale: string;
  /** A bad and a good example, in the dialect named. */
  bad: { dialect: 'save' | 'script' | HookFormat; text: string };
  good: { dialect: 'save' | 'script' | HookFormat; text: string };
}

export interface AnalysisSettings {
  /** TCP port of SSH for `ssh-lockout-risk`. */
  sshPort: number;
  /** Documents larger than this (in characters) are not analysed: `analysis-skipped` says so. */
  maxBytes?: number;
  /** Bytes of heap the document's model may take (see DocumentOptions.memoryRoom): past it, `analysis-skipped` says so. */
  memoryRoom?: number;
  /** Save files: forwarding facts from the workspace's sysctl.conf / sysctl.d files, when the front end found some. */
  workspaceForwarding?: { family: 'ipv4' | 'ipv6'; value?: string; file: string }[];
  /** Save files: route_localnet settings from the same files (`all`, `default` or an interface). */
  workspaceRouteLocalnet?: { iface: string; value?: string; file: string }[];
  /** False when the front end could not look for sysctl files (a lone save file). */
  workspaceSearched?: boolean;
  /**
   * The file on disk starts with a UTF-8 byte order mark that the text analysed leaves out (an
   * editor's: they hide the mark and keep it when they save).
   */
  savedWithByteOrderMark?: boolean;
  /**
   * Save files: the sets of the ipset file kept beside the rules file and loaded before it at
   * boot (`ipsets` of Debian's ipset-persistent in /etc/iptables, `ipset` of RHEL's
   * ipset-service in /etc/sysconfig), as the front end found it.
   */
  workspaceSets?: { file: string; sets: { name: string; family?: 'ipv4' | 'ipv6'; type?: string; extensions?: ('timeout' | 'counters' | 'skbinfo' | 'comment')[]; span: { start: number; end: number } }[] };
  /**
   * Save files: the IPv4 half kept beside an IPv6 rules file (rules.v4 beside rules.v6), as the
   * front end found it, where its source NAT says which side of the router is outside: the
   * file's name, the interface the NAT sends out of, the one its rules put a LAN behind.
   */
  workspaceIpv4Nat?: { file: string; wan: string; lanIface?: string };
  /** Save files: the IPv6 rules kept beside an IPv4 rules file (rules.v6 beside rules.v4), as the front end found them. */
  workspaceIpv6?: {
    /** The name of the IPv6 file looked for, when the file's own name says it is the IPv4 half (`rules.v4`, `iptables.rules`). */
    expected?: string;
    /** The IPv6 rules file found beside it (its name), and whether its filter INPUT ends closed. */
    found?: { name: string; inputClosed: boolean };
    /** A sysctl file of the workspace that turns IPv6 off (`net.ipv6.conf.all.disable_ipv6 = 1`). */
    disabledBy?: string;
  };
  /**
   * Save files: a ufw rules file's surroundings (/etc/default/ufw and the other rules files
   * of its family), as the front end found them: the checks that follow a packet through
   * FORWARD read the tables as ufw loads them all (see model/ufwLoad.ts).
   */
  workspaceUfw?: UfwSurroundings;
}

export interface RuleContext {
  readonly ruleSet: RuleSet;
  readonly text: string;
  /**
   * `[from, to)` of the text. Right after an edit of a big file the text is pieces of the one
   * before, and reading `text` itself copies all of it into one piece (see EditedText):
   * a rule that runs on every edit reads through this.
   */
  read(from: number, to: number): string;
  readonly settings: AnalysisSettings;
  /** A file of hooks, wg-quick's or ifupdown's (see model/hookFiles.ts): `ruleSet` is what bringing the interface up runs. */
  readonly hooks?: HookFacts;
  /**
   * A ufw rules file read with the others ufw loads (see services/ufwFindings.ts): `ruleSet`
   * and `text` are then the whole load, the file's own text at `[ufw.from, ufw.to)` of it.
   */
  readonly ufw?: UfwLoad;
  report(d: Omit<Diagnostic, 'code' | 'severity'> & { severity?: Severity }): void;
}

/** What the checks know of a file of hooks besides what bringing the interface up runs. */
export interface HookFacts {
  format: HookFormat;
  /** What taking the interface down runs (wg-quick's PreDown and PostDown, ifupdown's down and post-down), read as a script of its own. */
  teardown: RuleSet;
  /** wg-quick: the interface's addresses (`Address = 10.8.0.1/24, fd42::1/64`), as written. */
  addresses: readonly string[];
  /** ifupdown: its `iface` stanzas, each brought up and down on its own. */
  stanzas?: readonly IfaceStanza[];
  /** Its hook lines, each run in a shell of its own. */
  lines: readonly Hook[];
}

export interface LintRule {
  code: string;
  severity: Severity;
  /** One line for the README table. */
  summary: string;
  docs: RuleDocs;
  /** Looks at the rule set as a whole: chains, jumps, paths of packets. */
  check?(ctx: RuleContext): void;
  /**
   * Works out, in steps, what `check` reads that is kept per rule set (and shared with hover),
   * before `check` runs: the engine yields between the steps, where a front end answers other
   * requests. `check` works it out at once when this was not run.
   */
  prepare?(ruleSet: RuleSet): Steps<void>;
  /**
   * Looks at one command (a rule line, a script's iptables call). The engine walks the
   * commands once and hands each to every such rule while it is at hand.
   */
  checkCommand?(cmd: Command, ctx: RuleContext): void;
  /**
   * `checkCommand` looks only at the command itself, its family and its table: an edit
   * elsewhere cannot change what it finds, so documents keep its findings per command.
   */
  lineLocal?: boolean;
}
