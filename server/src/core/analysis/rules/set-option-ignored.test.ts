import { ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { setOptionIgnored } from './set-option-ignored.ts';

const script = { dialect: 'script' as const };
const ban = 'iptables -A INPUT -p tcp --dport 23 -j SET --add-set scanners src --timeout 3600';
const heavy = 'iptables -A INPUT -m set --match-set talkers src --packets-gt 100 -j DROP';
const ipsets = (extensions: ('timeout' | 'counters')[]) => ({
  settings: { workspaceSets: { file: '/etc/iptables/ipsets', sets: [{ name: 'scanners', type: 'hash:ip', extensions, span: { start: 7, end: 15 } }, { name: 'talkers', type: 'hash:ip', extensions, span: { start: 50, end: 57 } }] } },
});

ruleTable(setOptionIgnored, {
  valid: [
    { ...script, code: `ipset create scanners hash:ip timeout 0\n${ban}\n`, name: 'a set with timeout support' },
    { ...script, code: `ipset create talkers hash:ip counters\n${heavy}\n`, name: 'a set with counters' },
    { ...script, code: `${ban}\n${heavy}\n`, name: 'sets the script does not create' },
    { ...script, code: `ipset restore <<EOF\ncreate scanners hash:ip family inet hashsize 1024 maxelem 65536 timeout 300\nEOF\n${ban}\n`, name: 'made with timeout by an ipset restore here-document' },
    { ...script, code: `ipset create scanners hash:ip\niptables -A INPUT -p tcp --dport 23 -j SET --add-set scanners src\n`, name: 'no --timeout' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 23 -j SET --add-set scanners src --timeout 3600\n-A INPUT -m set --match-set talkers src --packets-gt 100 -j DROP'), options: ipsets(['timeout', 'counters']), name: 'a save file whose ipsets file makes them with timeout and counters' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 23 -j SET --add-set scanners src --timeout 3600'), name: 'a save file without an ipsets file beside it' },
  ],
  invalid: [
    { ...script, code: 'ipset create scanners hash:ip\niptables -A INPUT -p tcp --dport 23 -j SET --add-set scanners src «--timeout» 3600\n', name: '--timeout on a set without timeout' },
    { ...script, code: 'ipset create talkers hash:ip\niptables -A INPUT -m set --match-set talkers src «--packets-gt» 100 «--bytes-lt» 5000 -j DROP\n', name: 'counter tests on a set without counters' },
    { ...script, code: 'ipset create scanners hash:ip timeout 0\nipset destroy scanners\nipset create scanners hash:ip\niptables -A INPUT -p tcp -j SET --add-set scanners src «--timeout» 60\n', name: 'made again without it before the rule' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 23 -j SET --add-set scanners src «--timeout» 3600\n-A INPUT -m set --match-set talkers src «--packets-gt» 100 -j DROP'), options: ipsets([]), name: 'a save file whose ipsets file makes them without' },
  ],
});
