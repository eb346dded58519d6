// The one door from the webview to the Rust backend. Payload types are generated from Rust
// (./bindings). The webview never talks to a Phraseanet server and never holds a token or secret:
// it names profiles, the backend holds the credentials.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { AppInfo } from "./bindings/AppInfo";
import type { AuthMethod } from "./bindings/AuthMethod";
import type { AuthorizeRequest } from "./bindings/AuthorizeRequest";
import type { CodeCheck } from "./bindings/CodeCheck";
import type { DemoServer } from "./bindings/DemoServer";
import type { DoctorReport } from "./bindings/DoctorReport";
import type { NewProfile } from "./bindings/NewProfile";
import type { ProfileSummary } from "./bindings/ProfileSummary";
import type { ProfilesState } from "./bindings/ProfilesState";
import type { ServerInfo } from "./bindings/ServerInfo";
import type { Account } from "./bindings/Account";
import type { BasketSummary } from "./bindings/BasketSummary";
import type { BasketView } from "./bindings/BasketView";
import type { DownloadEvent } from "./bindings/DownloadEvent";
import type { DownloadItem } from "./bindings/DownloadItem";
import type { ElementRef } from "./bindings/ElementRef";
import type { RecordDetails } from "./bindings/RecordDetails";
import type { RecordRef } from "./bindings/RecordRef";
import type { StoryView } from "./bindings/StoryView";
import type { Cached } from "./bindings/Cached";
import type { CachedStart } from "./bindings/CachedStart";
import type { BasketChange } from "./bindings/BasketChange";
import type { CurationSupport } from "./bindings/CurationSupport";
import type { RelatedView } from "./bindings/RelatedView";
import type { SearchLists } from "./bindings/SearchLists";
import type { SearchRequest } from "./bindings/SearchRequest";
import type { SearchPage } from "./bindings/SearchPage";
import type { DataboxView } from "./bindings/DataboxView";
import type { FeedSummary } from "./bindings/FeedSummary";
import type { FeedPage } from "./bindings/FeedPage";
import type { LastView } from "./bindings/LastView";
import type { WebTarget } from "./bindings/WebTarget";
import type { KeepProgress } from "./bindings/KeepProgress";
import type { KeptBasket } from "./bindings/KeptBasket";
import type { DragProgress } from "./bindings/DragProgress";
import type { MenuLabels } from "./shortcuts";
import { toProblem, type Problem } from "./errors";

type SignedOutListener = (profile: string, problem: Problem) => void;
let onSignedOut: SignedOutListener | null = null;

/** Called with the profile whose token the server rejected (revoked or expired). */
export function whenSignedOut(listener: SignedOutListener | null): void {
  onSignedOut = listener;
}

/** Invokes a command; failures reject with a `Problem` ({code, message, hint}). */
async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    const problem = toProblem(raw);
    const profile = typeof args?.profile === "string" ? args.profile : null;
    // `not-signed-in`: the session already ended elsewhere (a media request of the grid met the rejected
    // token first, and media answers do not reach this door); the remedy is the same.
    const ended = problem.code === "signed-out" || problem.code === "not-signed-in";
    if (ended && profile && onSignedOut) onSignedOut(profile, problem);
    throw problem;
  }
}

export const ipc = {
  about: () => call<AppInfo>("about"),
  profiles: () => call<ProfilesState>("profiles"),
  checkServer: (server: string) => call<ServerInfo>("check_server", { server }),
  saveProfile: (profile: NewProfile) => call<ProfileSummary>("save_profile", { profile }),
  removeProfile: (profile: string) => call<ProfilesState>("remove_profile", { profile }),
  startDemo: (method: AuthMethod = "oauth-oob") => call<DemoServer>("start_demo", { method }),
  openSignIn: (profile: string) => call<AuthorizeRequest>("open_sign_in", { profile }),
  /** Opens the browser (`onOpened` gets the page's address) and resolves once the browser came back
   *  to the app's loopback listener. */
  signInLoopback: (profile: string, lang: string, onOpened: (r: AuthorizeRequest) => void = () => {}) =>
    call<Account>("sign_in_loopback", { profile, lang, opened: channel(onOpened) }),
  cancelSignIn: (profile: string) => call<void>("cancel_sign_in", { profile }),
  /** The connection doctor: for a saved profile, or for a server (and client id) not saved yet. */
  doctor: (target: { profile?: string; server?: string; clientId?: string }) =>
    call<DoctorReport>("doctor", {
      profile: target.profile ?? null,
      server: target.server ?? null,
      clientId: target.clientId ?? null,
    }),
  checkCode: (text: string) => call<CodeCheck>("check_code", { text }),
  clipboardCode: () => call<string | null>("clipboard_code"),
  signInWithCode: (profile: string, pasted: string) =>
    call<Account>("sign_in_with_code", { profile, pasted }),
  signInWithToken: (profile: string, token: string) =>
    call<Account>("sign_in_with_token", { profile, token }),
  signInWithPassword: (profile: string, login: string, password: string) =>
    call<Account>("sign_in_with_password", { profile, login, password }),
  resume: (profile: string) => call<Account>("resume", { profile }),
  signOut: (profile: string) => call<ProfilesState>("sign_out", { profile }),

  baskets: (profile: string) => call<BasketSummary[]>("baskets", { profile }),
  /** `onReceived` hears the bytes of the content as they flow (nothing while the server prepares it). */
  basket: (profile: string, basket: number, onReceived: (bytes: number) => void = () => {}) =>
    call<BasketView>("basket", { profile, basket, received: channel(onReceived) }),
  cancelBasket: (profile: string) => call<void>("cancel_basket", { profile }),
  record: (profile: string, record: RecordRef, element: ElementRef | null) =>
    call<RecordDetails>("record", { profile, record, element }),
  story: (profile: string, record: RecordRef) => call<StoryView>("story", { profile, record }),
  cachedBaskets: (profile: string) => call<Cached<BasketSummary[]> | null>("cached_baskets", { profile }),
  cachedBasket: (profile: string, basket: number) =>
    call<Cached<BasketView> | null>("cached_basket", { profile, basket }),
  cachedBasketStart: (profile: string, basket: number, first: number) =>
    call<CachedStart | null>("cached_basket_start", { profile, basket, first }),
  cachedRecord: (profile: string, record: RecordRef) =>
    call<Cached<RecordDetails> | null>("cached_record", { profile, record }),
  openLightbox: (profile: string, basket: number) => call<void>("open_lightbox", { profile, basket }),
  copyText: (text: string) => call<void>("copy_text", { text }),
  downloadRecord: (profile: string, record: RecordRef, subdef: string | null, onEvent: (e: DownloadEvent) => void) =>
    call<number>("download_record", { profile, record, subdef, events: channel(onEvent) }),
  downloadBasket: (profile: string, basket: number, zip: boolean, onEvent: (e: DownloadEvent) => void) =>
    call<number[]>("download_basket", { profile, basket, zip, events: channel(onEvent) }),
  downloadRecords: (profile: string, records: RecordRef[], onEvent: (e: DownloadEvent) => void) =>
    call<number[]>("download_records", { profile, records, events: channel(onEvent) }),
  resumeDownloads: (profile: string, onEvent: (e: DownloadEvent) => void) =>
    call<number[]>("resume_downloads", { profile, events: channel(onEvent) }),
  cancelDownload: (id: number) => call<void>("cancel_download", { id }),
  retryDownload: (id: number) => call<DownloadItem>("retry_download", { id }),
  downloads: () => call<DownloadItem[]>("downloads"),
  clearDownloads: () => call<DownloadItem[]>("clear_downloads"),
  downloadFolder: () => call<string>("download_folder"),
  chooseDownloadFolder: () => call<string | null>("choose_download_folder"),
  revealDownload: (id: number) => call<void>("reveal_download", { id }),
  mediaBase: () => call<string>("media_base"),
  search: (profile: string, request: SearchRequest) => call<SearchPage>("search", { profile, request }),
  cachedSearch: (profile: string, request: SearchRequest) =>
    call<Cached<SearchPage> | null>("cached_search", { profile, request }),
  collections: (profile: string) => call<DataboxView[]>("collections", { profile }),
  feeds: (profile: string) => call<FeedSummary[]>("feeds", { profile }),
  feed: (profile: string, feed: number | null, offset: number, perPage: number) =>
    call<FeedPage>("feed", { profile, feed, offset, perPage }),
  related: (profile: string, record: RecordRef) => call<RelatedView>("related", { profile, record }),
  searches: (profile: string) => call<SearchLists>("searches", { profile }),
  saveSearch: (profile: string, name: string, request: SearchRequest) =>
    call<SearchLists>("save_search", { profile, name, request }),
  deleteSavedSearch: (profile: string, id: number) => call<SearchLists>("delete_saved_search", { profile, id }),
  clearRecentSearches: (profile: string) => call<SearchLists>("clear_recent_searches", { profile }),
  curationSupport: (profile: string) => call<CurationSupport>("curation_support", { profile }),
  createBasket: (profile: string, name: string, description: string) =>
    call<BasketSummary>("create_basket", { profile, name, description }),
  renameBasket: (profile: string, basket: number, name: string) =>
    call<BasketSummary>("rename_basket", { profile, basket, name }),
  describeBasket: (profile: string, basket: number, description: string) =>
    call<BasketSummary>("describe_basket", { profile, basket, description }),
  deleteBasket: (profile: string, basket: number) => call<void>("delete_basket", { profile, basket }),
  addToBasket: (profile: string, basket: number, records: RecordRef[]) =>
    call<BasketChange>("add_to_basket", { profile, basket, records }),
  removeFromBasket: (profile: string, basket: number, records: RecordRef[]) =>
    call<BasketChange>("remove_from_basket", { profile, basket, records }),
  /** Where the profile left off (reopened after sign-in, a relaunch or a profile switch). */
  rememberView: (profile: string, view: LastView) => call<void>("remember_view", { profile, view }),
  lastView: (profile: string) => call<LastView | null>("last_view", { profile }),
  /** Opens the server's own page of a basket or record; resolves to its address. */
  openInPhraseanet: (profile: string, target: WebTarget) =>
    call<string>("open_in_phraseanet", { profile, target }),
  /** Keeps a basket offline (again: an update); `onProgress` hears after each record. */
  keepOffline: (profile: string, basket: number, originals: boolean, onProgress: (p: KeepProgress) => void = () => {}) =>
    call<KeptBasket>("keep_offline", { profile, basket, originals, progress: channel(onProgress) }),
  cancelKeep: (profile: string, basket: number) => call<void>("cancel_keep", { profile, basket }),
  keptBaskets: (profile: string) => call<KeptBasket[]>("kept_baskets", { profile }),
  forgetOffline: (profile: string, basket: number) => call<KeptBasket[]>("forget_offline", { profile, basket }),
  // Desktop integration (#18): the native menu, the title, notifications, drag out.
  /** Builds the native menu from the shortcut table; each item's action id comes back to `onAction`. */
  setMenu: (labels: MenuLabels, onAction: (id: string) => void) =>
    call<void>("set_menu", { labels, actions: channel(onAction) }),
  /** The window's title names `subject` (a basket, a search); null: the app's name alone. */
  setTitle: (subject: string | null) => call<void>("set_title", { subject }),
  /** A system notification, unless the window has the focus; resolves to whether one was shown. */
  notify: (title: string, body: string) => call<boolean>("notify", { title, body }),
  /** Fetches the records' files for a drag out; resolves to their paths (what `startDrag` takes). */
  prepareDrag: (profile: string, records: RecordRef[], onProgress: (p: DragProgress) => void = () => {}) =>
    call<string[]>("prepare_drag", { profile, records, progress: channel(onProgress) }),
  cancelDrag: () => call<void>("cancel_drag"),
  /** Starts the OS drag of prepared files (while the mouse button is down). */
  startDrag: (paths: string[]) => call<void>("start_drag", { paths }),
};

/** Download progress comes back over an IPC channel, one message per event. */
function channel<T>(onEvent: (e: T) => void): Channel<T> {
  const c = new Channel<T>();
  c.onmessage = onEvent;
  return c;
}
