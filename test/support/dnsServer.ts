// A DNS server for a test's own network namespace: answers A queries for the names it is
// given (`name=address` arguments) and says "no such name" to anything else, on 127.0.0.1:53
// of the namespace it runs in. Run it with `ip netns exec NS node dnsServer.ts …`; it prints
// "ready" once it listens and stops when its standard input closes.
import { createSocket } from 'node:dgram';

const answers = new Map<string, number[]>();
for (const arg of process.argv.slice(2)) {
  const [name, address] = arg.split('=');
  answers.set(name.toLowerCase(), address.split('.').map(Number));
}

/** The question's name and where the question ends, or undefined for a message not understood. */
function question(msg: Buffer): { name: string; type: number; end: number } | undefined {
  const labels: string[] = [];
  let i = 12;
  while (i < msg.length && msg[i] !== 0) {
    const n = msg[i];
    if (n > 63) return undefined;
    labels.push(msg.subarray(i + 1, i + 1 + n).toString('latin1'));
    i += 1 + n;
  }
  if (i + 5 > msg.length) return undefined;
  return { name: labels.join('.').toLowerCase(), type: msg.readUInt16BE(i + 1), end: i + 5 };
}

const socket = createSocket('udp4');
socket.on('message', (msg, peer) => {
  const q = msg.length >= 12 ? question(msg) : undefined;
  if (!q) return;
  const address = answers.get(q.name);
  // header: the query's id, a response (recursion available), one question, an answer if any
  const header = Buffer.alloc(12);
  msg.copy(header, 0, 0, 2);
  const answer = address && q.type === 1;
  header.writeUInt16BE(0x8180 | (address ? 0 : 3), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answer ? 1 : 0, 6);
  const parts = [header, msg.subarray(12, q.end)];
  if (answer) {
    const rr = Buffer.alloc(16);
    rr.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
    rr.writeUInt16BE(1, 2); // A
    rr.writeUInt16BE(1, 4); // IN
    rr.writeUInt32BE(60, 6); // TTL
    rr.writeUInt16BE(4, 10);
    Buffer.from(address).copy(rr, 12);
    parts.push(rr);
  }
  socket.send(Buffer.concat(parts), peer.port, peer.address);
});
socket.bind(53, '127.0.0.1', () => process.stdout.write('ready\n'));
process.stdin.on('end', () => socket.close());
process.stdin.resume();
