import { ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { missingIpForward } from './missing-ip-forward.ts';

ruleTable(missingIpForward, {
  valid: [
    { dialect: 'script', fileName: '/etc/firewall.user', code: 'iptables -t nat -A prerouting_wan_rule -p tcp --dport 2222 -j DNAT --to-destination 192.168.1.10:22\n', name: 'OpenWrt\'s firewall.user: OpenWrt turns forwarding on (/etc/sysctl.d/10-default.conf)' },
    { code: 'iptables -t nat -A POSTROUTING -i eth0 -j MASQUERADE\n', dialect: 'script', name: 'a MASQUERADE iptables refuses (-i in POSTROUTING) translates nothing' },
    { code: "echo 'net.ipv4.ip_forward=1' >> /etc/sysctl.conf\nsysctl -p\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n", dialect: 'script', name: 'written to sysctl.conf and applied with sysctl -p' },
    { code: 'sysctl -w net.ipv4.ip_forward=1\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n', dialect: 'script' },
    { code: 'echo 1 > /proc/sys/net/ipv4/ip_forward\niptables -A FORWARD -i eth1 -j ACCEPT\n', dialect: 'script' },
    { code: 'sysctl -p\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n', dialect: 'script', name: 'sysctl -p may enable it' },
    { code: 'IP_FORWARD=/proc/sys/net/ipv4/ip_forward\nknob() { echo "1" > $1; }\nknob $IP_FORWARD\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n', dialect: 'script', name: 'a function that writes 1 to the path it is given may enable it' },
    { code: 'IPF=/proc/sys/net/ipv4/ip_forward\necho 1 > "$IPF"\niptables -A FORWARD -i eth1 -j ACCEPT\n', dialect: 'script', name: 'the /proc path in a variable' },
    { code: 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT\n', dialect: 'script', name: 'no forwarding at all' },
    { code: 'iptables -P FORWARD DROP\niptables -A FORWARD -m physdev --physdev-is-bridged -j ACCEPT\n', dialect: 'script', name: 'a bridge: FORWARD accepts bridged packets only, which are not routed' },
    { code: 'iptables -t nat -A OUTPUT -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080\n', dialect: 'script', name: 'a DNAT of the host\'s own connections' },
    { code: 'iptables -t nat -A PREROUTING -p tcp --dport 8443 -j DNAT --to-destination 127.0.0.1:443\n', dialect: 'script', name: 'a DNAT to a loopback address' },
    { code: table('nat', '-A POSTROUTING -o eth0 -j MASQUERADE'), options: { settings: { workspaceSearched: true, workspaceForwarding: [{ family: 'ipv4', value: '1', file: 'sysctl.conf' }] } } },
    { code: table('filter', ':FORWARD DROP [0:0]\n:DOCKER - [0:0]\n:DOCKER-USER - [0:0]\n-A FORWARD -j DOCKER-USER\n-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A FORWARD -o docker0 -j DOCKER\n-A FORWARD -i docker0 ! -o docker0 -j ACCEPT\n-A DOCKER-USER -j RETURN') + table('nat', ':DOCKER - [0:0]\n-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE'), options: { settings: { workspaceSearched: true } }, name: 'a Docker host\'s dump: dockerd turns forwarding on' },
    { code: 'iptables -I DOCKER-USER -i eth0 -s 192.0.2.0/24 -j ACCEPT\niptables -A FORWARD -i eth1 -o docker0 -j ACCEPT\n', dialect: 'script', name: 'a script adding to DOCKER-USER' },
    { code: table('nat', ':KUBE-SERVICES - [0:0]\n:KUBE-POSTROUTING - [0:0]\n:KUBE-SVC-X - [0:0]\n-A PREROUTING -j KUBE-SERVICES\n-A POSTROUTING -j KUBE-POSTROUTING\n-A KUBE-POSTROUTING -j MASQUERADE\n-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp --dport 443 -j KUBE-SVC-X\n-A KUBE-SVC-X -p tcp -j DNAT --to-destination 192.0.2.10:6443'), options: { settings: { workspaceSearched: true } }, name: 'a Kubernetes node\'s dump: the node is set up with forwarding on' },
  ],
  invalid: [
    { dialect: 'script', fileName: '/etc/firewall.user', code: 'echo 0 > /proc/sys/net/ipv4/ip_forward\n«iptables -t nat -A prerouting_wan_rule -p tcp --dport 2222 -j DNAT --to-destination 192.168.1.10:22»\n', name: 'firewall.user that turns forwarding off itself' },
    { code: 'sysctl -w net.ipv4.ip_forward=1\nfor ipt in iptables ip6tables; do\n  «$ipt -A FORWARD -i wg0 -j ACCEPT»\ndone\n', dialect: 'script', name: 'a loop over both tools forwards IPv6 too' },
    { code: "echo 'net.ipv4.ip_forward=1' >> /etc/sysctl.conf\n«iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE»\n", dialect: 'script', severity: 'info', name: 'forwarding written to sysctl.conf only: on at the next boot' },
    { code: '«iptables -A FORWARD -m physdev ! --physdev-is-bridged -j ACCEPT»\n', dialect: 'script', name: 'FORWARD accepts the packets that are not bridged: routed ones' },
    { code: '«iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE»\n', dialect: 'script', severity: 'warning' },
    { code: '«iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080»\n', dialect: 'script', name: 'a port forward' },
    { code: 'sysctl -w net.ipv4.ip_forward=0\n«iptables -A FORWARD -i eth1 -j ACCEPT»\n', dialect: 'script', name: 'turned off' },
    { code: '«ip6tables -A FORWARD -i eth1 -j ACCEPT»\nsysctl -w net.ipv4.ip_forward=1\n', dialect: 'script', name: 'IPv6 needs its own switch' },
    { code: table('nat', '«-A POSTROUTING -o eth0 -j MASQUERADE»'), severity: 'info', name: 'save file, workspace not searched' },
    { code: table('nat', '«-A POSTROUTING -o eth0 -j MASQUERADE»'), severity: 'warning', options: { settings: { workspaceSearched: true } }, name: 'save file, no sysctl in the workspace' },
    { code: 'sysctl -w net.ipv4.ip_forward=0\niptables -I DOCKER-USER -i eth0 -j DROP\n«iptables -A FORWARD -i eth1 -j ACCEPT»\n', dialect: 'script', name: 'a Docker host whose script turns forwarding off' },
    { code: 'ip6tables -I DOCKER-USER -j RETURN\n«ip6tables -A FORWARD -i eth1 -j ACCEPT»\n', dialect: 'script', name: 'IPv6 on a Docker host: not turned on by the daemon here' },
  ],
});
