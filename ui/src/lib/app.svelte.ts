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

export type Reauth = { profile: ProfileSummary; message: string };

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
