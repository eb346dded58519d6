// How server values are shown to people. Everything returns plain text for text nodes.

/** `https://dam.example.org/` → `dam.example.org` (port kept when not the default). */
export function hostOf(server: string): string {
  try {
    return new URL(server).host || server;
  } catch {
    return server;
  }
}
