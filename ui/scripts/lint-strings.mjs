#!/usr/bin/env node
// No UI string hard-coded in a component: every word people read goes through ui/src/lib/i18n.ts, so
// every language has it. Finds, in the markup of .svelte files (never in <script> or <style>):
//   - text nodes with letters outside `{…}`,
//   - literal title= / aria-label= / placeholder= / alt= values with letters outside `{…}`,
//   - words in JS strings inside markup expressions (`{ok ? "Not saved" : t.saved}`): two words or more,
//     since single words there are mostly key names and values ("Escape", "story"), not text.
// Usage: node ui/scripts/lint-strings.mjs [file.svelte | folder]…  (default: ui/src). Prints
// `file:line: …` for each finding and exits 1 when there is one.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { lintCommand, uiRoot } from "./lint-command.mjs";

/** Attributes people read (tooltips, screen readers, empty fields, pictures). */
const READ_ATTRIBUTES = new Set(["title", "aria-label", "placeholder", "alt", "aria-description", "aria-placeholder"]);

/** Text that is the same in every language. Keep it short: anything else belongs in i18n.ts. */
const ALLOWED = new Set([
  "Phraseanet", // the product's name, never translated
  "Phraseanet Desktop",
]);

const LETTER = /\p{L}/u;
// `&nbsp;`, `&times;`… are symbols, not words.
const ENTITY = /&(?:[a-z]+|#\d+|#x[0-9a-f]+);/gi;

/** Whether a piece of literal markup text would be read as words. */
function hasWords(text) {
  const bare = text.replace(ENTITY, " ").trim().replace(/\s+/g, " ");
  return bare !== "" && LETTER.test(bare) && !ALLOWED.has(bare);
}

/** Blanks out a region but keeps its newlines, so line numbers stay right. */
function blank(text) {
  return text.replace(/[^\n]/g, " ");
}

/** The index just after the `}` closing the expression opened at `start` (which is `{`). Skips JS
 *  strings and template literals, whose braces do not count. */
function skipExpression(src, start) {
  let depth = 0;
  for (let i = start; i < src.length; i++) {
    const c = src[i];
    if (c === "{") depth++;
    else if (c === "}") {
      depth--;
      if (depth === 0) return i + 1;
    } else if (c === '"' || c === "'") {
      i = skipQuoted(src, i);
    } else if (c === "`") {
      i = skipTemplate(src, i);
    }
  }
  return src.length;
}

function skipQuoted(src, start) {
  const quote = src[start];
  for (let i = start + 1; i < src.length; i++) {
    if (src[i] === "\\") i++;
    else if (src[i] === quote || src[i] === "\n") return i;
  }
  return src.length;
}

function skipTemplate(src, start) {
  for (let i = start + 1; i < src.length; i++) {
    if (src[i] === "\\") i++;
    else if (src[i] === "`") return i;
    else if (src[i] === "$" && src[i + 1] === "{") i = skipExpression(src, i + 1) - 1;
  }
  return src.length;
}

/** The literal parts of an attribute value, `{…}` removed. */
function literalParts(value) {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    if (value[i] === "{") i = skipExpression(value, i) - 1;
    else out += value[i];
  }
  return out;
}

/** Two words of letters apart: a sentence, not a key name, a CSS selector or a value. */
const SENTENCE = /\p{L}{2,}\s+\p{L}{2,}/u;

/** The literal strings (and template literals' fixed parts) of a JS expression, comments skipped:
 *  `{ text, at }`, `at` the index in `expr`. */
function stringsIn(expr) {
  const out = [];
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === "/" && expr[i + 1] === "/") {
      const end = expr.indexOf("\n", i);
      i = end < 0 ? expr.length : end;
    } else if (c === "/" && expr[i + 1] === "*") {
      const end = expr.indexOf("*/", i + 2);
      i = end < 0 ? expr.length : end + 1;
    } else if (c === '"' || c === "'") {
      const end = skipQuoted(expr, i);
      out.push({ text: expr.slice(i + 1, end), at: i });
      i = end;
    } else if (c === "`") {
      let text = "";
      let j = i + 1;
      for (; j < expr.length && expr[j] !== "`"; j++) {
        if (expr[j] === "\\") text += expr[++j] ?? "";
        else if (expr[j] === "$" && expr[j + 1] === "{") {
          const end = skipExpression(expr, j + 1);
          for (const inner of stringsIn(expr.slice(j + 2, end - 1))) out.push({ text: inner.text, at: j + 2 + inner.at });
          text += " "; // an interpolation separates words
          j = end - 1;
        } else text += expr[j];
      }
      out.push({ text, at: i });
      i = j;
    }
  }
  return out;
}

/** Reports the sentences hard-coded in the expression `{…}` that starts at `start` in `src`. */
function lintExpression(src, start, end, report) {
  for (const { text, at } of stringsIn(src.slice(start + 1, end - 1))) {
    if (SENTENCE.test(text) && !ALLOWED.has(text.trim())) report(start + 1 + at, "hard-coded string in an expression", text);
  }
}

/** Findings in one component's source: `{ line, message }`, in order. */
export function lintSource(source) {
  // Scripts, styles and comments hold no markup text.
  const src = source
    .replace(/<script\b[\s\S]*?<\/script>/g, blank)
    .replace(/<style\b[\s\S]*?<\/style>/g, blank)
    .replace(/<!--[\s\S]*?-->/g, blank);
  const findings = [];
  const lineAt = (index) => src.slice(0, index).split("\n").length;
  const report = (index, kind, text) =>
    findings.push({ line: lineAt(index), message: `${kind} "${text.trim().replace(/\s+/g, " ")}"` });

  let textStart = 0;
  let text = "";
  const flushText = () => {
    if (hasWords(text)) report(textStart + (text.length - text.trimStart().length), "hard-coded text", text);
    text = "";
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === "{") {
      flushText();
      const end = skipExpression(src, i);
      lintExpression(src, i, end, report);
      i = end;
      textStart = i;
    } else if (c === "<" && /[A-Za-z/!]/.test(src[i + 1] ?? "")) {
      flushText();
      i = readTag(src, i, report);
      textStart = i;
    } else {
      if (text === "") textStart = i;
      text += c;
      i++;
    }
  }
  flushText();
  return findings;
}

/** Reads the tag opened at `start`, reporting read attributes with literal words; returns the index
 *  after its `>`. */
function readTag(src, start, report) {
  let i = start + 1;
  while (i < src.length && src[i] !== ">") {
    const c = src[i];
    if (c === "{") {
      const end = skipExpression(src, i);
      lintExpression(src, i, end, report);
      i = end;
      continue;
    }
    const attribute = /^([A-Za-z_:][\w:.|-]*)\s*=\s*/.exec(src.slice(i, i + 200));
    if (attribute && /[\s/<]/.test(src[i - 1] ?? " ")) {
      const name = attribute[1].toLowerCase();
      let j = i + attribute[0].length;
      let value = "";
      const quote = src[j];
      if (quote === '"' || quote === "'") {
        let k = j + 1;
        while (k < src.length && src[k] !== quote) {
          if (src[k] === "{") {
            const end = skipExpression(src, k);
            lintExpression(src, k, end, report);
            value += src.slice(k, end);
            k = end;
          } else value += src[k++];
        }
        j = k + 1;
      } else if (src[j] === "{") {
        const end = skipExpression(src, j); // an expression: its words go through t.
        lintExpression(src, j, end, report);
        j = end;
      } else {
        while (j < src.length && !/[\s>]/.test(src[j])) value += src[j++];
      }
      if (READ_ATTRIBUTES.has(name) && hasWords(literalParts(value))) {
        report(i, `literal ${name}=`, literalParts(value));
      }
      i = j;
      continue;
    }
    if (c === '"' || c === "'") {
      i = skipQuoted(src, i) + 1;
      continue;
    }
    i++;
  }
  return i + 1;
}

function svelteFiles(path) {
  if (statSync(path).isFile()) return path.endsWith(".svelte") ? [path] : [];
  return readdirSync(path)
    .sort()
    .flatMap((name) => (name === "node_modules" ? [] : svelteFiles(join(path, name))));
}

/** Findings in the given files and folders: `file:line: message` lines, paths relative to `base`. */
export function lintPaths(paths, base = process.cwd()) {
  return paths
    .flatMap((path) => svelteFiles(path))
    .flatMap((file) =>
      lintSource(readFileSync(file, "utf8")).map((f) => `${relative(base, file)}:${f.line}: ${f.message}`),
    );
}

export { uiRoot };

const command = lintCommand(import.meta.url, (paths) => lintPaths(paths), (n) => `${n} hard-coded UI string(s): move them to ui/src/lib/i18n.ts (t.someKey).`);

/** Runs this script as a command, the way people and CI do (for its tests). */
export const runAsCommand = command.runAsCommand;

command.runIfMain();
