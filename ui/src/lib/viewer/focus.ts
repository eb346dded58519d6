// Where the focus goes when an overlay of the grid closes.

/** After the viewer closed: the grid cell of the record it showed takes the focus (the grid then
 * answers the arrow keys at once), else the grid itself, else `fallback`. */
export function focusGridCell(index: number | null, fallback?: string) {
  // After the closing render: the grid's cells are back under the viewer by then.
  setTimeout(() => {
    const cell = index === null ? null : document.querySelector<HTMLElement>(`#grid .cell[data-index="${index}"]`);
    const target = cell ?? document.querySelector<HTMLElement>(fallback ?? "#grid") ?? document.querySelector<HTMLElement>("#grid");
    target?.focus();
  }, 0);
}
