// Types of lint-strings.mjs for the tests that import it.
export type Finding = { line: number; message: string };
/** Findings in one component's source. */
export function lintSource(source: string): Finding[];
/** `file:line: message` for every finding in the given .svelte files and folders. */
export function lintPaths(paths: string[], base?: string): string[];
/** The ui/ folder. */
export const uiRoot: string;
/** Runs the script as a command in `cwd` (default: ui/). */
export function runAsCommand(args: string[], cwd?: string): { status: number | null; stdout: string; stderr: string };
