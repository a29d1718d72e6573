/** What a value checker reports. */
export interface ValueProblem {
  /** What is wrong and what would be right, in one or two sentences. */
  message: string;
  /** A replacement for the whole value that is probably meant (did-you-mean). */
  suggestion?: string;
  /**
   * `error` (the default when absent): iptables refuses the value. `warning`: iptables
   * accepts it, but it does not do what it seems to (truncated text, a rule that can never
   * match, an address read differently than written).
   */
  severity?: 'error' | 'warning';
}

export const error = (message: string, suggestion?: string): ValueProblem => (suggestion === undefined ? { message } : { message, suggestion });
export const warning = (message: string, suggestion?: string): ValueProblem => (suggestion === undefined ? { message, severity: 'warning' } : { message, suggestion, severity: 'warning' });
/** Wraps a message-or-undefined from the simpler checkers. */
export const asError = (message: string | undefined): ValueProblem | undefined => (message === undefined ? undefined : { message });
