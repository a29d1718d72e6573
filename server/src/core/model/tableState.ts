import type { Family } from '../knowledge/types.ts';
import type { Span } from '../text/span.ts';
import type { Word } from '../syntax/nodes.ts';
import { BUILTIN_CHAINS, isBuiltinChain } from './builtinChains.ts';
import { within } from './guards.ts';
import { ruleKey } from './ruleKey.ts';
import { deleteCandidates } from './deleteCandidates.ts';
import type { Chain, Command, Refusal, ReplacedByRestore, RestoreInput, Rule, RulePosition, Table } from './types.ts';
import { kernelLength } from './kernelRules.ts';

/**
 * The tables as commands leave them: built-in chains exist from the start with policy
 * ACCEPT; `-N`/`:chain` declare, `-A`/`-I`/`-R`/`-D` edit, `-F`/`-X`/`-E`/`-P` act as
 * iptables would. Commands whose chain or table is a shell expansion change nothing
 * (their effect cannot be known).
 */
export class TableState {
  readonly tables = new Map<string, Table>();
  /** Scripts: the guards commands run under (see guards.ts); none for save files. */
  private readonly guards: readonly number[] | undefined;
  /** The guard of the command that declared each user chain, and that set each policy, when not 0. */
  private readonly declaredUnder = new Map<Chain, number>();
  private readonly policyUnder = new Map<Chain, number>();
  /** Commands iptables certainly refuses for what the tables hold (see Refusal), in the order applied. */
  readonly refusals: Refusal[] = [];
  /** Restore inputs without `--noflush` that emptied a table holding rules certainly added before them (see RuleSet.restoresReplacing). */
  readonly restoresReplacing: ReplacedByRestore[] = [];
  /** What the rule numbers of `-I`, `-R` and `-D` point at, where certain (see RulePosition). */
  readonly positions = new Map<Command, RulePosition>();
  /**
   * Tables (`family:table`), or whole families, that a command of unknown effect changed (a
   * chain given by an expansion, a conditional delete, an iptables-restore of a file): no
   * refusal there is certain from then on.
   */
  private readonly unsure = new Set<string>();
  /** Rules a command under a condition may have removed: they may be gone when a later command runs. */
  private readonly maybeGone = new Set<Rule>();
  /** User chains a `-X` may have deleted while the model keeps them. */
  private readonly maybeGoneChains = new Set<Chain>();
  /**
   * Top-level commands that named a user chain (`family:table:name`) before anything created
   * it: a `-N` of it further down makes one of the two fail (see created-later).
   */
  private readonly namedEarly = new Map<string, { cmd: Command; at: Span; afterClear: boolean }[]>();
  /** User chains a top-level `-X` deleted, with that command, until something creates them again. */
  private readonly deletedBy = new Map<string, Command>();
  /** Chains whose every rule is known: user chains a restore input declares (it empties them) or made after the tables were cleared, and chains a flush emptied. */
  private readonly exact = new Set<Chain>();
  /** Tables a top-level `-F` emptied, every chain; after that a top-level `-X` deletes them all (cleared). */
  private readonly flushedAll = new Set<Table>();
  /** Tables whose user chains a top-level `-F` then `-X` removed: a chain `-N` makes after that is exact. */
  private readonly cleared = new Set<Table>();
  /** The commands being applied are a restore input's (see restore). */
  private restoring = false;
  /**
   * The iptables-restore input being applied, one transaction: a save file's table block from
   * this offset on (its lines are applied in text order), or a here-document. A `-R` of a rule
   * it added crashes iptables-nft-restore 1.8.9 (see addedByInput). Undefined outside such input.
   */
  private input?: { from: number } | RestoreInput;

  constructor(guards?: readonly number[]) {
    this.guards = guards;
  }

  /**
   * A command that removes or overrides (a flush, a delete, a policy) acts on what was added
   * under its own guard or one inside it. Under a shell condition it may not run: rules,
   * chains and policies from outside that condition are kept (an init script's stop function
   * flushing after its start function leaves start's rules to analyse).
   */
  private reaches(guard: number, target: number): boolean {
    return within(this.guards, guard, target);
  }

  table(family: Family, name: string, span?: Span): Table {
    const key = tableKey(family, name);
    let t = this.tables.get(key);
    if (!t) {
      t = { family, name, spans: [], chains: new Map() };
      for (const c of BUILTIN_CHAINS[name] ?? []) {
        t.chains.set(c, { name: c, table: name, family, builtin: true, policy: 'ACCEPT', policySpan: undefined, declarations: [], rules: [] });
      }
      this.tables.set(key, t);
    }
    if (span) t.spans.push(span);
    return t;
  }

  /**
   * The chains whose every rule is known once every command has run, each rule certainly
   * there (see position): their rule numbers then are the kernel's, for numbers shown beside
   * the rules.
   */
  numberedChains(): Set<Chain> {
    const out = new Set<Chain>();
    for (const t of this.tables.values()) {
      if (this.isUnsure(t)) continue;
      for (const c of t.chains.values()) if (this.exact.has(c) && c.rules.every((r) => this.certain(r, 0))) out.add(c);
    }
    return out;
  }

  /**
   * A restore input's second block for a table: iptables-restore empties the table again. Its
   * chains keep their declarations (for the lines that name them) and lose their rules; what
   * was lost is counted for the finding.
   */
  emptyTable(t: Table): { rules: number; chains: number } {
    let rules = 0;
    let chains = 0;
    for (const c of t.chains.values()) {
      rules += c.rules.length;
      if (!c.builtin && c.declarations.length) chains++;
      if (c.rules.length) c.rules = [];
    }
    return { rules, chains };
  }

  /**
   * The chains' lists cut to their lengths once they are complete: a list grown by push keeps
   * room for 17 entries, and most of a kube-proxy dump's 36,000 chains have one declaration and
   * one or two rules. Short lists are made at their length as they grow (see appended), so only
   * the longer ones are cut here.
   */
  fitLists(): void {
    for (const t of this.tables.values()) {
      for (const c of t.chains.values()) {
        if (c.declarations.length > SHORT) c.declarations = c.declarations.slice();
        if (c.rules.length > SHORT) c.rules = c.rules.slice();
      }
    }
  }

  declare(t: Table, name: string, span: Span, line: Span, policy?: Word): Chain {
    // a restore input's chain line creates it as well (nothing fails when it existed)
    if (this.deletedBy.size || this.namedEarly.size) this.created(t, name, undefined);
    let c = t.chains.get(name);
    if (!c) {
      c = { name, table: t.name, family: t.family, builtin: false, policy: '-', policySpan: undefined, declarations: [], rules: [] };
      t.chains.set(name, c);
    }
    c.declarations = appended(c.declarations, policy ? { span, line, policy } : { span, line });
    if (c.builtin && policy && policy.value !== '-') {
      c.policy = policy.value;
      c.policySpan = policy.span;
    }
    return c;
  }

  /** Something the model does not read (an iptables-restore of a file) may have changed every table of the family. */
  forget(family: Family): void {
    this.unsure.add(family);
  }

  /** A user chain a restore input declares: it holds exactly the rules the input gives it. */
  declared(c: Chain): void {
    if (!c.builtin) this.exact.add(c);
  }

  /**
   * A table block of a restore file a boot service loads without `--noflush` empties the table:
   * its built-in chains hold only the rules the block adds, so a `-D`, `-I n` or `-R n` past
   * them is refused (iptables-restore --test misses it; the real load fails, and the host boots
   * without the file's rules).
   */
  restoredEmpty(t: Table): void {
    for (const c of t.chains.values()) if (c.builtin) this.exact.add(c);
  }

  /** A table block of a restore file begins at `from`: the rules of its lines are the input's own (see addedByInput). */
  beginRestoreBlock(from: number): void {
    this.input = { from };
  }

  /** The rule was added by the restore input being applied (asked only at a `-R`: a here-document's commands are searched then). */
  private addedByInput(r: Rule): boolean {
    const input = this.input;
    if (!input) return false;
    return 'ruleSet' in input ? input.ruleSet.commands.some((c) => c.rule === r) : r.span.start >= input.from;
  }

  private isUnsure(t: Table): boolean {
    return this.unsure.size > 0 && (this.unsure.has(t.family) || this.unsure.has(tableKey(t.family, t.name)));
  }

  /** The rule is in the tables whenever a command under `guard` runs (and iptables took it as written). */
  private certain(r: Rule, guard: number): boolean {
    return !r.dynamic && !r.problems.length && !this.maybeGone.has(r) && within(this.guards, r.guard, guard);
  }

  /**
   * The user chain certainly exists when a command under `guard` runs: declared (not just
   * named by a rule) where that command runs or around it, and nothing may have deleted it.
   */
  private surelyExists(t: Table, c: Chain, guard: number): boolean {
    return !c.builtin && c.declarations.length > 0 && !this.maybeGoneChains.has(c) && !this.isUnsure(t) && within(this.guards, this.declaredUnder.get(c) ?? 0, guard);
  }

  /**
   * `iptables -C … || iptables -A …` where `c` certainly holds the rule as the command runs:
   * the check succeeds and the append never runs (see Command.addsOnce).
   */
  private alreadyThere(c: Chain, cmd: Command, guard: number): boolean {
    if (!cmd.addsOnce || !cmd.rule) return false;
    // added where the command runs, or around it: certainly there
    return (this.rulesByKey(c).get(this.keyOf(cmd.rule)) ?? []).some((r) => !this.maybeGone.has(r) && within(this.guards, r.guard, guard));
  }

  /**
   * The rules' keys (see ruleKey), made once each: `-C … || -A …` and `-D` look a rule up
   * among those of its chain, and 4,000 such lines made 8 million keys (10 s). A rename changes
   * the rules' jumps, and their keys with them: the keys are made again after it.
   */
  private keys = new WeakMap<Rule, string>();
  private keyOf(r: Rule): string {
    let k = this.keys.get(r);
    if (k === undefined) {
      k = ruleKey(r);
      this.keys.set(r, k);
    }
    return k;
  }

  /**
   * Per chain, its rules by key, in the chain's order: kept up to date by appends and deletes
   * by specification, made again after any other change of the list (a new list, another
   * length, or one of `edits`: inserts, replacements, deletes by number, renames).
   */
  private byKey = new WeakMap<Chain, KeyIndex>();
  private edits = 0;
  private keyIndex(c: Chain): KeyIndex | undefined {
    const e = this.byKey.get(c);
    return e && e.rules === c.rules && e.length === c.rules.length && e.edits === this.edits ? e : undefined;
  }
  private rulesByKey(c: Chain): Map<string, Rule[]> {
    const kept = this.keyIndex(c);
    if (kept) return kept.keys;
    const index: KeyIndex = { rules: c.rules, length: c.rules.length, edits: this.edits, keys: new Map() };
    for (const r of c.rules) this.indexed(index, r);
    this.byKey.set(c, index);
    return index.keys;
  }
  /** Adds a rule at the end of a chain's index. */
  private indexed(index: KeyIndex, r: Rule): void {
    const k = this.keyOf(r);
    const list = index.keys.get(k);
    if (list) list.push(r);
    else index.keys.set(k, [r]);
  }

  /** Every rule of `c` is known, so a rule number past its end is certainly refused. */
  private exactNow(t: Table, c: Chain): boolean {
    return this.exact.has(c) && !this.isUnsure(t);
  }

  /**
   * Notes what rule `number` of `c` is as a command under `guard` runs: only at the top level,
   * where every rule of the chain is known and certainly there, each one kernel rule (`-s a,b`
   * makes two, and numbers count those). The check reads the whole chain, so chains longer
   * than POSITIONED_RULES are left unknown: 10,000 `-I INPUT 1` after a flush took 2 s.
   */
  private position(cmd: Command, t: Table, c: Chain, number: number, guard: number): void {
    if (guard !== 0 || c.rules.length > POSITIONED_RULES || !this.exactNow(t, c) || kernelLength(c) !== c.rules.length || !c.rules.every((r) => this.certain(r, 0))) return;
    this.positions.set(cmd, { chain: c.name, number, rule: c.rules[number - 1], length: c.rules.length });
  }

  private refuse(cmd: Command, reason: Refusal['reason'], c: Chain, rule?: Rule): void {
    this.refusals.push(reason === 'index-too-big' ? { command: cmd, reason, chain: c.name, length: kernelLength(c) } : { command: cmd, reason, chain: c.name, rule });
  }

  /**
   * A command at the top of a script naming a user chain: a chain nothing created yet is noted
   * (a `-N` of it further down is then refused, or this command is), one a `-X` above deleted
   * makes this command refused.
   */
  private named(t: Table, cmd: Command, name: string, jump: boolean, guard: number): void {
    // a restore input is judged on its own (undefined-chain: its rules need its chain lines)
    if (guard !== 0 || this.restoring || t.chains.get(name)?.declarations.length || isBuiltinChain(t.name, name)) return;
    // a listing whose failure the script expects is its test for the chain (`iptables -L X || iptables -N X`),
    // a delete the clean-up of an earlier run (`iptables -D INPUT -j X 2>/dev/null`)
    if ((cmd.kind === 'list' || cmd.kind === 'list-rules' || cmd.kind === 'delete') && cmd.failureHandled) return;
    // it runs only where the chain is there (`iptables -S X >/dev/null && iptables -F X`)
    if (cmd.chainsFound?.includes(name)) return;
    const key = chainKey(t, name);
    const by = this.deletedBy.get(key);
    // the word is made only here: a save file's line makes its chain word when asked
    const at = jump ? cmd.rule!.target!.span : (cmd.chainWord?.span ?? cmd.span);
    if (by && !this.isUnsure(t)) this.refusals.push({ command: cmd, reason: 'chain-deleted', chain: name, at, by });
    // a -X or -E of a chain from an earlier run removes it, so a -N further down works
    // (once the script deleted every chain, nothing is left from a run: a -X or -E fails too)
    else if (!by && ((cmd.kind !== 'delete-chain' && cmd.kind !== 'rename-chain') || this.cleared.has(t))) {
      const early = { cmd, at, afterClear: this.cleared.has(t) };
      const list = this.namedEarly.get(key);
      if (list) list.push(early);
      else this.namedEarly.set(key, [early]);
    }
  }

  /** A chain the script creates: commands that named it before are refused (unless anything uncertain came between). */
  private created(t: Table, name: string, by: Command | undefined): void {
    const key = chainKey(t, name);
    this.deletedBy.delete(key);
    const early = this.namedEarly.get(key);
    if (!early) return;
    this.namedEarly.delete(key);
    if (!by || this.isUnsure(t)) return;
    for (const e of early) this.refusals.push({ command: e.cmd, reason: 'created-later', chain: name, at: e.at, by, ...(e.afterClear ? { afterClear: true as const } : {}) });
  }

  /** Applies one script command, run under `guard` (see guards.ts). */
  apply(cmd: Command, guard = 0): void {
    if (cmd.uncertain || cmd.tableDynamic) {
      this.unsure.add(cmd.tableDynamic ? cmd.family : `${cmd.family}:${cmd.table}`);
      return;
    }
    const t = this.table(cmd.family, cmd.table);
    // (a chain given by an expansion made the command uncertain above)
    if (cmd.chain !== undefined && NAMES_CHAIN.has(cmd.kind)) this.named(t, cmd, cmd.chain, false, guard);
    const jump = cmd.rule?.target;
    // (a -D by rule looks its jump's chain up first: "Chain 'X' does not exist")
    if (jump && !jump.spec && jump.name && !cmd.rule!.dynamic && (cmd.kind === 'append' || cmd.kind === 'insert' || cmd.kind === 'replace' || cmd.kind === 'delete')) this.named(t, cmd, jump.name, true, guard);
    const chain = cmd.chain ? t.chains.get(cmd.chain) : undefined;
    switch (cmd.kind) {
      case 'append':
        if (cmd.rule) {
          const c = this.chainFor(t, cmd);
          if (!this.missingChainRefuses(t, cmd) && !this.alreadyThere(c, cmd, guard)) {
            const index = this.keyIndex(c);
            c.rules = appended(c.rules, cmd.rule);
            if (index) {
              index.rules = c.rules;
              index.length = c.rules.length;
              this.indexed(index, cmd.rule);
            }
          }
        }
        break;
      case 'insert':
        // rule numbers start at 1: iptables refuses `-I CHAIN 0`
        if (cmd.rule && cmd.position !== 0) {
          const c = this.chainFor(t, cmd);
          if (this.missingChainRefuses(t, cmd) || this.alreadyThere(c, cmd, guard)) break;
          const at = (cmd.position ?? 1) - 1;
          if (cmd.position !== undefined) this.position(cmd, t, c, cmd.position, guard);
          // `-I CHAIN n` takes n up to the chain's length plus one
          if (at > c.rules.length && this.exactNow(t, c) && at > kernelLength(c)) this.refuse(cmd, 'index-too-big', c);
          else {
            c.rules.splice(Math.max(0, Math.min(at, c.rules.length)), 0, cmd.rule);
            this.edits++;
          }
        }
        break;
      case 'replace':
        if (!cmd.rule || !chain || !cmd.position) break;
        this.position(cmd, t, chain, cmd.position, guard);
        if (cmd.position <= chain.rules.length) {
          const replaced = chain.rules[cmd.position - 1];
          // measured: iptables-nft-restore 1.8.9 crashes replacing a rule of its own transaction (legacy does not)
          if (this.exactNow(t, chain) && kernelLength(chain) === chain.rules.length && this.addedByInput(replaced)) this.refuse(cmd, 'replace-crashes', chain, replaced);
          if (guard !== 0) this.maybeGone.add(replaced);
          chain.rules[cmd.position - 1] = cmd.rule;
          this.edits++;
        } else if (this.exactNow(t, chain) && cmd.position > kernelLength(chain)) this.refuse(cmd, 'index-too-big', chain);
        break;
      case 'delete':
        if (!chain) break;
        if (cmd.position) {
          this.position(cmd, t, chain, cmd.position, guard);
          const r = chain.rules[cmd.position - 1];
          if (!r) {
            if (this.exactNow(t, chain) && cmd.position > kernelLength(chain)) this.refuse(cmd, 'index-too-big', chain);
          } else if (this.reaches(guard, r.guard)) {
            chain.rules.splice(cmd.position - 1, 1);
            this.edits++;
          }
          // which rule a conditional delete by number removes is not known: nor is the rest
          else this.unsure.add(tableKey(t.family, t.name));
        } else if (cmd.rule) {
          const same = this.rulesByKey(chain).get(this.keyOf(cmd.rule)) ?? [];
          const gone = same.findIndex((r) => this.reaches(guard, r.guard));
          if (gone >= 0) {
            const index = this.keyIndex(chain)!;
            chain.rules.splice(chain.rules.indexOf(same[gone]), 1);
            same.splice(gone, 1);
            index.length = chain.rules.length;
          } else {
            // a rule written another way than the key reads it may be the one deleted
            if (same.length) this.maybeGone.add(same[0]);
            else {
              const candidates = deleteCandidates(chain, cmd.rule);
              if (!candidates) this.unsure.add(tableKey(t.family, t.name));
              else if (candidates.length) for (const r of candidates) this.maybeGone.add(r);
              else if (this.exactNow(t, chain)) this.refuse(cmd, 'rule-not-found', chain);
            }
          }
        }
        break;
      case 'flush':
        if (cmd.chain) {
          if (chain) this.flush(chain, guard);
        } else {
          for (const c of t.chains.values()) this.flush(c, guard);
          if (guard === 0) this.flushedAll.add(t);
        }
        break;
      case 'new-chain':
        if (cmd.chainWord) {
          const existing = t.chains.get(cmd.chainWord.value);
          // once every chain was deleted, one an -A named before (its rules refused) is made here, empty
          const madeHere = guard === 0 && !!existing && !existing.builtin && !existing.declarations.length && this.cleared.has(t) && !this.isUnsure(t);
          if (existing && this.surelyExists(t, existing, guard)) this.refuse(cmd, 'chain-exists', existing);
          // created here only when no -N made it before (an implicit chain from an -A has none)
          if (!existing?.declarations.length) this.created(t, cmd.chainWord.value, guard === 0 ? cmd : undefined);
          const c = this.declare(t, cmd.chainWord.value, cmd.chainWord.span, cmd.span);
          if (guard !== 0 && !this.declaredUnder.has(c)) this.declaredUnder.set(c, guard);
          // made after every chain was deleted: it starts empty, and its rules are the script's
          else if (guard === 0 && (!existing || madeHere) && this.cleared.has(t)) this.exact.add(c);
        }
        break;
      case 'delete-chain': {
        // a chain left from an earlier run is gone after this: named before, it is created fine
        // further down. Not once the script deleted every chain: nothing is left from a run then
        if (!this.cleared.has(t)) {
          if (cmd.chain) this.namedEarly.delete(chainKey(t, cmd.chain));
          else for (const k of this.namedEarly.keys()) if (k.startsWith(chainKey(t, ''))) this.namedEarly.delete(k);
        }
        const there = (c: Chain) => this.userChainThere(t, c);
        const named = cmd.chain ? (chain && there(chain) ? [chain] : []) : [...t.chains.values()].filter(there);
        const doomed = named.filter((c) => this.reaches(guard, this.declaredUnder.get(c) ?? 0));
        // all or nothing: a chain with rules, or one a rule jumps to, makes iptables refuse the
        // whole command (measured with 1.8.9, nft and legacy: `-X` deletes none of the chains then)
        // (judged on the chains named, whether or not the model lets this command delete them)
        if (!this.isUnsure(t) && this.refuseDelete(cmd, t, named, guard)) break;
        // what the model keeps may be gone: this command may run (another condition), or succeed
        // (the rules that keep the chains here may not be there)
        const blocked = doomed.some((c) => c.rules.length > 0) || jumpTo(t, doomed) !== undefined;
        for (const c of named) if (blocked || !doomed.includes(c)) this.maybeGoneChains.add(c);
        if (blocked) break;
        for (const c of doomed) {
          t.chains.delete(c.name);
          if (guard === 0) this.deletedBy.set(chainKey(t, c.name), cmd);
        }
        // every chain emptied, then every chain deleted: those from before the script too
        if (guard === 0 && !cmd.chain && this.flushedAll.has(t)) this.cleared.add(t);
        break;
      }
      case 'rename-chain':
        if (cmd.chain) this.namedEarly.delete(chainKey(t, cmd.chain));
        if (guard !== 0 || cmd.newName?.dynamic) this.unsure.add(tableKey(t.family, t.name));
        else if (chain && !chain.builtin && cmd.newName) {
          const taken = t.chains.get(cmd.newName.value);
          if (taken && taken !== chain && this.surelyExists(t, taken, guard)) this.refuse(cmd, 'chain-exists', taken);
        }
        // iptables renames only a user chain, and only to a name not taken. (Given a built-in
        // chain, iptables-nft 1.8.9 renames the hooked chain all the same: it keeps filtering,
        // out of sight of iptables-save, which shows an empty INPUT. Legacy refuses.)
        // once every chain was deleted, a rename of one no -N made fails: the new name names nothing
        if (guard === 0 && cmd.newName && !cmd.newName.dynamic && this.cleared.has(t) && !this.isUnsure(t) && !(chain && this.userChainThere(t, chain)) && !t.chains.get(cmd.newName.value)?.declarations.length) {
          this.deletedBy.set(chainKey(t, cmd.newName.value), cmd);
        }
        if (chain && this.userChainThere(t, chain) && cmd.newName && !cmd.newName.dynamic && !t.chains.has(cmd.newName.value)) {
          t.chains.delete(chain.name);
          chain.name = cmd.newName.value;
          t.chains.set(chain.name, chain);
          this.created(t, chain.name, undefined);
          // the old name is gone: a command naming it further down fails, as after a -X
          if (!this.isUnsure(t)) this.deletedBy.set(chainKey(t, cmd.chain!), cmd);
          this.keys = new WeakMap();
          this.edits++;
          for (const c of t.chains.values()) {
            for (const r of c.rules) {
              if (r.chain === cmd.chain) r.chain = chain.name;
              // a jump holds the chain, not its name: iptables-save shows the new name after a rename
              if (r.target && !r.target.spec && r.target.name === cmd.chain) r.target.name = chain.name;
            }
          }
        }
        break;
      case 'policy':
        // the first policy set, or one that replaces a policy set under this guard or inside it.
        // Of policies set under unrelated conditions (an accept and a drop function) the one
        // that drops is kept: the analyses look for what breaks under it
        if (chain && cmd.policy && !cmd.policy.dynamic && (!chain.policySpan || this.reaches(guard, this.policyUnder.get(chain) ?? 0) || (chain.policy === 'ACCEPT' && cmd.policy.value !== 'ACCEPT'))) {
          chain.policy = cmd.policy.value;
          chain.policySpan = cmd.policy.span;
          if (guard !== 0) this.policyUnder.set(chain, guard);
          else this.policyUnder.delete(chain);
        }
        break;
      default:
        break;
    }
  }

  /**
   * `iptables-restore` without `--noflush`, for each table its input holds: the table loses
   * its rules and its user chains, as `-F` then `-X` would (measured with iptables 1.8.9, nft
   * and legacy: a chain created before and not declared in the input is gone). The built-in
   * chains' policies are left alone: the legacy tool keeps them, the nft one resets them
   * (restore-resets-policy reports a DROP lost that way).
   */
  clear(t: Table, guard = 0): void {
    for (const c of [...t.chains.values()]) {
      this.flush(c, guard);
      // a chain keeping rules added outside the guard (see reaches) is kept, as -X would fail on it
      if (!c.builtin && !c.rules.length && this.reaches(guard, this.declaredUnder.get(c) ?? 0)) t.chains.delete(c.name);
      else if (!c.builtin) this.maybeGoneChains.add(c);
    }
  }

  /**
   * An `iptables-restore` input, run under `guard` as one step: the tables it holds emptied
   * first unless `--noflush` (see clear), then its chains with their policies, then its rules.
   * With `--noflush` a user chain the input declares is emptied all the same, and the built-in
   * chains keep their rules (measured with iptables 1.8.9, nft and legacy).
   */
  restore(input: RestoreInput, guard = 0): void {
    const tables = input.ruleSet.tables;
    if (input.flushes) {
      for (const t of tables.values()) {
        const target = this.table(t.family, t.name);
        // the rules certainly there when a restore at the top of the script runs are lost
        if (guard === 0 && !this.isUnsure(target) && t.spans.length) {
          let rules = 0;
          for (const c of target.chains.values()) for (const r of c.rules) if (this.certain(r, 0)) rules++;
          if (rules) this.restoresReplacing.push({ header: t.spans[0], family: t.family, table: t.name, rules });
        }
        this.clear(target, guard);
      }
    }
    for (const t of tables.values()) {
      const target = this.table(t.family, t.name, t.spans[0]);
      for (const c of t.chains.values()) {
        const existing = !input.flushes && !c.builtin && c.declarations.length ? target.chains.get(c.name) : undefined;
        if (existing) this.flush(existing, guard);
        for (const d of c.declarations) {
          const declared = this.declare(target, c.name, d.span, d.line, d.policy);
          // under a condition the input may not run: the chain then holds what it held before
          if (guard === 0) this.declared(declared);
        }
      }
    }
    this.restoring = true;
    this.input = input;
    // rules a later block or chain line of the input emptied again never reach the tables
    const loaded = input.ruleSet.rulesDropped ? new Set([...tables.values()].flatMap((t) => [...t.chains.values()].flatMap((c) => c.rules))) : undefined;
    for (const c of input.ruleSet.commands) if (!loaded || c.kind !== 'append' || !c.rule || loaded.has(c.rule)) this.apply(c, guard);
    this.restoring = false;
    this.input = undefined;
  }

  /** Removes the rules a flush under `guard` reaches (all of them at the top of a script). */
  flush(chain: Chain, guard = 0): void {
    if (guard === 0) {
      chain.rules = [];
      // emptied for certain: from here on its rules are the ones the script adds (a built-in
      // chain too: `-D INPUT spec` of a rule no command added since is refused)
      this.exact.add(chain);
      return;
    }
    // the flush may not run: what it reaches goes, what lies outside its condition may be gone
    chain.rules = chain.rules.filter((r) => {
      const kept = !this.reaches(guard, r.guard);
      if (kept) this.maybeGone.add(r);
      return kept;
    });
  }

  /**
   * Records why a `-X` (of the chains `doomed`, run under `guard`) is refused, when that is
   * certain: a rule certainly there is in one of the chains, or jumps to one. True then.
   */
  private refuseDelete(cmd: Command, t: Table, doomed: readonly Chain[], guard: number): boolean {
    if (!doomed.length) return false;
    for (const c of doomed) {
      const r = c.rules.find((x) => this.certain(x, guard));
      if (r) {
        this.refuse(cmd, 'chain-has-rules', c, r);
        return true;
      }
    }
    const jump = jumpTo(t, doomed, (r) => this.certain(r, guard));
    if (jump) {
      this.refuse(cmd, 'chain-jumped-to', jump.chain, jump.rule);
      return true;
    }
    return false;
  }

  /**
   * A user chain that may be there: once every chain was deleted, one no -N made since (an
   * -A's, kept for its rules) is not, and a -X or -E of it fails.
   */
  private userChainThere(t: Table, c: Chain): boolean {
    return !c.builtin && (!this.cleared.has(t) || c.declarations.length > 0);
  }

  /**
   * Once every chain was deleted, a rule added to a user chain no -N made since, or jumping to
   * one, is refused (undefined-chain reports the command): the kernel never holds it, and the
   * rule numbers after it count without it.
   */
  private missingChainRefuses(t: Table, cmd: Command): boolean {
    if (!this.cleared.has(t) || this.isUnsure(t) || this.restoring) return false;
    const missing = (name: string) => {
      const c = t.chains.get(name);
      return !isBuiltinChain(t.name, name) && !c?.declarations.length;
    };
    if (cmd.chain !== undefined && missing(cmd.chain)) return true;
    const jump = cmd.rule?.target;
    return !!jump && !jump.spec && jump.name !== '' && !cmd.rule!.dynamic && missing(jump.name);
  }

  /** The chain a rule is added to; an undeclared one is created so later rules see it (undefined-chain reports it). */
  private chainFor(t: Table, cmd: Command): Chain {
    const name = cmd.chain ?? '';
    let c = t.chains.get(name);
    if (!c) t.chains.set(name, (c = undeclaredChain(t, name)));
    return c;
  }
}

/**
 * How many rules the kernel holds for the chain: iptables adds one rule per source and
 * destination of a rule written with lists (`-s a,b -d c,d` is four).
 */
/** The longest chain whose rule numbers are followed (see TableState.position). */
export const POSITIONED_RULES = 256;

/**
 * Commands whose chain word names a chain that must exist. (-C is left out: failing is how it
 * answers. -L and -S count unless the script expects them to fail: scripts ask them whether a
 * chain exists, `iptables -L logdrop >/dev/null || iptables -N logdrop`.)
 */
const NAMES_CHAIN = new Set(['append', 'insert', 'replace', 'delete', 'flush', 'zero', 'delete-chain', 'rename-chain', 'list', 'list-rules']);

/** The first rule of the table (one `which` accepts, when given) that jumps or goes to one of the chains. */
function jumpTo(t: Table, chains: readonly Chain[], which?: (r: Rule) => boolean): { rule: Rule; chain: Chain } | undefined {
  if (!chains.length) return undefined;
  const byName = new Map(chains.map((c) => [c.name, c]));
  for (const c of t.chains.values()) {
    for (const r of c.rules) {
      const chain = r.target && !r.target.spec ? byName.get(r.target.name) : undefined;
      if (chain && (!which || which(r))) return { rule: r, chain };
    }
  }
  return undefined;
}

/** The key of a table in TableState.tables, and of a chain of it in the maps of chains by name. */
function tableKey(family: Family, table: string): string {
  return `${family}:${table}`;
}

function chainKey(t: Table, name: string): string {
  return `${tableKey(t.family, t.name)}:${name}`;
}

/** A chain's rules by key (see TableState.rulesByKey), with the list, length and count of edits it was made for. */
interface KeyIndex {
  rules: Rule[];
  length: number;
  edits: number;
  keys: Map<string, Rule[]>;
}

/** Lists up to this long are made at their length as they grow (see appended). */
const SHORT = 8;

/** A chain neither built in nor declared (by a chain line or `-N`): one a rule appending to it made (see undeclaredChain). */
export function undeclared(c: Chain): boolean {
  return !c.builtin && !c.declarations.length;
}

/** A chain a rule appends or inserts to that nothing declared (as in a file whose chain lines are missing): made with that first rule. */
export function undeclaredChain(t: Table, name: string): Chain {
  return { name, table: t.name, family: t.family, builtin: false, policy: '-', policySpan: undefined, declarations: [], rules: [] };
}

/**
 * `list` with `item` at its end. A short list is a new one of its length: pushed to, an empty
 * list takes room for 17 entries, and cut to length once the chains are complete (fitLists) it
 * left that room behind in the old generation, where the lists of a dump's 36,000 chains had
 * moved while the tables were built: 11 MB of garbage after opening the 100k-rule dump. Copying
 * a list of eight or fewer costs less than that; a longer one is pushed to.
 */
export function appended<T>(list: T[], item: T): T[] {
  if (list.length >= SHORT) {
    list.push(item);
    return list;
  }
  const out = new Array<T>(list.length + 1);
  for (let i = 0; i < list.length; i++) out[i] = list[i];
  out[list.length] = item;
  return out;
}

export function rulesOf(t: Table): Rule[] {
  const out: Rule[] = [];
  for (const c of t.chains.values()) out.push(...c.rules);
  return out;
}
