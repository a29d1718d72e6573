import { ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { dnatWithoutForwardAccept } from './dnat-without-forward-accept.ts';

const dnat = '-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080';
const nat = (marked = false) => table('nat', marked ? `«${dnat}»` : dnat);
const est = '-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT';

ruleTable(dnatWithoutForwardAccept, {
  valid: [
    { code: nat() + table('filter', `:FORWARD DROP [0:0]\n${est}\n-A FORWARD -i eth0 -o eth1 -p tcp --dport 8080 -d 192.168.1.100 -j ACCEPT`), name: 'the correct port forward' },
    { code: nat() + table('filter', ':FORWARD ACCEPT [0:0]'), name: 'FORWARD policy ACCEPT, nothing dropping' },
    { code: nat() + table('filter', `:FORWARD DROP [0:0]\n${est}\n-A FORWARD -s 203.0.113.0/24 -j ACCEPT`), name: 'an accept that may match is not a proven drop' },
    { code: 'iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination "$WEB"\niptables -P FORWARD DROP\n', dialect: 'script', name: 'unknown destination' },
    { code: table('nat', '-A OUTPUT -d 203.0.113.5 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080') + table('filter', ':FORWARD DROP [0:0]'), name: 'the host\'s own connections (nat OUTPUT) do not pass FORWARD' },
    { code: table('nat', ':local - [0:0]\n-A OUTPUT -j local\n-A local -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080') + table('filter', ':FORWARD DROP [0:0]'), name: 'a user chain only nat OUTPUT reaches' },
    { code: table('nat', '-A PREROUTING -p tcp --dport 8443 -j DNAT --to-destination 127.0.0.1:443') + table('filter', ':FORWARD DROP [0:0]'), name: 'a loopback destination goes to INPUT' },
  ],
  invalid: [
    { code: nat(true) + table('filter', `:FORWARD DROP [0:0]\n${est}\n-A FORWARD -i eth0 -o eth1 -p tcp --dport 80 -d 192.168.1.100 -j ACCEPT`), name: 'accepting the public port instead of the translated one' },
    { code: nat(true) + table('filter', `:FORWARD ACCEPT [0:0]\n${est}\n-A FORWARD -j DROP`), name: 'a DROP rule catches it' },
    { code: nat(true) + table('filter', `:FORWARD DROP [0:0]\n-A FORWARD -i eth0 -p tcp --dport 8080 -d 192.168.1.100 -j ACCEPT`), name: 'replies not accepted' },
    { code: table('nat', ':svc - [0:0]\n-A PREROUTING -j svc\n-A OUTPUT -j svc\n«-A svc -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080»') + table('filter', ':FORWARD DROP [0:0]'), name: 'a user chain both PREROUTING and OUTPUT reach (kube-proxy\'s services)' },
    {
      code: 'sysctl -w net.ipv4.ip_forward=1\niptables -P FORWARD DROP\niptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n«iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080»\niptables -A FORWARD -i eth0 -p tcp --dport 80 -d 192.168.1.100 -j ACCEPT\n',
      dialect: 'script',
      name: 'the script form of the mistake',
    },
    {
      code: 'WAN=eth0\nWEB=192.168.1.100\nsysctl -w net.ipv4.ip_forward=1\niptables -P FORWARD DROP\niptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n«iptables -t nat -A PREROUTING -i $WAN -p tcp --dport 80 -j DNAT --to-destination $WEB:8080»\niptables -A FORWARD -i "$WAN" -p tcp --dport 80 -d "$WEB" -j ACCEPT\n',
      dialect: 'script',
      name: 'the same written with the script\'s variables',
    },
  ],
});
