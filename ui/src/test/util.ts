// Small tools every kind of test uses.

/** Lets pending promise callbacks (and Svelte's effects) run. */
export const settle = () => new Promise((r) => setTimeout(r, 0));

/** A promise the test settles when it wants: answers can then arrive in any order. */
export function later<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** The first element matching `selector` in the document, or null. */
export const $ = (selector: string) => document.querySelector(selector) as HTMLElement | null;
