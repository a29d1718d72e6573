import type { ExtensionSpec } from '../knowledge/types.ts';
import { spanAt, type LineOption } from '../syntax/lineWord.ts';
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
  /** The `-m`/`-j` word's span, kept as its group when the group makes the word (see placeOf). */
  private place: Span | LineOption;
  private held: BoundOption | BoundOption[] = [];

  constructor(name: string, spec: ExtensionSpec | undefined, place: Span | LineOption) {
    this.name = name;
    this.spec = spec;
    this.place = place;
  }

  get span(): Span {
    return spanAt(this.place);
  }

  get options(): BoundOption[] {
    const o = this.held;
    return Array.isArray(o) ? o : [o];
  }

  set options(list: BoundOption[]) {
    this.held = list.length === 1 ? list[0] : list.length ? list : NONE;
  }
}

/** `-m NAME`; a match loaded by `-p` is an ImplicitMatch (the flag is the class, not a field: 163k matches on the 100k dump). */
export class BoundMatch extends ExtensionUse implements MatchUse {
  get implicit(): boolean {
    return false;
  }

  /** `place`: the `-m` word's (or `-p` value's) span, or its group (see placeOf). */
  static of(name: string, spec: ExtensionSpec | undefined, place: Span | LineOption, implicit: boolean): BoundMatch {
    return implicit ? new ImplicitMatch(name, spec, place) : new BoundMatch(name, spec, place);
  }
}

class ImplicitMatch extends BoundMatch {
  override get implicit(): boolean {
    return true;
  }
}

/** `-j NAME`; `-g NAME` is a GotoTarget (the flag is the class, as for matches). */
export class BoundTarget extends ExtensionUse implements TargetUse {
  get goto(): boolean {
    return false;
  }

  /** `place`: the `-j` word's span, or its group (see placeOf). */
  static of(name: string, spec: ExtensionSpec | undefined, place: Span | LineOption, goto: boolean): BoundTarget {
    return goto ? new GotoTarget(name, spec, place) : new BoundTarget(name, spec, place);
  }
}

class GotoTarget extends BoundTarget {
  override get goto(): boolean {
    return true;
  }
}
