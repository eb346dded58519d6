import { describe, expect, it } from "vitest";
import { render } from "@testing-library/svelte";
import RecordPanel from "./RecordPanel.svelte";
import * as fixtures from "../test/fixtures";
import { pwned } from "../test/fixtures";

const hostile = `${fixtures.hostile}<script>window.__pwned=1</script>`;

const details = fixtures.details(7, {
  title: hostile,
  original_name: "..\\..\\evil.jpg",
  created_on: "2025-01-02T10:00:00+01:00",
  base_id: 3,
  collection_id: 2,
  caption: [{ name: "Title", value: hostile }, { name: "Empty", value: null }],
  technical: [{ name: "Width", value: 6000 }],
  status: [{ bit: 4, state: true, label: "Validated", on_label: "Validated", off_label: "Pending" }],
  subdefs: [{ name: "preview", width: 800, height: 533, filesize: 91230, mime: "image/jpeg", player_type: "IMAGE", plays: "image", path: "sub/1/7/preview", permalink: null }],
});

describe("RecordPanel", () => {
  it("shows server text as text: no markup from a caption ever becomes an element", () => {
    const { container } = render(RecordPanel, {
      details, problem: null, onclose: () => {}, onview: () => {}, ondownload: () => {}, oncopy: () => {},
    });
    expect(container.querySelector("#record-title")?.textContent).toBe(hostile);
    expect(container.querySelector("#caption dd")?.textContent).toBe(hostile);
    expect(container.querySelector("img, script")).toBeNull();
    expect(pwned()).toBeUndefined();
    expect(container.querySelector("#status")?.textContent).toContain("Validated");
    expect(container.querySelector("#subdefs")?.textContent).toContain("800×533");
    expect(container.querySelector("#subdefs")?.textContent).toContain("91 kB");
  });
});
