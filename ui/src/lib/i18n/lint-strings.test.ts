import { describe, expect, it } from "vitest";
import { lintPaths, lintSource, runAsCommand, uiRoot } from "../../../scripts/lint-strings.mjs";

// The components whose strings all go through i18n.ts so far; the lead widens this to every file.
const CLEAN = [
  "components/AppGuide.svelte",
  "components/OtherWays.svelte",
  "components/ReauthDialog.svelte",
  "components/Related.svelte",
  "components/SavedSearches.svelte",
  "components/SearchScope.svelte",
  "components/SearchView.svelte",
  "components/StoryBar.svelte",
  "components/CollectionList.svelte",
  "components/CollectionView.svelte",
  "components/FeedList.svelte",
  "components/FeedView.svelte",
  "components/FacetsPanel.svelte",
  "components/ActiveFilters.svelte",
  "components/KindIcon.svelte",
  "components/OfflineBanner.svelte",
  "components/BasketForm.svelte",
  "components/ConfirmDelete.svelte",
  "components/LanguagePicker.svelte",
  "screens/Connect.svelte",
  "screens/SignIn.svelte",
  "screens/Doctor.svelte",
].map((file) => `${uiRoot}/src/${file}`);

describe("lint-strings", () => {
  it("finds no hard-coded UI string in the components that are done", () => {
    expect(lintPaths(CLEAN, uiRoot)).toEqual([]);
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
    ].join("\n");
    expect(lintSource(source)).toEqual([
      { line: 2, message: 'hard-coded text "Hello"' },
      { line: 3, message: 'literal title= "Close it"' },
      { line: 4, message: 'literal placeholder= "Type"' },
      { line: 5, message: 'literal alt= "photo"' },
    ]);
  });

  it("leaves expressions, symbols, entities and the product's name alone", () => {
    const source = [
      "{#if a > b}<span>{`text ${x}`}</span>{:else}<b>{'}'} · ✕ &nbsp; 3/4</b>{/if}",
      '<button onclick={() => (x = { y: "}" })} class="link">{t.x}</button>',
      "<span>Phraseanet</span> <em>Phraseanet Desktop</em>",
      '<div data-label="Words are fine here" class="big words"></div>',
    ].join("\n");
    expect(lintSource(source)).toEqual([]);
  });

  it("runs as a command: nothing and exit 0 when clean; file:line for each finding and exit 1", () => {
    expect(runAsCommand(CLEAN)).toMatchObject({ status: 0, stdout: "" });
    const dirty = runAsCommand([...CLEAN, "scripts/fixtures/hard-coded.svelte"]);
    expect(dirty.status).toBe(1);
    expect(dirty.stdout).toBe('scripts/fixtures/hard-coded.svelte:2: hard-coded text "Not translated"\n');
  });
});
