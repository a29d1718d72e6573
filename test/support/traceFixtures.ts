/**
 * A script whose FORWARD holds a shell variable (line 3) and a match the simulator cannot
 * evaluate (line 4): a trace through it splits into branches with conditions on those lines.
 */
export const uncertainForwardScript = [
  '#!/bin/sh',
  'iptables -P FORWARD ACCEPT',
  'iptables -A FORWARD -i $WAN -j DROP',
  'iptables -A FORWARD -p tcp --dport 22 -m recent --name ssh --rcheck --seconds 60 --hitcount 4 -j REJECT',
  'iptables -A FORWARD -p tcp --dport 22 -j ACCEPT',
  '',
].join('\n');
