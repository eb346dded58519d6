import { describe, expect, it } from "vitest";
import { lintPaths, lintSource, runAsCommand, uiRoot } from "../../../scripts/lint-strings.mjs";

// Every component and screen is linted, with no exception.
const ALL = [`${uiRoot}/src`];

describe("lint-strings", () => {
  it("finds no hard-coded UI string in any component or screen", () => {
    expect(lintPaths(ALL, uiRoot)).toEqual([]);
  });

  it("finds text nodes and read attributes with words, at their line", () => {
    const source = [
      '<script lang="ts">const a = "Not markup";</script>',
      "<p>{t.ok} Hello</p>",
      '<button title="Close it" aria-label={t.close}>✕</button>',
      '<input placeholder="Type {t.what}" alt="" />',
      "<img alt=photo />",
      "<!-- A comment: not shown -->",
      "<style>p { content: 'Styles'; }</style>",
      '<p>{ok ? "Not saved yet" : t.saved}</p>',
      "<a title={x ? `Open ${name} now` : t.y}>{t.z}</a>",
    ].join("\n");
    expect(lintSource(source)).toEqual([
      { line: 2, message: 'hard-coded text "Hello"' },
      { line: 3, message: 'literal title= "Close it"' },
      { line: 4, message: 'literal placeholder= "Type"' },
      { line: 5, message: 'literal alt= "photo"' },
      { line: 8, message: 'hard-coded string in an expression "Not saved yet"' },
      { line: 9, message: 'hard-coded string in an expression "Open now"' },
    ]);
  });

  it("leaves expressions, symbols, entities and the product's name alone", () => {
    const source = [
      "{#if a > b}<span>{`text ${x}`}</span>{:else}<b>{'}'} · ✕ &nbsp; 3/4</b>{/if}",
      '<button onclick={() => (x = { y: "}" })} class="link">{t.x}</button>',
      "<span>Phraseanet</span> <em>Phraseanet Desktop</em>",
      '<div data-label="Words are fine here" class="big words"></div>',
      // Single words in expressions are key names and values; selectors and comments are no text.
      '<b onkeydown={(e) => e.key === "Escape" && go("#grid .cell")}>{kind === "story" ? t.a : t.b}</b>',
      "<i>{/* a comment with words */ t.k} {x // the viewer's keys\n}</i>",
    ].join("\n");
    expect(lintSource(source)).toEqual([]);
  });

  it("runs as a command: nothing and exit 0 when clean; file:line for each finding and exit 1", () => {
    const clean = ["src/screens/Connect.svelte", "src/components/viewer"];
    expect(runAsCommand(clean)).toMatchObject({ status: 0, stdout: "" });
    const dirty = runAsCommand([...clean, "scripts/fixtures/hard-coded.svelte"]);
    expect(dirty.status).toBe(1);
    expect(dirty.stdout).toBe('scripts/fixtures/hard-coded.svelte:2: hard-coded text "Not translated"\n');
  });
});
