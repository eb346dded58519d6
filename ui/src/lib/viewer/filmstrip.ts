// The filmstrip draws only the neighbours of the current record: a 10,000-record basket costs the same.

/** The indexes the strip renders: `radius` either side of `position`, shifted to stay `2 * radius + 1`
 * long near the ends. */
export function stripWindow(position: number, total: number, radius = 12): { first: number; last: number } {
  if (total <= 0) return { first: 0, last: -1 };
  const span = Math.min(total, 2 * radius + 1);
  const first = Math.min(Math.max(0, position - radius), total - span);
  return { first, last: first + span - 1 };
}
