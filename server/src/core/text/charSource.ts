/**
 * A text read a character or a stretch at a time: a string, or a document's text read through
 * the edits made since it was last in one piece (EditedText), which reading it as a string
 * would first copy whole (see FirewallDocument.chars).
 */
export interface CharSource {
  readonly length: number;
  charCodeAt(offset: number): number;
  slice(from: number, to: number): string;
}
