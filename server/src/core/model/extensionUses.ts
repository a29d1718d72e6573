import type { ExtensionSpec } from '../knowledge/types.ts';
import { NONE } from '../syntax/none.ts';
import type { Span } from '../text/span.ts';
import type { BoundOption, MatchUse, TargetUse } from './types.ts';

/**
 * A match or target as a rule uses it. While the rule is being bound, its options are a list
 * the binding pushes to; once it is done (`options = kept(…)`), a single option is kept
 * without a list and `options` makes the one-option list when asked. Most uses have one
 * (`-m comment --comment …`, `-m conntrack --ctstate …`, `-j DNAT --to-destination …`): a
 * kube-proxy dump has 1.6 of them per rule, each list 56 bytes and two objects.
 */
abstract class ExtensionUse {
  name: string;
  spec: ExtensionSpec | undefined;
  span: Span;
  private held: BoundOption | BoundOption[] = [];

  constructor(name: string, spec: ExtensionSpec | undefined, span: Span) {
    this.name = name;
    this.spec = spec;
    this.span = span;
  }

  get options(): BoundOption[] {
    const o = this.held;
    return Array.isArray(o) ? o : [o];
  }

  set options(list: BoundOption[]) {
    this.held = list.length === 1 ? list[0] : list.length ? list : NONE;
  }
}

export class BoundMatch extends ExtensionUse implements MatchUse {
  implicit: boolean;

  constructor(name: string, spec: ExtensionSpec | undefined, span: Span, implicit: boolean) {
    super(name, spec, span);
    this.implicit = implicit;
  }
}

export class BoundTarget extends ExtensionUse implements TargetUse {
  goto: boolean;

  constructor(name: string, spec: ExtensionSpec | undefined, span: Span, goto: boolean) {
    super(name, spec, span);
    this.goto = goto;
  }
}
