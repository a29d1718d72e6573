import { analysisSkipped } from './rules/analysis-skipped.ts';
import { addressFamilyMismatch } from './rules/address-family-mismatch.ts';
import { hostnameResolvedOnce } from './rules/hostname-resolved-once.ts';
import { duplicateChain } from './rules/duplicate-chain.ts';
import { invalidValue } from './rules/invalid-value.ts';
import { missingCommit } from './rules/missing-commit.ts';
import { optionCombination } from './rules/option-combination.ts';
import { optionRequiresMatch } from './rules/option-requires-match.ts';
import { syntaxError } from './rules/syntax-error.ts';
import { targetNotAllowedHere } from './rules/target-not-allowed-here.ts';
import { undefinedChain } from './rules/undefined-chain.ts';
import { undefinedSet } from './rules/undefined-set.ts';
import { setExistsOnRerun } from './rules/set-exists-on-rerun.ts';
import { setOptionIgnored } from './rules/set-option-ignored.ts';
import { failureStopsScript } from './rules/failure-stops-script.ts';
import { managedChainEdited } from './rules/managed-chain-edited.ts';
import { unknownMatch } from './rules/unknown-match.ts';
import { unknownOption } from './rules/unknown-option.ts';
import { unknownTable } from './rules/unknown-table.ts';
import { unknownTarget } from './rules/unknown-target.ts';
import { dnatWithoutForwardAccept } from './rules/dnat-without-forward-accept.ts';
import { masqueradeWithoutForwardAccept } from './rules/masquerade-without-forward-accept.ts';
import { dnatBypassesBlock } from './rules/dnat-bypasses-block.ts';
import { dnatToLoopback } from './rules/dnat-to-loopback.ts';
import { dnatAnyDestination } from './rules/dnat-any-destination.ts';
import { dnatWithoutHairpin } from './rules/dnat-without-hairpin.ts';
import { redirectWithoutInputAccept } from './rules/redirect-without-input-accept.ts';
import { missingMasquerade } from './rules/missing-masquerade.ts';
import { ineffectiveLimit } from './rules/ineffective-limit.ts';
import { logWithoutLimit } from './rules/log-without-limit.ts';
import { mssClampAfterAccept } from './rules/mss-clamp-after-accept.ts';
import { limitThrottlesConnections } from './rules/limit-throttles-connections.ts';
import { recentListNeverSet } from './rules/recent-list-never-set.ts';
import { hashlimitSettingsIgnored } from './rules/hashlimit-settings-ignored.ts';
import { undefinedRateEstimator } from './rules/undefined-rate-estimator.ts';
import { rateEstimatorRedefined } from './rules/rate-estimator-redefined.ts';
import { idletimerAlarmMismatch } from './rules/idletimer-alarm-mismatch.ts';
import { masqueradeHidesClients } from './rules/masquerade-hides-clients.ts';
import { untrackedTrafficDropped } from './rules/untracked-traffic-dropped.ts';
import { untrackedSkipsNat } from './rules/untracked-skips-nat.ts';
import { missingIpForward } from './rules/missing-ip-forward.ts';
import { missingEstablishedRule } from './rules/missing-established-rule.ts';
import { missingNdpAccept } from './rules/missing-ndp-accept.ts';
import { missingLoopbackAccept } from './rules/missing-loopback-accept.ts';
import { missingDnsAccept } from './rules/missing-dns-accept.ts';
import { ipv6LeftOpen } from './rules/ipv6-left-open.ts';
import { unreachableRule } from './rules/unreachable-rule.ts';
import { shadowedRule } from './rules/shadowed-rule.ts';
import { redundantRule } from './rules/redundant-rule.ts';
import { repeatedTableBlock } from './rules/repeated-table-block.ts';
import { restoreResetsPolicy } from './rules/restore-resets-policy.ts';
import { unusedChain } from './rules/unused-chain.ts';
import { chainLoop } from './rules/chain-loop.ts';
import { commandFails } from './rules/command-fails.ts';
import { sshLockoutRisk } from './rules/ssh-lockout-risk.ts';
import { sourcePortAccept } from './rules/source-port-accept.ts';
import { exposedService } from './rules/exposed-service.ts';
import { deprecatedStateMatch } from './rules/deprecated-state-match.ts';
import { obsoleteExtension } from './rules/obsolete-extension.ts';
import { acceptsEveryConnection } from './rules/accepts-every-connection.ts';
import { tableNotFlushed } from './rules/table-not-flushed.ts';
import { bashSyntaxInSh } from './rules/bash-syntax-in-sh.ts';
import { lanReachableFromWan } from './rules/lan-reachable-from-wan.ts';
import { ruleLeftAfterDown } from './rules/rule-left-after-down.ts';
import { ruleLeftAfterReload } from './rules/rule-left-after-reload.ts';
import type { LintRule } from './types.ts';

/** Every diagnostic rule, listed once. Docs pages and the README table are generated from this list. */
export const rules: readonly LintRule[] = [
  syntaxError,
  missingCommit,
  repeatedTableBlock,
  unknownTable,
  unknownOption,
  unknownMatch,
  unknownTarget,
  invalidValue,
  optionRequiresMatch,
  optionCombination,
  targetNotAllowedHere,
  undefinedChain,
  undefinedSet,
  setExistsOnRerun,
  setOptionIgnored,
  managedChainEdited,
  duplicateChain,
  commandFails,
  failureStopsScript,
  bashSyntaxInSh,
  tableNotFlushed,
  ruleLeftAfterDown,
  ruleLeftAfterReload,
  addressFamilyMismatch,
  hostnameResolvedOnce,
  dnatWithoutForwardAccept,
  dnatBypassesBlock,
  dnatToLoopback,
  dnatAnyDestination,
  dnatWithoutHairpin,
  redirectWithoutInputAccept,
  masqueradeWithoutForwardAccept,
  masqueradeHidesClients,
  missingMasquerade,
  lanReachableFromWan,
  missingIpForward,
  missingEstablishedRule,
  untrackedTrafficDropped,
  untrackedSkipsNat,
  missingNdpAccept,
  missingLoopbackAccept,
  missingDnsAccept,
  ipv6LeftOpen,
  acceptsEveryConnection,
  unreachableRule,
  shadowedRule,
  redundantRule,
  ineffectiveLimit,
  limitThrottlesConnections,
  mssClampAfterAccept,
  logWithoutLimit,
  recentListNeverSet,
  hashlimitSettingsIgnored,
  undefinedRateEstimator,
  rateEstimatorRedefined,
  idletimerAlarmMismatch,
  unusedChain,
  chainLoop,
  sshLockoutRisk,
  sourcePortAccept,
  exposedService,
  restoreResetsPolicy,
  deprecatedStateMatch,
  obsoleteExtension,
  analysisSkipped,
];

export function getRule(code: string): LintRule | undefined {
  return rules.find((r) => r.code === code);
}
