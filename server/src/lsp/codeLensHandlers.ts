import type { CodeLens, Connection, Location } from 'vscode-languageserver';
import type { RuleSet } from '../core/model/types.ts';
import type { Span } from '../core/text/span.ts';
import { chainLensAt, chainLensPlaceSteps, chainPlaceSpan, traceLensAt, traceLensPlaceSteps, tracePlaceSpan, type ChainPlace, type TracePlace } from '../core/services/codeLens.ts';
import { drain, STEP_ITEMS, type Steps } from '../core/services/steps.ts';
import { jumpsAt } from '../core/services/navigation.ts';
import { toRange } from './convert.ts';
import { jsonPartsSteps } from './jsonParts.ts';
import type { Background } from './background.ts';
import type { DocumentStore } from './documentStore.ts';
import { CHAIN_REFERENCES_REQUEST, SHOW_CHAIN_REFERENCES_COMMAND, type ChainReferencesParams } from './lensProtocol.ts';
import { TRACE_COMMAND } from './traceProtocol.ts';

/**
 * What a lens carries to its resolve: its document (a number standing for the URI) and its
 * kind; the lens saying that lenses were left out, also how many and the limit then.
 */
type LensData = [document: number, kind: typeof CHAIN | typeof TRACE] | [document: number, kind: typeof LIMIT, left: number, max: number];
const CHAIN = 0;
const TRACE = 1;
const LIMIT = 2;

/**
 * Code lenses in two steps, as the protocol allows: the editor gets every lens's place after
 * each pause in typing, and asks what a lens says only when it is on screen. The rule count
 * and references of a chain, and the packet a DNAT rule translates, are worked out then.
 * The references themselves are fetched when the lens is clicked (`iptables/chainReferences`):
 * a chain such as KUBE-MARK-MASQ is the target of thousands of jumps.
 *
 * At most `maxLenses()` lenses are placed, the first ones in the file, and one more where the
 * next would stand says how many are left out: the 100k-rule dump has 63,640 (36,373 chains,
 * 27,267 DNAT rules), 6.2 MB of JSON that the editor reads after every pause in typing before
 * the next keystroke's diagnostics.
 */
export function registerCodeLens(connection: Connection, store: DocumentStore, background: Background, maxLenses: () => number): void {
  const uris: string[] = [];
  const keys = new Map<string, number>();
  const keyOf = (uri: string): number => {
    let k = keys.get(uri);
    if (k === undefined) {
      k = uris.length;
      uris.push(uri);
      keys.set(uri, k);
    }
    return k;
  };
  const cache = new WeakMap<RuleSet, { chains: ChainPlace[]; traces: TracePlace[] }>();
  function* placeSteps(rs: RuleSet): Steps<{ chains: ChainPlace[]; traces: TracePlace[] }> {
    let p = cache.get(rs);
    if (!p) cache.set(rs, (p = { chains: yield* chainLensPlaceSteps(rs), traces: yield* traceLensPlaceSteps(rs) }));
    return p;
  }
  const placesOf = (rs: RuleSet) => drain(placeSteps(rs));

  connection.onCodeLens((p, token) => {
    const doc = store.queued(p.textDocument.uri);
    if (!doc) return [];
    return background.runSteps(token, function* (): Steps<CodeLens[]> {
      const key = keyOf(doc.uri);
      const lines = doc.model.lines;
      const { chains, traces } = yield* placeSteps(doc.model.ruleSet);
      const out: CodeLens[] = [];
      // the first lenses in the file, up to the limit: chain and trace places merged by where they stand
      const max = maxLenses();
      const total = chains.length + traces.length;
      // the next place of each list, made once: the one not taken waits for the next round
      let i = 0;
      let j = 0;
      let c = chains.length ? chainPlaceSpan(chains[0]) : undefined;
      let t = traces.length ? tracePlaceSpan(traces[0]) : undefined;
      const chainNext = (): boolean => c !== undefined && (t === undefined || c.start <= t.start);
      while (out.length < Math.min(max, total)) {
        if (out.length % STEP_ITEMS === STEP_ITEMS - 1) yield;
        if (chainNext()) {
          out.push({ range: toRange(lines, c!), data: [key, CHAIN] satisfies LensData });
          c = ++i < chains.length ? chainPlaceSpan(chains[i]) : undefined;
        } else {
          out.push({ range: toRange(lines, t!), data: [key, TRACE] satisfies LensData });
          t = ++j < traces.length ? tracePlaceSpan(traces[j]) : undefined;
        }
      }
      // where the first lens left out would stand, a lens says how many are
      if (total > max) out.push({ range: toRange(lines, chainNext() ? c! : t!), data: [key, LIMIT, total - max, max] satisfies LensData });
      // 6 MB of JSON for a kube-proxy dump, written out in steps as well (see JsonParts)
      return yield* jsonPartsSteps(out);
    }, () => doc.version);
  });

  connection.onCodeLensResolve((lens): CodeLens => {
    const data = lens.data as LensData;
    const [key, kind] = data;
    if (data[1] === LIMIT) {
      return { ...lens, command: { title: `${data[2]} more lenses from here on are not shown: at most ${data[3]} (setting iptables.codeLens.maxLenses)`, command: '' } };
    }
    const uri = uris[key];
    const doc = uri === undefined ? undefined : store.get(uri);
    // the document changed or closed since the lens was placed: the editor asks for new ones
    const stale = { ...lens, command: { title: '', command: '' } };
    if (!doc) return stale;
    const lines = doc.model.lines;
    const at = lines.offsetAt(lens.range.start);
    const { chains, traces } = placesOf(doc.model.ruleSet);
    if (kind === CHAIN) {
      const place = placeAt(chains, chainPlaceSpan, at);
      if (!place) return stale;
      const l = chainLensAt(place, doc.model.chains);
      const name = place.declarations[0].span;
      return { ...lens, command: l.references.length ? { title: l.title, command: SHOW_CHAIN_REFERENCES_COMMAND, arguments: [uri, lines.positionAt(name.start)] } : { title: l.title, command: '' } };
    }
    const place = placeAt(traces, tracePlaceSpan, at);
    if (!place) return stale;
    return { ...lens, command: { title: 'Trace from here', command: TRACE_COMMAND, arguments: [uri, traceLensAt(place).spec] } };
  });

  connection.onRequest(CHAIN_REFERENCES_REQUEST, (p: ChainReferencesParams): Location[] => {
    const doc = store.get(p.uri);
    if (!doc) return [];
    const lines = doc.model.lines;
    return jumpsAt(doc.model.chains, lines.offsetAt(p.position)).map((r) => ({ uri: p.uri, range: toRange(lines, r.span) }));
  });
}

/** The place whose span starts at `offset` (places are in text order). */
function placeAt<P>(places: P[], spanOf: (p: P) => Span, offset: number): P | undefined {
  let lo = 0;
  let hi = places.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const s = spanOf(places[mid]).start;
    if (s === offset) return places[mid];
    if (s < offset) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}
