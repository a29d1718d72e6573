import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CHECK_PACKET_REQUEST, PACKET_FIELDS_REQUEST, type CheckPacketResult, type PacketFieldsResult } from '../../../server/src/lsp/traceProtocol.ts';
import { specCompletions } from './specCompletion.ts';

/** `basis` is the input the item was made for: the extension host sees keystrokes late, so the focused row can belong to an earlier value */
type Item = vscode.QuickPickItem & { action: 'trace' | 'complete' | 'recent' | 'none'; value: string; basis?: string };

const TITLE = 'Trace a Packet';

/**
 * Asks for the packet as a SPEC (`key=value …`) in a quick pick: keys and the document's
 * own values offered as you type, the server's verdict on the SPEC shown live, recent
 * packets of this workspace below. Resolves to the SPEC, or undefined when dismissed.
 */
export function askForPacket(client: LanguageClient, uri: vscode.Uri, recent: readonly string[]): Promise<string | undefined> {
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = TITLE;
  qp.placeholder = 'e.g. in=eth0 proto=tcp dst=203.0.113.1 dport=80 — keys: in out proto src sport dst dport icmp-type state family local origin';
  qp.ignoreFocusOut = true;
  qp.matchOnDescription = false;
  qp.matchOnDetail = false;
  let fields: PacketFieldsResult | undefined;
  let check: CheckPacketResult | undefined;
  let checkedValue: string | undefined;
  let generation = 0;

  const render = () => {
    const value = qp.value;
    const completions: Item[] = specCompletions(value, fields).map((c) => ({ label: c.label, description: c.detail, action: 'complete', value: c.value, alwaysShow: true }));
    const recents: Item[] = recent
      .filter((r) => r !== value.trim())
      .map((r) => ({ label: r, description: 'recent', action: 'recent', value: r, alwaysShow: true }));
    const current = checkedValue === value ? check : undefined;
    const items: Item[] = [];
    if (!value.trim()) {
      qp.title = TITLE;
      items.push(...completions);
      if (recents.length) items.unshift({ label: 'recent packets', kind: vscode.QuickPickItemKind.Separator, action: 'none', value: '' }, ...recents, { label: 'keys', kind: vscode.QuickPickItemKind.Separator, action: 'none', value: '' });
    } else if (current?.ok) {
      qp.title = TITLE;
      items.push({ label: '$(debug-start) Trace this packet', description: current.packet, action: 'trace', value, alwaysShow: true }, ...completions);
    } else {
      const e = current && !current.ok ? current.packetError : undefined;
      // a word still being completed is not worth a complaint in the title yet
      const typing = e && e.end === value.length && completions.length > 0;
      // until the server has answered for this very value the title keeps its last word:
      // resetting it on each keystroke made the complaint flicker while typing
      if (current) qp.title = e && !typing ? `${TITLE} — ${e.error}` : TITLE;
      // while a word is being completed Enter completes it; the problem stays in the title
      items.push(...completions);
      if (e) items.push({ label: `$(error) ${e.error}`, description: e.key ? `at ${value.slice(e.start, e.end)}` : undefined, action: 'none', value, alwaysShow: true });
    }
    if (value.trim() && recents.length) items.push({ label: 'recent packets', kind: vscode.QuickPickItemKind.Separator, action: 'none', value: '' }, ...recents);
    for (const item of items) item.basis = value;
    qp.items = items;
  };

  const validate = async (value: string) => {
    const mine = ++generation;
    try {
      const r = await client.sendRequest<CheckPacketResult>(CHECK_PACKET_REQUEST, { packet: value });
      if (mine !== generation) return;
      check = r;
      checkedValue = value;
    } catch {
      return;
    }
    render();
  };

  return new Promise((resolve) => {
    let done = false;
    const finish = (spec: string | undefined) => {
      if (done) return;
      done = true;
      resolve(spec);
      qp.hide();
    };
    qp.onDidChangeValue((v) => {
      render();
      void validate(v);
    });
    qp.onDidAccept(() => {
      const item = qp.activeItems[0] ?? qp.selectedItems[0];
      if (!item) return;
      // Enter on a row made for an earlier value (typing faster than the extension host
      // follows) would put a stale completion over what was typed: show the current rows instead
      if (item.action !== 'recent' && item.basis !== qp.value) {
        render();
        return;
      }
      if (item.action === 'complete') {
        qp.value = item.value;
        render();
        void validate(item.value);
      }
      else if (item.action === 'recent') finish(item.value);
      else if (item.action === 'trace' && checkedValue === qp.value && check?.ok) finish(qp.value.trim());
    });
    qp.onDidHide(() => {
      finish(undefined);
      qp.dispose();
    });
    qp.busy = true;
    render();
    qp.show();
    void client
      .sendRequest<PacketFieldsResult>(PACKET_FIELDS_REQUEST, { uri: uri.toString() })
      .then((f) => {
        fields = f;
      })
      .catch(() => undefined)
      .finally(() => {
        qp.busy = false;
        render();
      });
  });
}
