/**
 * Window maths of the virtual document list: which rows are in view and which pages
 * of `documents_list` must be loaded to show them. Rows have one fixed height.
 */

export interface RowWindow {
  /** First rendered row index. */
  start: number;
  /** One past the last rendered row index. */
  end: number;
  /** Pixels between the top of the list and the first rendered row. */
  offset: number;
  /** Height of the whole list in pixels. */
  height: number;
}

export function rowWindow(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  total: number,
  overscan = 5,
): RowWindow {
  const height = total * rowHeight;
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0, offset: 0, height: Math.max(0, height) };
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, height - viewport));
  const first = Math.floor(top / rowHeight);
  const last = Math.ceil((top + Math.max(0, viewport)) / rowHeight);
  const start = Math.max(0, first - overscan);
  const end = Math.min(total, last + overscan);
  return { start, end, offset: start * rowHeight, height };
}

/** Page indexes (of `pageSize` rows) that cover rows `start` to `end - 1`. */
export function pagesFor(start: number, end: number, pageSize: number): number[] {
  if (end <= start || pageSize <= 0) return [];
  const pages: number[] = [];
  for (let page = Math.floor(start / pageSize); page <= Math.floor((end - 1) / pageSize); page++) {
    pages.push(page);
  }
  return pages;
}

/** Scroll position that brings row `index` fully into view, or `null` when it already is. */
export function scrollToRow(index: number, scrollTop: number, viewport: number, rowHeight: number): number | null {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewport) return top + rowHeight - viewport;
  return null;
}
