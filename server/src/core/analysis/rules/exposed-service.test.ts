import { ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { exposedService } from './exposed-service.ts';

const closed = (body: string) => table('filter', `:INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n${body}`);

ruleTable(exposedService, {
  valid: [
    { code: closed('-A INPUT -s 10.0.1.0/24 -p tcp --dport 6379 -j ACCEPT\n-A INPUT -m set --match-set admins src -p tcp --dport 2375 -j ACCEPT'), name: 'only some sources' },
    { code: closed('-A INPUT -i eth1 -p tcp --dport 6379 -j ACCEPT\n-A INPUT -i lo -j ACCEPT\n-A INPUT -d 10.0.0.5 -p tcp --dport 27017 -j ACCEPT'), name: 'one interface, loopback, one destination address' },
    { code: closed('-A INPUT -p tcp --dport 6379 -j DROP\n-A INPUT -p tcp --dport 6379 -j ACCEPT'), name: 'dropped before the accept' },
    { code: closed('-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -p tcp --dport 443 -j ACCEPT\n-A INPUT -p udp --dport 6379 -j ACCEPT'), name: 'other ports, another protocol' },
    { code: table('filter', '-A INPUT -p tcp --dport 6379 -j ACCEPT'), name: 'INPUT accepts everything anyway' },
    { code: closed('-A INPUT -m conntrack --ctstate NEW -j ACCEPT'), name: 'an accept of every new connection names no port' },
  ],
  invalid: [
    { code: table('filter', ':INPUT ACCEPT [0:0]\n:LOGDROP - [0:0]\n-A LOGDROP -m limit --limit 5/min -j LOG --log-prefix drop:\n-A LOGDROP -j DROP\n-A INPUT -p tcp «--dport 6379» -j ACCEPT\n-A INPUT -j LOGDROP'), name: 'INPUT closed by a jump to a chain that logs and drops' },
    { code: closed('-A INPUT -p tcp «--dport 6379» -j ACCEPT\n-A INPUT -p tcp -m multiport «--dports 80,443,2375» -j ACCEPT\n-A INPUT -p tcp «--dport 9000:9300» -j ACCEPT\n-A INPUT -p udp -m udp «--dport 11211» -j ACCEPT'), name: 'a port, a list, a range, UDP' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n:services - [0:0]\n-A INPUT -j services\n-A INPUT -j DROP\n-A services -p tcp -m tcp «--dport 10250» -m comment --comment kubelet -j ACCEPT'), name: 'in a chain INPUT jumps to, INPUT closed by its last rule' },
    { code: 'ip6tables -P INPUT DROP\nip6tables -A INPUT -p tcp «--dport 2379» -j ACCEPT\n', dialect: 'script', name: 'IPv6, in a script' },
    { code: closed('-A INPUT -p tcp -m tcp «--dport 1025:65535» -m conntrack --ctstate NEW -j ACCEPT'), name: 'a wide range: one finding for the services it holds' },
  ],
});
