#!/bin/sh
# VPN gateway: the WireGuard clients of $VPN_NET reach the internet through $WAN.
# The interfaces and networks are kept in /etc/vpn-gateway.conf (examples/etc here).
set -e
. /etc/vpn-gateway.conf

sysctl -w net.ipv4.ip_forward=1

iptables -P FORWARD DROP
iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
# mistake: nothing accepts the clients' new connections in FORWARD
iptables -t nat -A POSTROUTING -s $VPN_NET -o $WAN -j MASQUERADE
