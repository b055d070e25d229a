/**
 * Splits a search snippet into plain and highlighted segments.
 *
 * The backend marks each match between U+E000 and U+E001. Components render the
 * segments as text nodes (and `<mark>`), never as HTML, so a snippet cannot inject
 * markup whatever the document contained.
 */
import { MATCH_END, MATCH_START } from './api';

export interface Segment {
  text: string;
  match: boolean;
}

export function splitSnippet(snippet: string): Segment[] {
  const segments: Segment[] = [];
  let inMatch = false;
  let current = '';
  const flush = () => {
    if (current) segments.push({ text: current, match: inMatch });
    current = '';
  };
  for (const char of snippet) {
    if (char === MATCH_START) {
      flush();
      inMatch = true;
    } else if (char === MATCH_END) {
      flush();
      inMatch = false;
    } else {
      current += char;
    }
  }
  flush();
  return segments;
}
