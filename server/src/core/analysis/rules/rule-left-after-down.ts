import type { ScriptExtras } from '../../model/scriptDocument.ts';
import { commandWordAt } from '../../model/commandName.ts';
import { ruleKey } from '../../model/ruleKey.ts';
import { deletingCommand, HOOK_FORMATS } from '../../model/hookFiles.ts';
import { stanzaAt } from '../../model/ifupdown.ts';
import type { Command, RuleSet } from '../../model/types.ts';
import type { Fix, HookFacts, LintRule, RuleContext } from '../types.ts';

/**
 * Commands a down hook may run that cannot touch the tables: anything else (a script of the
 * admin's, `iptables-restore`, `ufw`, `nft`, `systemctl restart …`) may remove what up added,
 * and the check stays silent.
 */
const HARMLESS = new Set(['ip', 'sysctl', 'echo', 'printf', 'wg', 'logger', 'true', 'resolvconf', 'sleep', 'modprobe', 'iptables', 'ip6tables', 'iptables-legacy', 'iptables-nft', 'ip6tables-legacy', 'ip6tables-nft']);

/** Whether every command the down hooks run is an iptables call the model read, or one of the harmless ones. */
function downIsKnown(down: RuleSet): boolean {
  const shell = (down as Partial<ScriptExtras>).shellCommands;
  if (!shell) return false;
  for (const sc of shell) {
    const w = sc.words[commandWordAt(sc.words)];
    if (!w) continue;
    if (w.dynamic || !HARMLESS.has(w.value.slice(w.value.lastIndexOf('/') + 1))) return false;
  }
  return true;
}

/** Whether a command of the down hooks removes what `cmd` of the up hooks made. */
function undoes(d: Command, cmd: Command, key: string | undefined): boolean {
  if (d.family !== cmd.family || d.table !== cmd.table) return false;
  if (d.uncertain) return true;
  if (cmd.kind === 'new-chain') return (d.kind === 'delete-chain' && (!d.chain || d.chain === cmd.chain)) || (d.kind === 'rename-chain' && d.chain === cmd.chain);
  if (d.kind === 'flush') return !d.chain || d.chain === cmd.chain;
  if (d.chain !== cmd.chain) return false;
  if (d.kind === 'delete-chain' || d.kind === 'rename-chain') return true;
  if (d.kind !== 'delete') return false;
  // by number, or by a spec the model cannot read: it may be this rule
  if (!d.rule || d.rule.dynamic || d.rule.problems.length) return true;
  return key !== undefined && ruleKey(d.rule) === key;
}

/** The up command with `-A`/`-I CHAIN [n]` turned into `-D CHAIN`: what removes its rule again. */
function deleteCommand(ctx: RuleContext, cmd: Command): string | undefined {
  const del = deletingCommand(ctx.read(cmd.span.start, cmd.span.end));
  return del && del.chain === cmd.chainWord?.text ? del.text : undefined;
}

/**
 * A PostDown (post-down) line after the last down command of the configuration (of the
 * command's stanza) that deletes the rule; after the command's line where there is none.
 */
function deleteFix(ctx: RuleContext, cmd: Command, down: readonly Command[], hooks: HookFacts): Fix[] {
  const del = deleteCommand(ctx, cmd);
  if (!del) return [];
  const last = down.length ? down[down.length - 1] : cmd;
  const text = ctx.text;
  const end = text.indexOf('\n', last.span.end);
  const at = end === -1 ? text.length : end;
  // written without indentation: hookFixes puts it at the stanza's
  const format = HOOK_FORMATS[hooks.format];
  return [{ title: `Delete the rule again in ${format.teardownKey} (${del})`, edits: [{ span: { start: at, end: at }, text: `\n${format.line(format.teardownKey, del, '')}` }] }];
}

export const ruleLeftAfterDown: LintRule = {
  code: 'rule-left-after-down',
  severity: 'warning',
  summary: 'A wg-quick configuration whose PostUp adds a rule (or makes a chain) that its PreDown and PostDown never remove, or whose PostDown deletes a rule no up line adds (it fails and ends wg-quick down); an ifupdown stanza (`/etc/network/interfaces`) whose post-up adds a rule its own down lines never remove: each down and up adds the rule once more.',
  docs: {
    description: 'In a WireGuard configuration that wg-quick reads (`/etc/wireguard/wg0.conf`), `wg-quick up` runs the PreUp and PostUp lines and `wg-quick down` the PreDown and PostDown lines. Each rule an up line adds (`-A`, `-I`) is looked for among what the down lines remove: a `-D` of the same rule in the same table and chain (the same rule however it is written, as iptables compares them: `-p tcp --dport ssh` deletes `-p tcp -m tcp --dport 22`), a `-F` of its chain or table, a `-X` of its chain; a chain an up line makes (`-N`) must be deleted (`-X`) or renamed. Where one is left, the finding is on the up command: the rule stays when the interface goes down, and the next `wg-quick up` adds it a second time (rules pile up with every restart; a `-N` fails with "Chain already exists", and wg-quick then takes the interface down again). Nothing is reported where a down line runs anything that may change the tables unseen (a script, `iptables-restore`, `ufw`, `nft`), or deletes by rule number or through a shell expansion in that chain. The quick fix adds a PostDown line deleting the rule: the up command with `-A CHAIN` or `-I CHAIN [n]` turned into `-D CHAIN`. The other way round, a down line\'s `-D` of a rule no up line adds is reported on that line: unless another program added the rule, iptables fails (Bad rule), and wg-quick, which runs its hooks under `set -e`, stops there, so the down lines after it never run (not where the `-D` ends in `|| true`). Lines of PostDown and PreDown are otherwise checked like any command (an unknown option, a bad value); `%i` stands for the interface\'s name throughout. In ifupdown\'s configuration (`/etc/network/interfaces` and the files of `interfaces.d`, Proxmox\'s NAT set-ups among them), `ifup IFACE` runs the `pre-up`, `up` and `post-up` lines of the interface\'s `iface` stanza and `ifdown IFACE` its `down`, `pre-down` and `post-down` lines: a rule a stanza\'s up lines add is looked for among what the down lines of that interface\'s stanzas remove (its `inet` and `inet6` stanzas go down together; a `-D` in another interface\'s stanza runs only when that one goes down), `$IFACE` is the stanza\'s interface, and the fix adds a `post-down` line to the stanza. A `-D` of a rule no up line adds is not reported there: ifdown goes on with the next line when one fails.',
    rationale: 'VPN set-up guides give PostUp and PostDown lines in pairs, and a PostDown that deletes another rule than the PostUp added (a `-i` for an `-o`, one line of two forgotten) goes unnoticed: it runs when the tunnel is stopped, at shutdown or by a service, where no one reads its error, and a failing line ends wg-quick down before the PostDown lines after it. Each restart of the tunnel adds the rule again, and a MASQUERADE or ACCEPT left behind keeps working after the VPN is gone.',
    bad: { dialect: 'wg-quick', text: '[Interface]\nAddress = 10.8.0.1/24\nListenPort = 51820\nPostUp = iptables -A FORWARD -i %i -j ACCEPT; iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\nPostDown = iptables -D FORWARD -i %i -j ACCEPT\n' },
    good: { dialect: 'wg-quick', text: '[Interface]\nAddress = 10.8.0.1/24\nListenPort = 51820\nPostUp = iptables -A FORWARD -i %i -j ACCEPT; iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\nPostDown = iptables -D FORWARD -i %i -j ACCEPT; iptables -t nat -D POSTROUTING -o eth0 -j MASQUERADE\n' },
  },
  check(ctx) {
    const hooks = ctx.hooks;
    const down = hooks?.teardown;
    if (!hooks || !down || !downIsKnown(down) || down.restores?.length) return;
    const runner = HOOK_FORMATS[hooks.format];
    // ifupdown takes each interface down on its own: what the down lines of its stanzas run
    // (`iface vmbr0 inet static` and `iface vmbr0 inet6 static` are both vmbr0's)
    const stanzas = hooks.stanzas ?? [];
    const downOf = (cmd: Command): readonly Command[] => {
      if (!stanzas.length) return down.commands;
      const own = stanzaAt(stanzas, cmd.span.start)?.name;
      return down.commands.filter((d) => stanzaAt(stanzas, d.span.start)?.name === own);
    };
    for (const cmd of ctx.ruleSet.commands) {
      const adds = (cmd.kind === 'append' || cmd.kind === 'insert') && cmd.rule && !cmd.rule.dynamic && !cmd.rule.problems.length;
      if ((!adds && cmd.kind !== 'new-chain') || !cmd.chain || cmd.uncertain || cmd.issues.length) continue;
      const key = adds ? ruleKey(cmd.rule!) : undefined;
      const ownDown = downOf(cmd);
      if (ownDown.some((d) => undoes(d, cmd, key))) continue;
      // `iptables -C … || iptables -A …`: a second up finds the rule and adds none
      if (adds && ctx.ruleSet.commands.some((c) => c.kind === 'check' && c.span.end <= cmd.span.start && c.family === cmd.family && c.table === cmd.table && c.chain === cmd.chain && c.rule && ruleKey(c.rule) === key)) continue;
      const what = adds ? 'this rule' : `chain ${cmd.chain}`;
      const stanza = stanzas.length ? stanzaAt(stanzas, cmd.span.start) : undefined;
      const downLines = stanza ? `${runner.downKeys} command of iface ${stanza.name}` : `${runner.downKeys} command`;
      const failed = hooks.format === 'wg-quick' ? 'and takes the interface down again' : 'and leaves the interface unconfigured';
      ctx.report({
        span: cmd.span,
        message: adds
          ? `${runner.down} leaves ${what} in ${cmd.table} ${cmd.chain}: no ${downLines} deletes it (a -D of the same rule, a flush of the chain), so each down and up adds it once more.`
          : `${runner.down} leaves ${what}: no ${downLines} deletes it (-X), so the next ${runner.up} fails here (Chain already exists) ${failed}.`,
        fixes: adds ? deleteFix(ctx, cmd, ownDown, hooks) : [],
      });
    }
    // a -D of a rule no up line adds fails (unless another program added it), and under set -e
    // it ends wg-quick down: the down lines after it do not run (ifdown goes on after a failing line)
    if (hooks.format !== 'wg-quick') return;
    const added = new Set<string>();
    for (const c of ctx.ruleSet.commands) if ((c.kind === 'append' || c.kind === 'insert') && c.rule && c.chain) added.add(`${c.family} ${c.table} ${c.chain} ${ruleKey(c.rule)}`);
    for (const d of down.commands) {
      if (d.kind !== 'delete' || !d.rule || !d.chain || d.rule.dynamic || d.rule.problems.length || d.uncertain || d.issues.length || !d.stopsOnFailure) continue;
      if (ctx.ruleSet.commands.some((c) => c.family === d.family && c.table === d.table && c.chain === d.chain && (c.uncertain || c.rule?.dynamic || c.rule?.problems.length))) continue;
      if (added.has(`${d.family} ${d.table} ${d.chain} ${ruleKey(d.rule)}`)) continue;
      const later = down.commands.some((c) => c.span.start > d.span.end);
      ctx.report({
        span: d.span,
        message: `No PreUp or PostUp line adds the rule this deletes from ${d.table} ${d.chain}: unless another program added it, the command fails, and wg-quick down stops here (it runs its hooks under set -e)${later ? ': the down commands after it do not run, and what they delete is left' : ''}.`,
      });
    }
  },
};
