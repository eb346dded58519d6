import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, fireEvent } from "@testing-library/svelte";
import LanguagePicker from "./LanguagePicker.svelte";
import { LANGUAGE_KEY } from "../lib/i18n/locale";

afterEach(() => localStorage.clear());

const picker = () => screen.getByRole("combobox", { name: /Language/ }) as HTMLSelectElement;

describe("LanguagePicker", () => {
  it("offers the system's language and each language named in itself, following the system by default", () => {
    render(LanguagePicker, { reload: vi.fn() });
    const options = Array.from(picker().options);
    // jsdom's system language is en-US.
    expect(options.map((o) => o.textContent)).toEqual(["Same as the system (English)", "English", "Français", "Deutsch", "العربية"]);
    expect(options.map((o) => o.lang)).toEqual(["", "en", "fr", "de", "ar"]);
    expect(picker().value).toBe("");
    expect(picker().id).toBe("language-picker");
  });

  it("shows the language kept", () => {
    localStorage.setItem(LANGUAGE_KEY, "de");
    render(LanguagePicker, { reload: vi.fn() });
    expect(picker().value).toBe("de");
  });

  it("keeps a new choice and reloads the window; the system entry forgets it", async () => {
    const reload = vi.fn();
    render(LanguagePicker, { reload });
    await fireEvent.change(picker(), { target: { value: "ar" } });
    expect(localStorage.getItem(LANGUAGE_KEY)).toBe("ar");
    expect(reload).toHaveBeenCalledOnce();

    await fireEvent.change(picker(), { target: { value: "" } });
    expect(localStorage.getItem(LANGUAGE_KEY)).toBeNull();
    expect(reload).toHaveBeenCalledTimes(2);
  });
});
