// Types of lint-rtl.mjs for the tests that import it.
export const EXCEPTION: string;
/** Each unmarked physical side in a stylesheet's text, by line. */
export function physicalSides(css: string): { line: number; text: string }[];
/** The .css files and components' <style> blocks under `dir`, paths relative to `base`. */
export function stylesheets(dir: string, base?: string): { file: string; css: string }[];
/** `file:line: declaration` for every unmarked physical side under the given folders. */
export function lintStyles(dirs: string[], base?: string): string[];
/** The ui/ folder. */
export const uiRoot: string;
/** Runs the script as a command in `cwd` (default: ui/). */
export function runAsCommand(args: string[], cwd?: string): { status: number | null; stdout: string; stderr: string };
