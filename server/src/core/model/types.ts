import type { CommandUse, ExtensionSpec, Family, OptionSpec } from '../knowledge/types.ts';
import type { Span } from '../text/span.ts';
import type { CachedFindings } from '../analysis/commandCache.ts';
import type { ArgList, OptionItem, SyntaxIssue, Word } from '../syntax/nodes.ts';
import type { IpsetStep } from './ipsetSteps.ts';
import type { KnownValue, SourceUse } from './shellVariables.ts';

/**
 * The one model both dialects produce. A save file and a script that load the same rules
 * give the same tables, chains and rules; every part keeps the span it came from.
 */

export type Dialect = 'save' | 'script';

/** One option as bound to its owner (iptables itself, a match or the target). */
export interface BoundOption {
  item: OptionItem;
  /** Canonical spelling from the knowledge base, or the written name when unknown. */
  name: string;
  spec?: OptionSpec;
  owner: 'generic' | MatchUse | TargetUse;
  negated: boolean;
  values: Word[];
  /**
   * The one value, read without making its word, when the option keeps it as text (see
   * LineOption): the checks read every value of a dump and make a word only for a finding.
   * Undefined otherwise (read `values`). Such a value never holds a shell expansion.
   */
  readonly keptValue?: string;
  /** Written as a unique prefix of the canonical name (`--to` for `--to-destination`). */
  abbreviated?: boolean;
}

export interface MatchUse {
  name: string;
  spec?: ExtensionSpec;
  /** `-m NAME` word, or the `-p` value for an implicit protocol match. */
  span: Span;
  implicit: boolean;
  options: BoundOption[];
}

export interface TargetUse {
  name: string;
  /** Extension target (ACCEPT, DNAT…); undefined means a chain name. */
  spec?: ExtensionSpec;
  span: Span;
  goto: boolean;
  options: BoundOption[];
}

/** A parameter test such as `! -s 10.0.0.0/8`. */
export interface Condition {
  value: string;
  negated: boolean;
  span: Span;
  word: Word;
}

/** Why an option could not be bound; analysis rules turn these into coded diagnostics. */
export type BindProblem =
  | { kind: 'unknown-option'; option: OptionItem; ambiguous?: string[] }
  | { kind: 'needs-match'; option: OptionItem; candidates: ExtensionSpec[] }
  | { kind: 'needs-target'; option: OptionItem; candidates: ExtensionSpec[] }
  | { kind: 'unknown-match'; name: string; span: Span }
  | { kind: 'negation-not-allowed'; option: OptionItem }
  /** An option of iptables itself that this command does not take (`-F INPUT -p tcp`, `-A INPUT -n`). */
  | { kind: 'not-with-command'; option: OptionItem; span: Span; written: string; command: CommandUse }
  /** A parameter of iptables itself given a second time (`-i eth0 -i eth1`, `-j ACCEPT -g X`): iptables refuses the command. */
  | { kind: 'repeated-parameter'; option: OptionItem; span: Span; written: string };

export interface Rule {
  family: Family;
  table: string;
  chain: string;
  chainSpan: Span;
  /** The whole line (save) or command (script). */
  span: Span;
  protocol?: Condition;
  source?: Condition;
  destination?: Condition;
  inInterface?: Condition;
  outInterface?: Condition;
  fragment?: { negated: boolean; span: Span };
  matches: MatchUse[];
  target?: TargetUse;
  /** Every option in the order written. */
  options: BoundOption[];
  problems: BindProblem[];
  /** Some word holds a shell expansion: the rule's meaning is partly unknown. */
  dynamic: boolean;
  /**
   * Scripts: the shell condition the command that added it runs under (0: none; see
   * RuleSet.guards). A rule under a condition may not be there: it hides a later rule only
   * when that one is added under the same condition or one inside it (see dominates).
   */
  guard: number;
  counters?: { packets: string; bytes: string };
}

export type CommandKind =
  | 'append' | 'insert' | 'delete' | 'replace' | 'check' | 'list' | 'list-rules'
  | 'flush' | 'zero' | 'new-chain' | 'delete-chain' | 'rename-chain' | 'policy' | 'none';

/** One iptables invocation (script) or one rule / chain line (save file). */
export interface Command {
  kind: CommandKind;
  family: Family;
  table: string;
  /** `-t nat` word, or the `*nat` header for save files. */
  tableSpan?: Span;
  tableDynamic?: boolean;
  chain?: string;
  chainWord?: Word;
  /** `-I CHAIN 3`, `-D CHAIN 2`, `-R CHAIN 1`. */
  position?: number;
  /** `-P CHAIN TARGET`. */
  policy?: Word;
  /** `-E OLD NEW`. */
  newName?: Word;
  rule?: Rule;
  span: Span;
  args: ArgList;
  /** Chain or table given by a shell expansion: the effect is unknown. */
  uncertain: boolean;
  issues: SyntaxIssue[];
  /** Options that could not be bound (also on `rule` when there is one). */
  problems: BindProblem[];
  /** The analysis engine's memo of this command's line-local findings (analysis/commandCache.ts). */
  lineFindings?: CachedFindings;
  /** Scripts: the script goes on knowing the command may fail (`2>/dev/null`, `|| true`; see failureHandled). */
  failureHandled?: true;
  /**
   * Scripts: `set -e` is in force and nothing in the shell catches this command's failure (no
   * test, `||` or `&&` after it; a redirection of its errors hides the message, not the exit
   * status): where it fails, the script stops (see errexitStops).
   */
  stopsOnFailure?: true;
  /**
   * Scripts: an append or insert after `||` that follows a check of the same rule
   * (`iptables -C INPUT … || iptables -A INPUT …`): it runs only where the rule is not there yet.
   */
  addsOnce?: true;
  /** Scripts: iptables refuses the command before it changes the tables (see refusedCommand): its rule is in no chain. */
  refused?: true;
  /** Scripts: an instance (see RuleSet.instances): the command as written that it was bound from, one of RuleSet.templates. */
  instanceOf?: Command;
  /**
   * Scripts: an instance loops made (see RuleSet.instances): each loop's variable and the word
   * the instance was bound with (on its `for` line, or a call's argument for a loop over a
   * function's arguments), outermost loop first; `loop`, where the loop's `for` starts.
   */
  loopValues?: readonly { name: string; value: Word; loop: number }[];
  /** Scripts: the shell condition the command runs under, where it has one (the same as its rule's Rule.guard). */
  guard?: number;
  /**
   * Scripts: user chains of its table the command finds, because it runs only after an
   * iptables command that needed them succeeded (`iptables -S X >/dev/null && iptables -F X`;
   * see chainsFoundUnder).
   */
  chainsFound?: readonly string[];
}

/**
 * What the rule number of `-I CHAIN n`, `-R CHAIN n` or `-D CHAIN n` points at when the
 * command runs: known only where the script has built the whole chain by then (it started
 * empty, every rule added certainly and as one kernel rule each).
 */
export interface RulePosition {
  chain: string;
  number: number;
  /** The rule at that number: the one deleted or replaced, or the one an insert goes before (none: past the end). */
  rule?: Rule;
  /** How many rules the chain holds then. */
  length: number;
}

export interface ChainDeclaration {
  /** `:name` word or `-N name` word. */
  span: Span;
  line: Span;
  /** `ACCEPT`/`DROP` for built-in chains in save files; `-` for user chains. */
  policy?: Word;
  /**
   * Save files: the rules written to the user chain above that this line emptied.
   * iptables-restore 1.8.9 empties a user chain at each of its chain lines: iptables-nft
   * within one block, both backends with `--noflush` (legacy refuses a second one otherwise).
   */
  emptied?: number;
}

export interface Chain {
  name: string;
  table: string;
  family: Family;
  builtin: boolean;
  /** The policy in force at the end (built-in chains); ACCEPT when never set. */
  policy: string;
  /** Where the policy was set (`:INPUT DROP` or `-P INPUT DROP`). */
  policySpan?: Span;
  declarations: ChainDeclaration[];
  /** Final rules, in evaluation order. */
  rules: Rule[];
}

export interface Table {
  family: Family;
  name: string;
  /** `*nat` headers (save) or the first `-t nat` (script). */
  spans: Span[];
  chains: Map<string, Chain>;
  /**
   * How many times an edit has added or removed a chain of this table in place (see
   * patchRuleSet: a chain no line declares comes with its first rule and goes with its last):
   * what was derived from the chain names is derived again when it changes.
   */
  chainEdits?: number;
}

/** Something that turns forwarding on or off. */
export interface ForwardingFact {
  family: Family;
  /** `1`, `0`, or undefined when the value is a shell expansion. */
  value?: string;
  /** `runtime` (sysctl -w, /proc write) or `persist` (sysctl.conf line). */
  how: 'runtime' | 'persist';
  span: Span;
}

/**
 * Something that sets `net.ipv4.conf.<interface>.route_localnet`: with it on, routing takes
 * packets to 127.0.0.0/8 that arrive on the interface (a DNAT to 127.0.0.1 from PREROUTING).
 */
export interface RouteLocalnetFact {
  /** `all`, `default` or an interface; undefined when not known (`sysctl -p`, an expansion). */
  iface?: string;
  /** As written; undefined when the value is a shell expansion or not known. */
  value?: string;
  how: 'runtime' | 'persist';
  span: Span;
}

/**
 * A command iptables certainly refuses, given the tables when it runs: `-X` of a chain that
 * still has rules or that a rule jumps to, `-I`/`-R`/`-D` at a rule number past the end of a
 * chain whose rules are all known, `-D CHAIN spec` of a rule such a chain certainly does not
 * hold, `-N` of a chain (or `-E` to a name) that exists, a
 * command naming a user chain that does not exist yet (the script creates it further down) or
 * any more (a `-X` above deleted it).
 */
export interface Refusal {
  command: Command;
  /**
   * replace-crashes: a `-R` in iptables-restore input of a rule the same input added, on
   * which iptables-nft-restore 1.8.9 crashes (segmentation fault: nothing is loaded).
   */
  reason: 'chain-has-rules' | 'chain-jumped-to' | 'index-too-big' | 'rule-not-found' | 'chain-exists' | 'created-later' | 'chain-deleted' | 'replace-crashes';
  chain: string;
  /** The rule that keeps the chain: one of its own, or one that jumps to it. (chain-exists: the chain that exists; replace-crashes: the rule replaced.) */
  rule?: Rule;
  /** index-too-big: the chain's length then. */
  length?: number;
  /** created-later, chain-deleted: where this command names the chain (its chain, or its jump). */
  at?: Span;
  /** created-later: the `-N` further down; chain-deleted: the `-X` above. */
  by?: Command;
  /** created-later: named after the script deleted every chain of the table, so nothing is left from an earlier run. */
  afterClear?: true;
}

export interface RuleSet {
  dialect: Dialect;
  /** In execution order. */
  commands: Command[];
  /** Keyed `family:table`. */
  tables: Map<string, Table>;
  forwarding: ForwardingFact[];
  /** Scripts: where they set route_localnet (save files: none, see AnalysisSettings). */
  routeLocalnet: RouteLocalnetFact[];
  issues: SyntaxIssue[];
  /**
   * The script runs iptables (or iptables-restore) or changes ipsets at all: shell files that do
   * neither are not judged. (A script that only keeps a blocklist set up to date is: its
   * `ipset create` is what fails on the next run.)
   */
  hasRules: boolean;
  /** Save dialect: the family the file is for, when known (rules.v6, `ip6tables-save`). */
  family: Family;
  /**
   * Save dialect: the text is an `iptables -S` listing (rule lines alone, see ruleListing.ts):
   * of whole tables, or of some chains only (`iptables -S CHAIN`), whose jumps may go to
   * chains it does not list.
   */
  listing?: 'tables' | 'chains';
  /** Scripts: shell functions exist, so the textual order is not surely the execution order. */
  hasFunctions?: boolean;
  /** Scripts: a shell function named like the tool (`iptables() { … }`) wraps it: what a call does is unknown. */
  wrapsTool?: boolean;
  /**
   * Scripts: the program that runs the script, on tables it built first: `fw3`, OpenWrt's
   * firewall, runs /etc/firewall.user once its chains are made (see openWrtChains.ts), on a
   * host whose sysctl turns forwarding on.
   */
  runBy?: 'fw3';
  /**
   * Scripts: `. FILE` or `source FILE` runs another file here, whose chains and functions are
   * not read (a file given by the caller that only sets variables does not count; see
   * ShellVariables).
   */
  sourcesFiles?: boolean;
  /** Scripts: their `.` and `source` commands, in order: what a front end reads for them (see SourcedTexts). */
  sources?: readonly SourceUse[];
  /** Scripts: the values their variables are known to hold, and where (see ShellVariables). */
  variables?: readonly KnownValue[];
  /** Scripts: the enclosing guard of each guard a rule can have (see Rule.guard and ShellScript.guards). */
  guards?: number[];
  /** Commands iptables certainly refuses for what the tables hold when they run (see Refusal). */
  refusals?: Refusal[];
  /** Save dialect: loaded with `iptables-restore --noflush` (see SaveDocument.blocksAddUp). */
  noflush?: true;
  /** Save dialect: one of ufw's rules files, which ufw loads at each start and reload (see SaveDocument.loadedByUfw). */
  loadedByUfw?: true;
  /** Save dialect: the `*table` blocks that empty a table an earlier block of the text filled (see ReplacedBlock). */
  replacedBlocks?: ReplacedBlock[];
  /**
   * Save dialect: a block or a chain line emptied rules written above it (see ReplacedBlock
   * and ChainDeclaration.emptied), so a chain's rules are not all of its appends.
   */
  rulesDropped?: true;
  /** Scripts: the rule each `-I`, `-R` or `-D` rule number points at when it runs, where that is certain (see RulePosition). */
  positions?: ReadonlyMap<Command, RulePosition>;
  /** Scripts: the `iptables-restore` inputs without `--noflush` that empty a table the script had filled above (see ReplacedByRestore). */
  restoresReplacing?: ReplacedByRestore[];
  /** Scripts: the chains whose rules, and so their numbers, are all known once the script has run (see TableState.numberedChains). */
  numberedChains?: ReadonlySet<Chain>;
  /** Scripts: the input of each `iptables-restore` here-document, read as a file of its own. */
  restores?: RestoreInput[];
  /**
   * Scripts: each `iptables-restore` whose input the model does not read (`< /etc/iptables/rules.v4`,
   * a pipe), with its family: from there on its tables may hold anything.
   */
  unreadRestores?: { span: Span; family: Family }[];
  /**
   * Scripts: the commands and here-document inputs that change the tables, in the order they
   * run: the body of a function called once at its call (see scriptRuleSet), a here-document
   * as one step, a command iptables refuses left out. `commands` stay in the order written.
   */
  steps?: (Command | RestoreInput)[];
  /**
   * Scripts: the iptables commands of a function called several times, bound again for each
   * call with `$1`…`$9` read as its arguments (`allow() { iptables -A INPUT -p tcp --dport
   * "$1" -j ACCEPT; }; allow 22; allow 80`), spanning the call; and those of a plain loop over
   * known words, bound for each word with the loop's variable read as it (`for p in 22 80; do
   * iptables -A INPUT -p tcp --dport $p -j ACCEPT; done`), spanning the command (see
   * Command.loopValues). Their rules are the ones in the tables and the steps; the commands as
   * written are in `commands`.
   */
  instances?: Command[];
  /** Scripts: the commands, as written, of the functions and loops that have `instances`: those stand for them in the tables. */
  templates?: ReadonlySet<Command>;
  /**
   * Scripts: the iptables commands each call of a function whose body runs at its calls ran,
   * by the start of the call as written, once per run (a call in a loop, or in a body that
   * runs several times, runs several times): instances bound with the call's arguments, or
   * the body's commands as written, iptables' refusals included.
   */
  callRuns?: ReadonlyMap<number, { span: Span; runs: readonly (readonly Command[])[] }>;
  /** Scripts: what their `ipset` commands do to sets, in the order they run among the steps (see IpsetStep). */
  ipsets?: IpsetStep[];
}

/**
 * A second `*table` block for a table in a text iptables-restore loads without `--noflush`:
 * it empties the table again (iptables 1.8.9, legacy and nft alike), so what the earlier
 * blocks wrote to it is lost.
 */
export interface ReplacedBlock {
  family: Family;
  table: string;
  /** The table name of this block's header. */
  header: Span;
  /** The table name of the header of the block before it. */
  earlier: Span;
  /** The rules the table held, and its user chains, when the block began. */
  rules: number;
  chains: number;
  /** The COMMIT line of the block before, and this block's (none where a block is left open). */
  earlierCommit?: Span;
  commit?: Span;
}

/**
 * A script's `iptables-restore` here-document without `--noflush`, at the top of the script,
 * naming a table that holds rules the script certainly added before it: the restore empties
 * the table, and those rules are lost.
 */
export interface ReplacedByRestore {
  /** The table name of the input's `*table` header. */
  header: Span;
  family: Family;
  table: string;
  rules: number;
}

/** What an `iptables-restore` here-document of a script gives the tool. */
export interface RestoreInput {
  /**
   * Without `--noflush`: each table of the input is emptied first, user chains included, so
   * its rules can only name chains the input itself declares.
   */
  flushes: boolean;
  /** The here-document as a restore file; its commands are among the script's. */
  ruleSet: RuleSet;
  /** The `iptables-restore` command that reads it. */
  span: Span;
}
