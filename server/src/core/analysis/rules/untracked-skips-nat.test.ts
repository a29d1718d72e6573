import { ruleTable } from '../../../../../test/support/ruleTester.ts';
import { untrackedSkipsNat } from './untracked-skips-nat.ts';

const script = { dialect: 'script' as const };
const DNAT = 'iptables -t nat -A PREROUTING -i eth0 -p udp --dport 27015 -j DNAT --to-destination 192.168.1.20\n';
const save = (raw: string, nat: string) => `*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${raw}\nCOMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${nat}\nCOMMIT\n`;

ruleTable(untrackedSkipsNat, {
  valid: [
    { ...script, code: `${DNAT}iptables -t raw -A PREROUTING -p udp --dport 53 -j NOTRACK\n`, name: 'another port untracked' },
    { ...script, code: `${DNAT}iptables -t raw -A PREROUTING -i eth1 -p udp --dport 27015 -j NOTRACK\n`, name: 'another interface untracked' },
    { ...script, code: `iptables -t raw -A PREROUTING -p udp --dport 27015 -j NOTRACK\n`, name: 'no nat rules' },
    { ...script, code: `iptables -t nat -A PREROUTING -i eth0 -p udp --dport 27015 -j DNAT --to-destination 192.168.1.20\niptables -t raw -A PREROUTING -p udp --dport 27015 -m mark --mark 1 -j NOTRACK\n`, name: 'a NOTRACK whose other test the analysis cannot decide' },
    { ...script, code: `${DNAT}iptables -t raw -A PREROUTING -i eth0 -p udp --dport 27015 -j MARK --set-mark 1\n`, name: 'a raw rule that does not untrack' },
  ],
  invalid: [
    { ...script, code: `${DNAT}«iptables -t raw -A PREROUTING -i eth0 -p udp --dport 27015 -j NOTRACK»\n`, name: 'the forwarded port untracked', severity: 'warning' },
    { ...script, code: `${DNAT}«iptables -t raw -A PREROUTING -i eth0 -p udp --dport 27015 -j CT --notrack»\n`, name: 'CT --notrack' },
    { ...script, code: `${DNAT}«iptables -t raw -A PREROUTING -p udp -j NOTRACK»\n`, name: 'a NOTRACK broader than the DNAT (every UDP packet)' },
    { ...script, code: `iptables -t nat -A PREROUTING -i eth0 -p udp --dport 27015 -m mark --mark 1 -j DNAT --to-destination 192.168.1.20\n«iptables -t raw -A PREROUTING -i eth0 -p udp --dport 27015 -j NOTRACK»\n`, name: 'a DNAT with another test: its packets are untracked all the same' },
    { ...script, code: `${DNAT}iptables -t raw -N EXEMPT\niptables -t raw -A PREROUTING -j EXEMPT\n«iptables -t raw -A EXEMPT -p udp --dport 27015 -j NOTRACK»\n`, name: 'the NOTRACK in a chain raw PREROUTING jumps to' },
    { ...script, code: `iptables -t nat -N FWD\niptables -t nat -A PREROUTING -i eth0 -j FWD\niptables -t nat -A FWD -p udp --dport 27015 -j DNAT --to-destination 192.168.1.20\n«iptables -t raw -A PREROUTING -p udp --dport 27015 -j NOTRACK»\n`, name: 'a DNAT in a chain PREROUTING jumps to' },
    { code: save('«-A OUTPUT -p tcp --dport 80 -j NOTRACK»', '-A OUTPUT -p tcp --dport 80 -j REDIRECT --to-ports 3128'), name: 'the host\'s own connections, a REDIRECT of nat OUTPUT' },
    { ...script, code: `ip6tables -t nat -A PREROUTING -i eth0 -p tcp --dport 443 -j DNAT --to-destination [fd00::20]:443\n«ip6tables -t raw -A PREROUTING -i eth0 -p tcp --dport 443 -j NOTRACK»\n`, name: 'IPv6' },
  ],
});
