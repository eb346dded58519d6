// Which screen shows, and for which profile. One small state machine for the whole window.
import type { ProfileSummary } from "./bindings/ProfileSummary";
import type { DemoServer } from "./bindings/DemoServer";
import type { Account } from "./bindings/Account";

export type Screen =
  | { name: "loading" }
  | { name: "welcome" }
  | { name: "connect"; demo?: DemoServer | null }
  | { name: "sign-in"; profile: string; demo: DemoServer | null }
  | { name: "main"; account: Account }
  | { name: "doctor"; target: DoctorTarget; back: Screen };

/** What the connection doctor checks: a saved profile, or what the connect form holds. */
export type DoctorTarget = { profile?: string; server?: string; clientId?: string };

/** The re-sign-in dialog: after the server rejected the token, or (`expiresAt`, ms) shortly before a
 *  token the server said expires. */
export type Reauth = { profile: ProfileSummary; message: string; expiresAt?: number };

class AppState {
  screen = $state<Screen>({ name: "loading" });
  profiles = $state<ProfileSummary[]>([]);
  active = $state<string | null>(null);
  /** Set when the server rejected a profile's token: the re-sign-in dialog shows. */
  reauth = $state<Reauth | null>(null);
  /** Why the OS keyring is not used (secrets then last for this session only). */
  keyringProblem = $state<import("./errors").Problem | null>(null);

  profile(name: string): ProfileSummary | undefined {
    return this.profiles.find((p) => p.name === name);
  }

  /** Adds the profile, or replaces the one with its name (the backend's answer is the truth). */
  upsertProfile(profile: ProfileSummary): void {
    this.profiles = [...this.profiles.filter((p) => p.name !== profile.name), profile];
  }
}

export const app = new AppState();

/** How long before a token's announced expiry the app asks for a new sign-in. */
export const RENEW_BEFORE_MS = 2 * 60 * 1000;
/** setTimeout's longest delay (about 24.8 days); longer waits are re-armed. */
const MAX_DELAY = 2 ** 31 - 1;
let expiryTimer: ReturnType<typeof setTimeout> | null = null;

/** Arms the re-sign-in dialog for the shown account's token, if the server gave it an expiry
 *  (Phraseanet does not today); `null` disarms it. */
export function watchExpiry(account: Account | null): void {
  if (expiryTimer) clearTimeout(expiryTimer);
  expiryTimer = null;
  const expires = account?.profile.token_expires_at;
  if (!account || expires === null || expires === undefined) return;
  const expiresAt = Number(expires) * 1000;
  const wait = expiresAt - RENEW_BEFORE_MS - Date.now();
  expiryTimer = setTimeout(
    () => {
      if (wait > MAX_DELAY) return watchExpiry(account);
      app.reauth = { profile: account.profile, message: "", expiresAt };
    },
    Math.min(Math.max(0, wait), MAX_DELAY),
  );
}

/** The server rejected a profile's token (or its session already ended): the re-sign-in dialog, once.
 *  A rejected token often fails several calls at once (the basket list, then the basket it reloads),
 *  and the person may already be on that profile's sign-in screen. */
export function sessionEnded(profile: string, problem: { message: string }): void {
  const summary = app.profile(profile);
  if (!summary) return;
  summary.signed_in = false;
  const signingIn = app.screen.name === "sign-in" && app.screen.profile === profile;
  if (!signingIn && app.reauth?.profile.name !== profile) app.reauth = { profile: summary, message: problem.message };
}
