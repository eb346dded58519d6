// Runs before every test file (vite.config.ts, `test.setupFiles`).

// jsdom has no ResizeObserver (Svelte's bind:clientWidth uses one) and no layout: sizes stay 0 and
// nothing resizes, which is all the components need here.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;
export {};
