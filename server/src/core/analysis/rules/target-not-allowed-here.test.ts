import { ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { targetNotAllowedHere } from './target-not-allowed-here.ts';

ruleTable(targetNotAllowedHere, {
  valid: [
    { code: table('nat', '-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5\n-A OUTPUT -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5') },
    { code: table('nat', ':web - [0:0]\n-A PREROUTING -j web\n-A web -p tcp -j DNAT --to-destination 10.0.0.5'), name: 'user chain reached from PREROUTING' },
    { code: table('filter', '-A INPUT -i eth0 -j ACCEPT\n-A FORWARD -i eth0 -o eth1 -j ACCEPT\n-A OUTPUT -o eth0 -j ACCEPT'), name: 'interfaces where the packet has them' },
    // measured (iptables 1.8.9): the kernel takes these in OUTPUT beside --physdev-is-bridged
    { code: table('filter', '-A OUTPUT -m physdev --physdev-is-bridged --physdev-out eth0 -j ACCEPT\n-A OUTPUT -m physdev --physdev-is-out --physdev-is-bridged -j ACCEPT'), name: 'physdev\'s out options in OUTPUT for bridged packets' },
    { code: table('mangle', '-A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu\n-A POSTROUTING -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu'), name: 'MSS clamping where the route is known' },
    { code: table('filter', ':in - [0:0]\n-A INPUT -j in\n-A in -o eth0 -j ACCEPT'), name: 'an interface test in a user chain is not refused' },
  ],
  invalid: [
    { code: table('filter', '-A FORWARD -p tcp -j «DNAT» --to-destination 10.0.0.5'), name: 'DNAT in filter' },
    { code: table('nat', '-A PREROUTING -m «rpfilter» --invert -j ACCEPT'), name: 'a match of the raw and mangle tables in nat' },
    // measured (1.8.9): the kernel refuses the policy match for the other direction's hooks
    { code: 'iptables -t nat -A OUTPUT -m policy «--dir» in --pol none -j ACCEPT\niptables -A INPUT -m policy «--dir» out --pol none -j ACCEPT\niptables -A FORWARD -m policy --dir out --pol none -j ACCEPT\niptables -A INPUT -m policy --dir in --pol ipsec -j ACCEPT\n', dialect: 'script', name: 'the policy match\'s direction where packets go the other way' },
    // measured (1.8.9, nft and legacy, both families): "the use of DROP is therefore inhibited"
    { code: 'iptables -t nat -A PREROUTING -p tcp --dport 23 -j «DROP»\nip6tables -t nat -N N1\nip6tables -t nat -A N1 -j «DROP»\n', dialect: 'script', name: 'DROP in the nat table' },
    { code: table('filter', '-A OUTPUT -m physdev ! --physdev-is-bridged «--physdev-out» eth0 -j ACCEPT\n-A OUTPUT -m physdev «--physdev-is-out» -j ACCEPT'), name: 'physdev\'s out options in OUTPUT for packets not bridged' },
    { code: table('mangle', '-A INPUT -p tcp --tcp-flags SYN,RST SYN -j TCPMSS «--clamp-mss-to-pmtu»\n-A PREROUTING -p tcp --tcp-flags SYN,RST SYN -j TCPMSS «--clamp-mss-to-pmtu»'), name: 'MSS clamping before the route is known (the kernel refuses it)' },
    { code: table('nat', '-A POSTROUTING -p tcp -j «DNAT» --to-destination 10.0.0.5'), name: 'DNAT in POSTROUTING' },
    { code: table('nat', ':web - [0:0]\n-A PREROUTING -j web\n-A POSTROUTING -j web\n-A web -p tcp -j «DNAT» --to-destination 10.0.0.5'), name: 'user chain also reached from POSTROUTING' },
    { code: table('filter', '-A INPUT -m «owner» --uid-owner 0 -j ACCEPT'), name: 'owner only for locally sent packets' },
    // measured (1.8.9, both backends): Invalid argument in OUTPUT and POSTROUTING
    { code: table('filter', '-A OUTPUT -p tcp -m «osf» --genre Linux -j ACCEPT\n-A INPUT -p tcp -m osf --genre Linux -j ACCEPT'), name: 'osf reads SYNs coming in' },
    { code: table('mangle', '-A INPUT -j «REJECT»'), name: 'REJECT outside filter' },
    { code: table('filter', '-A INPUT ! «-o» eth0 -j ACCEPT\n-A OUTPUT «-i» eth0 -j ACCEPT'), name: '-o in INPUT, -i in OUTPUT' },
    { code: table('nat', '-A PREROUTING «-o» eth0 -j ACCEPT\n-A POSTROUTING «--in-interface» eth0 -j MASQUERADE'), name: '-o in PREROUTING, -i in POSTROUTING' },
    { code: table('filter', '-A OUTPUT -m addrtype --dst-type LOCAL «--limit-iface-in» -j ACCEPT'), name: 'an extension option bound to hooks' },
    // measured (1.8.9, kernel 6.18): iptables-legacy's kernel refuses TRACE outside raw (Invalid argument), iptables-nft takes it
    { code: table('filter', '-A INPUT -p tcp --dport 80 -j «TRACE»') + table('mangle', '-A PREROUTING -j «TRACE»') + table('raw', '-A PREROUTING -p tcp --dport 80 -j TRACE\n-A OUTPUT -j TRACE'), severity: 'warning', name: 'TRACE outside the raw table' },
  ],
});
