// Full screen through the DOM Fullscreen API; where the engine refuses it, the viewer stays full-window
// (it already covers the window) with its chrome hidden: the caller shows that either way.

/** Asks for the screen; false when the engine refused (no API, no permission, not from a gesture). */
export async function enterFullscreen(): Promise<boolean> {
  try {
    await document.documentElement.requestFullscreen();
    return true;
  } catch {
    return false;
  }
}

export async function exitFullscreen(): Promise<void> {
  try {
    if (document.fullscreenElement) await document.exitFullscreen();
  } catch {
    // Already left (Esc of the engine itself): nothing to undo.
  }
}
