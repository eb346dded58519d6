import { describe, expect, it, vi } from "vitest";
import { render, screen, fireEvent, within } from "@testing-library/svelte";
import AppGuide from "./AppGuide.svelte";
import { languages } from "../lib/i18n";

const en = languages.en;
const fr = languages.fr;
const de = languages.de;
const ar = languages.ar;

const button = (name: string) => screen.getByRole("button", { name }) as HTMLButtonElement;
/** The step headings as read out: without the number drawn in front (aria-hidden). */
const stepHeadings = () =>
  screen.getAllByRole("heading", { level: 3 }).map((h) =>
    Array.from(h.childNodes)
      .filter((n) => !(n instanceof Element && n.getAttribute("aria-hidden") === "true"))
      .map((n) => n.textContent)
      .join("")
      .trim(),
  );

/** Walks every key of a table entry, so nested objects and step arrays are compared shape for shape. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]).sort(([a], [b]) => String(a).localeCompare(String(b))));
  }
  return typeof value;
}

describe("AppGuide", () => {
  it("starts at step 1 of 5, in English", () => {
    render(AppGuide);
    expect(screen.getByRole("heading", { level: 2, name: "Register this app in your Phraseanet" })).toBeTruthy();
    expect(screen.getByText("Step 1 of 5")).toBeTruthy();
    expect(stepHeadings()).toEqual(["Open the Developer tab"]);
    const steps = within(screen.getByRole("navigation", { name: "Steps" })).getAllByRole("button");
    expect(steps).toHaveLength(5);
    expect(steps.map((b) => b.getAttribute("aria-current"))).toEqual(["step", null, null, null, null]);
    expect(steps[0]!.textContent).toContain("Step 1: Open the Developer tab");
  });

  it("moves with Next and Previous, disabled at either end", async () => {
    render(AppGuide);
    expect(button("Previous").disabled).toBe(true);
    expect(button("Next").disabled).toBe(false);

    await fireEvent.click(button("Next"));
    expect(screen.getByText("Step 2 of 5")).toBeTruthy();
    expect(stepHeadings()).toEqual(["Create a new application"]);
    expect(button("Previous").disabled).toBe(false);

    for (let i = 0; i < 3; i++) await fireEvent.click(button("Next"));
    expect(screen.getByText("Step 5 of 5")).toBeTruthy();
    expect(stepHeadings()).toEqual(["The developer token and the password grant"]);
    expect(button("Next").disabled).toBe(true);
    // A further click changes nothing.
    await fireEvent.click(button("Next"));
    expect(screen.getByText("Step 5 of 5")).toBeTruthy();

    await fireEvent.click(button("Previous"));
    expect(screen.getByText("Step 4 of 5")).toBeTruthy();
    expect(button("Next").disabled).toBe(false);
  });

  it("keeps the focus on a button when the one pressed becomes disabled", async () => {
    render(AppGuide);
    for (let i = 0; i < 4; i++) {
      button("Next").focus();
      await fireEvent.click(button("Next"));
    }
    expect(button("Next").disabled).toBe(true);
    await vi.waitFor(() => expect(document.activeElement).toBe(button("Previous")));
  });

  it("jumps to a step from its number, which becomes the current step", async () => {
    render(AppGuide);
    await fireEvent.click(screen.getByRole("button", { name: "Step 4: Copy the Client ID and Client Secret" }));
    expect(screen.getByText("Step 4 of 5")).toBeTruthy();
    const current = screen.getByRole("button", { name: "Step 4: Copy the Client ID and Client Secret" });
    expect(current.getAttribute("aria-current")).toBe("step");
    expect(screen.getByText(/Never disclose the secret/)).toBeTruthy();
    expect(screen.getByText(/system keyring, never on disk/)).toBeTruthy();
  });

  it("shows all five steps at once with the toggle, and back to one", async () => {
    render(AppGuide);
    const toggle = button("Show all steps");
    expect(toggle.getAttribute("aria-pressed")).toBe("false");
    await fireEvent.click(toggle);
    expect(toggle.getAttribute("aria-pressed")).toBe("true");
    expect(stepHeadings()).toEqual(en.guideSteps.map((s) => s.title));
    expect(stepHeadings()).toHaveLength(5);
    expect(screen.queryByRole("button", { name: "Next" })).toBeNull();
    await fireEvent.click(toggle);
    expect(stepHeadings()).toHaveLength(1);
    expect(screen.getByText("Step 1 of 5")).toBeTruthy();
  });

  it("explains both application types: Desktop (urn:ietf:wg:oauth:2.0:oob) and Web (http://127.0.0.1)", async () => {
    const { container } = render(AppGuide);
    await fireEvent.click(button("Next"));
    await fireEvent.click(button("Next"));
    expect(stepHeadings()).toEqual(["Fill in the form and pick the type"]);
    const text = container.querySelector("[data-step='3']")!.textContent!;
    expect(text).toContain("http://127.0.0.1");
    expect(text).toContain("urn:ietf:wg:oauth:2.0:oob");
    expect(text).toContain("Desktop application");
    expect(text).toContain("Web application");
    // It sends people back to the connect form's own choice.
    expect(text).toContain("Type of application you registered");
    expect(en.appKind).toBe("Type of application you registered");
  });

  it("draws Phraseanet's form with the type chosen in the connect form", async () => {
    const desktop = render(AppGuide, { kind: "oauth-oob" });
    await fireEvent.click(button("Step 3: Fill in the form and pick the type"));
    let shot = desktop.container.querySelector("[data-shot='3']")!;
    expect(shot.getAttribute("role")).toBe("img");
    expect(shot.getAttribute("aria-label")).toBe(en.guideSteps[2]!.alt);
    expect(shot.querySelector(".ph-radio.on")!.textContent).toBe("Desktop application");
    expect(shot.textContent).not.toContain("127.0.0.1");
    desktop.unmount();

    const web = render(AppGuide, { kind: "loopback" });
    await fireEvent.click(button("Step 3: Fill in the form and pick the type"));
    shot = web.container.querySelector("[data-shot='3']")!;
    expect(shot.querySelector(".ph-radio.on")!.textContent).toBe("Web application");
    expect(shot.textContent).toContain("Callback url");
    expect(shot.textContent).toContain("127.0.0.1");
    await fireEvent.click(button("Next"));
    expect(web.container.querySelector("[data-shot='4']")!.textContent).toContain("http://127.0.0.1");
  });

  it("renders in French from the French table", async () => {
    render(AppGuide, { strings: fr });
    expect(screen.getByText("Étape 1 sur 5")).toBeTruthy();
    expect(stepHeadings()).toEqual(["Ouvrir l'onglet Développeur"]);
    expect(button("Précédent").disabled).toBe(true);
    await fireEvent.click(button("Afficher toutes les étapes"));
    expect(stepHeadings()).toEqual(fr.guideSteps.map((s) => s.title));
  });

  it("has every guide key in each language, with the same five steps of the same shape", () => {
    const guideKeys = Object.keys(en).filter((k) => k.startsWith("guide"));
    expect(guideKeys.length).toBeGreaterThan(5);
    expect(en.guideSteps).toHaveLength(5);
    for (const [lang, table] of Object.entries({ fr, de, ar })) {
      for (const key of guideKeys) expect(table, `${lang} ${key}`).toHaveProperty(key);
      expect(table.guideSteps, lang).toHaveLength(5);
      expect(shape(table.guideScreen), lang).toEqual(shape(en.guideScreen));
      expect(table.guideScreen.tabs, lang).toHaveLength(en.guideScreen.tabs.length);
      table.guideSteps.forEach((step, i) => {
        const ref = en.guideSteps[i]!;
        expect(Object.keys(step).sort(), `${lang} step ${i + 1}`).toEqual(Object.keys(ref).sort());
        expect(step.body.length, `${lang} step ${i + 1} blocks`).toBe(ref.body.length);
        expect(step.note?.kind, `${lang} step ${i + 1} note`).toBe(ref.note?.kind);
        step.body.forEach((block, j) => expect(Array.isArray(block), `${lang} step ${i + 1} block ${j + 1}`).toBe(Array.isArray(ref.body[j])));
      });
    }
    // Every table carries the two redirect addresses in the type step.
    for (const table of [en, fr, de, ar]) {
      const words = JSON.stringify(table.guideSteps[2]);
      expect(words).toContain("http://127.0.0.1");
      expect(words).toContain("urn:ietf:wg:oauth:2.0:oob");
    }
  });

  it("renders in Arabic from the Arabic table, codes and Phraseanet's English labels kept as they are", async () => {
    const { container } = render(AppGuide, { strings: ar });
    expect(screen.getByRole("button", { name: ar.guideNext })).toBeTruthy();
    await fireEvent.click(button(ar.guideShowAll));
    const text = container.textContent ?? "";
    expect(text).toContain(ar.guideSteps[3]!.title);
    expect(text).toContain("Client ID");
    expect(text).toContain("https://dam.example.org/api/oauthv2/authorize");
  });

  it("shows no server content and no markup from its strings", () => {
    const { container } = render(AppGuide);
    expect(container.querySelector("img, iframe, script, a[href]")).toBeNull();
  });
});
