import type { CommandRunner, RunOptions, RunResult } from '../../server/src/apply/runner.ts';
import type { Clock } from '../../server/src/apply/session.ts';

/**
 * A stand-in host for the engine's unit tests only (the namespace tests use a real sshd):
 * it recognises each fixed remote script, keeps loaded rules, backups and the armed marker
 * in memory, and lets a test replace the answer to any step.
 */
export type Step = 'preflight' | 'save' | 'test' | 'namespace' | 'ipsets' | 'prepare' | 'arm' | 'apply' | 'confirm' | 'revert' | 'status';

export interface Call {
  step: Step;
  file: string;
  args: string[];
  remote: string;
  input: string;
}

export function stepOf(remote: string): Step {
  if (remote.includes('echo "uid=')) return 'preflight';
  if (remote.includes('unshare --net')) return 'namespace';
  if (remote.includes('ipset save')) return 'ipsets';
  if (/ --test'$/.test(remote)) return 'test';
  if (remote.includes('umask 077')) return 'prepare';
  if (remote.includes('setsid nohup')) return 'arm';
  if (remote.includes('echo applied')) return 'apply';
  if (remote.includes('echo reverted')) return 'revert';
  if (remote.includes('echo kept')) return 'confirm';
  if (remote.includes('echo armed')) return 'status';
  if (/-save'$/.test(remote)) return 'save';
  throw new Error(`unknown remote script: ${remote}`);
}

const ok = (stdout = ''): RunResult => ({ exitCode: 0, stdout, stderr: '' });

export class FakeClock implements Clock {
  t = 1_800_000_000_000;
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.t += ms;
  }
}

export class FakeHost implements CommandRunner {
  calls: Call[] = [];
  loaded: Record<string, string> = { ipv4: '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT\nCOMMIT\n', ipv6: '' };
  staged: Record<string, string> = {};
  /** What `ipset save` prints on the host. */
  ipsets = '';
  backups: Record<string, string> = {};
  armed = false;
  rolledBack?: string;
  preflight = ['uid=0', 'sudo=root', 'iptables=iptables v1.8.9 (nf_tables)', 'have=iptables-nft-restore', 'have=iptables-nft-save', 'have=ip6tables-nft-restore', 'have=ip6tables-nft-save', 'have=unshare', 'have=setsid', 'have=nohup', 'ip_forward=0', 'ipv6_forwarding=0', 'connection=10.200.77.1 40000 10.200.77.2 22', 'route=10.200.77.1 dev eth0 src 10.200.77.2'];
  /** Replace the answer of a step (return undefined to fall through to the default). */
  override: Partial<Record<Step, (call: Call, nth: number) => RunResult | undefined>> = {};
  /** Aborts the caller's controller when this step starts (to test cancellation). */
  abortAt?: { step: Step; controller: AbortController };
  private readonly clock?: FakeClock;
  private armedAt = 0;
  private seconds = 0;

  constructor(clock?: FakeClock) {
    this.clock = clock;
  }

  steps(): Step[] {
    return this.calls.map((c) => c.step);
  }

  /** The rollback fires when the fake clock passes its time (as the detached process would). */
  private tick(): void {
    if (this.armed && this.clock && this.clock.now() >= this.armedAt + this.seconds * 1000) {
      this.armed = false;
      for (const [f, b] of Object.entries(this.backups)) this.loaded[f] = b;
      this.rolledBack = 'restored';
    }
  }

  async run(file: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
    const remote = args[args.length - 1];
    const step = stepOf(remote);
    const call: Call = { step, file, args, remote, input: options.input ?? '' };
    this.calls.push(call);
    if (this.abortAt?.step === step) this.abortAt.controller.abort();
    if (options.signal?.aborted) return { exitCode: -1, stdout: '', stderr: '', cancelled: true };
    this.tick();
    const nth = this.calls.filter((c) => c.step === step).length;
    const o = this.override[step]?.(call, nth);
    if (o) return o;
    const family = /ip6tables/.test(remote) || /\.ipv6/.test(remote) ? 'ipv6' : 'ipv4';
    switch (step) {
      case 'preflight':
        return ok(this.preflight.join('\n') + '\n');
      case 'save':
        return ok(this.loaded[family] ?? '');
      case 'test':
        return ok();
      case 'namespace':
        // what iptables-save prints after loading: here the input itself
        return ok(call.input);
      case 'ipsets':
        return ok(this.ipsets);
      case 'prepare': {
        const touched = /for t in ([a-z ]+);/.exec(remote)?.[1].split(' ') ?? [];
        let b = this.loaded[family] ?? '';
        for (const t of touched) if (!new RegExp(`^\\*${t}$`, 'm').test(b)) b += `*${t}\nCOMMIT\n`;
        this.backups[family] = b;
        this.staged[family] = call.input;
        return ok(b);
      }
      case 'arm': {
        this.armed = true;
        this.armedAt = this.clock?.now() ?? 0;
        this.seconds = Number(/sleep (\d+);/.exec(remote)?.[1]);
        return ok('rollback=4242\n');
      }
      case 'apply':
        if (!this.armed) return { exitCode: 97, stdout: '', stderr: 'not armed' };
        for (const [f, s] of Object.entries(this.staged)) this.loaded[f] = s;
        return ok('applied\n');
      case 'confirm':
        if (!this.armed) return { exitCode: 96, stdout: 'too-late\n', stderr: '' };
        this.armed = false;
        return ok('kept\n');
      case 'revert':
        if (!this.armed) return { exitCode: 96, stdout: 'too-late\n', stderr: '' };
        this.armed = false;
        for (const [f, b] of Object.entries(this.backups)) this.loaded[f] = b;
        return ok('reverted\n');
      case 'status':
        return ok(`${this.armed ? 'armed\n' : ''}${this.rolledBack ? `rolled-back=${this.rolledBack}\n` : ''}`);
    }
  }
}
