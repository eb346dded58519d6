// Without a locale given, a tile's extension follows the window's language (locale.ts), whatever the
// system's is: here a window in Turkish-like casing rules.
import { describe, expect, it, vi } from "vitest";

vi.mock("./i18n/locale", async (actual) => ({ ...(await actual<typeof import("./i18n/locale")>()), currentLocale: () => "tr-TR" }));

import { tileBadges } from "./tiles";
import { cell } from "../test/fixtures";

describe("tile badges in the window's locale", () => {
  it("upper-cases the extension by the window's casing rules", () => {
    expect(tileBadges(cell(1, { kind: "unknown", extension: "zip" })).extension).toBe("Z\u0130P");
  });
});
