// Dragging grid cells onto the sidebar's baskets (HTML5 drag events, inside the window): the drag carries
// its record refs as JSON under our own type, so nothing else on the page or outside takes it.
import { DRAG_TYPE } from "./curation.svelte";
import type { RecordRef } from "./bindings/RecordRef";

/** A cell's dragstart: the records it carries (nothing to carry: the drag does not start). */
export function startDrag(event: DragEvent, records: RecordRef[]) {
  if (!event.dataTransfer || records.length === 0) {
    event.preventDefault();
    return;
  }
  event.dataTransfer.setData(DRAG_TYPE, JSON.stringify(records));
  event.dataTransfer.effectAllowed = "copy";
}

/** The drag over a target carries grid cells (their data itself is readable on drop only). */
export function carriesRecords(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes(DRAG_TYPE);
}

/** The records of a drop, as the drag's JSON (see CurationState.drop). */
export function droppedData(event: DragEvent): string {
  return event.dataTransfer?.getData(DRAG_TYPE) ?? "";
}
