import { describe, expect, it } from "vitest";
import { clock, ownVote, tileBadges, wantsPreview } from "./tiles";
import { cell } from "../test/fixtures";
import type { GridItem } from "./bindings/GridItem";

describe("tile badges", () => {
  it("writes lengths as a player does", () => {
    expect(clock(0)).toBe("0:00");
    expect(clock(7)).toBe("0:07");
    expect(clock(205.4)).toBe("3:25");
    expect(clock(3723)).toBe("1:02:03");
  });

  it("says nothing on a photo", () => {
    expect(tileBadges(cell(1, { kind: "image", extension: "jpg" }))).toEqual({
      kind: null, duration: null, pages: null, extension: null,
    });
  });

  it("names the kind of everything else, with its length, pages and extension", () => {
    expect(tileBadges(cell(1, { kind: "video", duration: 125, extension: "mp4" }))).toEqual({
      kind: "Video", duration: "2:05", pages: null, extension: "MP4",
    });
    expect(tileBadges(cell(2, { kind: "audio", duration: 59.6, extension: "wav" }))).toMatchObject({
      kind: "Audio", duration: "1:00", extension: "WAV",
    });
    expect(tileBadges(cell(3, { kind: "document", pages: 12, extension: "pdf" }))).toEqual({
      kind: "Document", duration: null, pages: "12 pages", extension: "PDF",
    });
    expect(tileBadges(cell(4, { kind: "document", pages: 1 })).pages).toBe("1 page");
    expect(tileBadges(cell(5, { kind: "unknown", extension: "zip" }))).toMatchObject({ kind: "File", extension: "ZIP" });
    expect(tileBadges(cell(6, { kind: "story" }))).toMatchObject({ kind: "Story", extension: null });
  });

  it("shows no length nor pages it does not know, and no length on a document", () => {
    expect(tileBadges(cell(1, { kind: "video", duration: null })).duration).toBeNull();
    expect(tileBadges(cell(1, { kind: "video", duration: 0 })).duration).toBeNull();
    expect(tileBadges(cell(1, { kind: "document", duration: 30 })).duration).toBeNull();
    expect(tileBadges(cell(1, { kind: "document", pages: null })).pages).toBeNull();
  });

  it("reads a cell from an older saved copy, without the new fields, as unknown", () => {
    const { duration: _d, pages: _p, extension: _e, ...old } = cell(1, { kind: "video" });
    expect(tileBadges(old as GridItem)).toEqual({ kind: "Video", duration: null, pages: null, extension: null });
  });

  it("keeps an extension from the server to a few letters and digits", () => {
    expect(tileBadges(cell(1, { kind: "document", extension: "<b>x</b>" })).extension).toBe("BXB");
    expect(tileBadges(cell(1, { kind: "document", extension: "verylongext" })).extension).toBe("VERYL");
    expect(tileBadges(cell(1, { kind: "document", extension: "..." })).extension).toBeNull();
  });

  it("cases the extension by the window's language, not the system's", () => {
    const zip = cell(1, { kind: "unknown", extension: "zip" });
    expect(tileBadges(zip, "tr").extension).toBe("Z\u0130P");
    expect(tileBadges(zip, "en").extension).toBe("ZIP");
    expect(tileBadges(zip, "ar-u-nu-latn").extension).toBe("ZIP");
  });
});

describe("the vote mark", () => {
  it("shows only the user's own vote, its tooltip with the tally", () => {
    expect(ownVote(cell(1))).toBeNull();
    expect(ownVote(cell(1, { vote: { agreement: null, yes: 0, no: 0 } }))).toBeNull();
    expect(ownVote(cell(1, { vote: { agreement: null, yes: 3, no: 1 } }))).toBeNull();
    expect(ownVote(cell(1, { vote: { agreement: true, yes: 3, no: 1 } }))).toEqual({
      agreed: true, mark: "✓", title: "Your vote: yes (all votes so far: 3 yes, 1 no)",
    });
    expect(ownVote(cell(1, { vote: { agreement: false, yes: 0, no: 1 } }))).toMatchObject({ agreed: false, mark: "✗" });
  });
});

describe("the preview", () => {
  const photo = cell(1, { kind: "image", thumb: { w: 240, h: 160 } });

  it("loads once a tile is drawn bigger than its thumbnail, for images only", () => {
    expect(wantsPreview(photo, 240, 160)).toBe(false);
    expect(wantsPreview(photo, 270, 180)).toBe(false);
    expect(wantsPreview(photo, 480, 320)).toBe(true);
    expect(wantsPreview({ ...photo, kind: "video" }, 480, 320)).toBe(false);
    expect(wantsPreview({ ...photo, thumb: null }, 480, 320)).toBe(false);
  });
});
