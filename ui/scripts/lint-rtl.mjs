#!/usr/bin/env node
// Right to left (Arabic) comes from the stylesheets saying "start" and "end": margin-inline-start,
// padding-inline-end, inset-inline-start, border-inline-end, text-align: start… Finds, in every .css file
// and every component's <style> block, a physical left or right side. Where the meaning is truly
// physical (centring with left: 50%, a picture moved in screen pixels), the line says so with a
// `/* physical: why */` comment and is left alone.
// Usage: node ui/scripts/lint-rtl.mjs [folder]…  (default: ui/src). Prints `file:line: …` for each
// finding and exits 1 when there is one.
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { lintCommand, uiRoot } from "./lint-command.mjs";

/** A declaration that names a physical side. */
const PHYSICAL =
  /\b(?:margin|padding|border|scroll-margin|scroll-padding)-(?:left|right)\b|(?<![\w-])(?:left|right)\s*:|\btext-align\s*:\s*(?:left|right)\b|\b(?:float|clear)\s*:\s*(?:left|right)\b|\bborder-(?:top|bottom)-(?:left|right)-radius\b/;

/** The mark of a line whose side is truly physical. */
export const EXCEPTION = "/* physical:";

/** `line: declaration` for each physical side in `css` that is not marked; comments are no code. */
export function physicalSides(css) {
  // Comments hold words like "left:" too: blanked out, newlines kept, before looking.
  const bare = css.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " ")).split("\n");
  const lines = css.split("\n");
  return bare.flatMap((line, i) =>
    PHYSICAL.test(line) && !lines[i].includes(EXCEPTION) ? [{ line: i + 1, text: line.trim() }] : [],
  );
}

function files(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.name === "node_modules" ? [] : e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Every stylesheet under `dir`: the .css files and the components' <style> blocks, as
 *  `{ file, css }` with `file` relative to `base`; a block keeps the file's line numbers. */
export function stylesheets(dir, base = process.cwd()) {
  return files(dir).flatMap((path) => {
    const file = relative(base, path);
    if (path.endsWith(".css")) return [{ file, css: readFileSync(path, "utf8") }];
    if (!path.endsWith(".svelte")) return [];
    const text = readFileSync(path, "utf8");
    return [...text.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/g)].map((m) => ({
      file,
      css: text.slice(0, m.index).replace(/[^\n]/g, "") + m[1],
    }));
  });
}

/** `file:line: declaration` for every unmarked physical side under the given folders. */
export function lintStyles(dirs, base = process.cwd()) {
  return dirs.flatMap((dir) =>
    stylesheets(dir, base).flatMap(({ file, css }) => physicalSides(css).map((f) => `${file}:${f.line}: ${f.text}`)),
  );
}

export { uiRoot };

const command = lintCommand(import.meta.url, (paths) => lintStyles(paths, uiRoot), (n) => `${n} physical side(s): use the logical property (…-inline-start/end), or mark the line ${EXCEPTION} why */.`);

/** Runs this script as a command, the way people and CI do (for its tests). */
export const runAsCommand = command.runAsCommand;

command.runIfMain();
