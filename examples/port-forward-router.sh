#!/bin/sh
# Home router: wan0 faces the internet, lan0 the 192.168.50.0/24 LAN.
# Publishes the web server 192.168.50.10:8080 on the router's port 80.
set -e

IPT=/usr/sbin/iptables

sysctl -w net.ipv4.ip_forward=1

$IPT -F
$IPT -t nat -F
$IPT -P INPUT DROP
$IPT -P FORWARD DROP
$IPT -P OUTPUT ACCEPT

# the router itself
$IPT -A INPUT -i lo -j ACCEPT
$IPT -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
$IPT -A INPUT -i lan0 -p tcp --dport 22 -j ACCEPT

# LAN out to the internet
$IPT -t nat -A POSTROUTING -o wan0 -j MASQUERADE
$IPT -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
$IPT -A FORWARD -i lan0 -o wan0 -j ACCEPT

# port forward: public 80 -> web server 8080
$IPT -t nat -A PREROUTING -i wan0 -p tcp --dport 80 -j DNAT --to-destination 192.168.50.10:8080
# mistake: FORWARD sees the translated port (8080), so this accept never matches
$IPT -A FORWARD -i wan0 -o lan0 -p tcp --dport 80 -d 192.168.50.10 -j ACCEPT
