// What the lint scripts share: run as a command (the way people and CI do) over the given paths or
// ui/src, print each finding, exit 1 with a one-line advice when there is one; and a way for their
// tests to run them that way.
import { resolve, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";

/** The ui/ folder, which paths are printed relative to by default. */
export const uiRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The command of the lint script at `scriptUrl` (its `import.meta.url`): `lint(paths)` gives the
 * findings, `advice(count)` the line that ends a run with findings. */
export function lintCommand(scriptUrl, lint, advice) {
  const script = fileURLToPath(scriptUrl);
  return {
    /** Runs the script as a command in `cwd` (for its tests). */
    runAsCommand(args, cwd = uiRoot) {
      const run = spawnSync(process.execPath, [script, ...args], { cwd, encoding: "utf8" });
      return { status: run.status, stdout: run.stdout, stderr: run.stderr };
    },
    /** When the script is the program node runs: lint the arguments (or ui/src) and exit. */
    runIfMain() {
      if (!process.argv[1] || resolve(process.argv[1]) !== script) return;
      const args = process.argv.slice(2);
      const findings = lint(args.length ? args.map((a) => resolve(a)) : [join(uiRoot, "src")]);
      for (const line of findings) console.log(line);
      if (findings.length) {
        console.error(advice(findings.length));
        process.exit(1);
      }
    },
  };
}
