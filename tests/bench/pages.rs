//! What the window program does in the page: timed in the page itself (`performance.now()`), so the
//! WebDriver round trips of the poll do not count; the polls only collect the result.

/// Clicks basket `arguments[0]` and stamps `window.__bench` once every cell in view has its thumbnail
/// decoded (`complete && naturalWidth > 0`; cells without a thumbnail count as drawn) and the grid shows
/// that basket (its first record `arguments[1]` is there). Checked at every animation frame. For the
/// detail: `cells_ms`, the first frame at which the basket's cells are in the grid (what comes before
/// is the elements' way to the page, what comes after their thumbnails'); `marks`, the page's
/// `performance.mark`s since the click (none in the app today: add some to time a part); `busy`, when
/// the page's main thread was held over 40 ms (a 5 ms timer that came late: "start+ms").
pub const OPEN_BASKET: &str = r#"
const [basket, first] = arguments;
window.__bench = null;
let cellsMs = null;
const drawn = () => {
  const grid = document.getElementById('grid');
  if (!grid || !grid.querySelector(`.cell[data-record='${first}']`)) return 0;
  if (cellsMs === null) cellsMs = performance.now() - t0;
  const box = grid.getBoundingClientRect();
  const inView = [...grid.querySelectorAll('.cell')].filter((c) => {
    const r = c.getBoundingClientRect();
    return r.bottom > box.top && r.top < box.bottom && r.right > box.left && r.left < box.right;
  });
  const thumbs = inView.map((c) => c.querySelector('.thumb img:not(.preview)')).filter(Boolean);
  const ok = inView.length > 0 && thumbs.every((i) => i.complete && i.naturalWidth > 0);
  return ok ? inView.length : 0;
};
const t0 = performance.now();
const epoch = Date.now();
const beats = [];
const beat = () => {
  beats.push(performance.now());
  if (!window.__bench && beats.length < 2000) setTimeout(beat, 5);
};
setTimeout(beat, 5);
// The page's frames (its animation-frame callbacks), to tell a held main thread from a frame not drawn.
const frames = [];
const frame = () => {
  frames.push(performance.now());
  if (!window.__bench && frames.length < 500) requestAnimationFrame(frame);
};
requestAnimationFrame(frame);
const at = (t) => Math.round(t - t0);
const gaps = () => frames.slice(1).flatMap((f, i) => (f - frames[i] > 50 ? [`${at(frames[i])}+${Math.round(f - frames[i])}`] : []));
const busy = () => beats.slice(1).flatMap((b, i) => (b - beats[i] > 40 ? [`${at(beats[i])}+${Math.round(b - beats[i])}`] : []));
const marks = () => performance.getEntriesByType('mark').filter((m) => m.startTime >= t0).map((m) => `${m.name} ${at(m.startTime)}`);
const tick = () => {
  const cells = drawn();
  if (cells > 0) window.__bench = { ms: performance.now() - t0, cells, cells_ms: cellsMs, marks: marks(), busy: busy(), frame_gaps: gaps(), epoch };
  else requestAnimationFrame(tick);
};
const target = document.querySelector(`[data-basket='${basket}']`);
if (!target) return false;
target.click();
requestAnimationFrame(tick);
return true;
"#;

/// Whatever `window.__bench` holds (null until stamped).
pub const RESULT: &str = "return window.__bench";

/// Every cell in view has its thumbnail decoded (after a scroll).
pub const VIEW_DRAWN: &str = r#"
const grid = document.getElementById('grid');
const box = grid.getBoundingClientRect();
return [...grid.querySelectorAll('.cell')]
  .filter((c) => { const r = c.getBoundingClientRect(); return r.bottom > box.top && r.top < box.bottom; })
  .map((c) => c.querySelector('.thumb img:not(.preview)')).filter(Boolean)
  .every((i) => i.complete && i.naturalWidth > 0);
"#;

/// Scrolls the grid to `arguments[0]` (0..1 of its height).
pub const SCROLL_TO: &str = r#"
const grid = document.getElementById('grid');
grid.scrollTop = (grid.scrollHeight - grid.clientHeight) * arguments[0];
return true;
"#;

/// Clicks Open (`#view-btn`) on the selected video record: the viewer's player starts by itself
/// (`autoplay`), so this is "pressing play". Stamps `window.__bench` at the player's first `loadeddata`
/// or `timeupdate` (a first frame to show), or its error. The player is hooked as soon as it enters the
/// page (a mutation observer runs before any media event can be dispatched). `steps` is the timeline up
/// to the stamp: when the element appeared, its `src`, and the first of each media event; `epoch_ms` is
/// the click in wall-clock time (`Date.now()`), to line the page up with logs of the app.
pub const PLAY: &str = r#"
window.__bench = null;
const gen = (window.__benchGen = (window.__benchGen || 0) + 1);
const t0 = performance.now();
const epoch = Date.now();
const steps = {};
const step = (name) => { if (!(name in steps)) steps[name] = Math.round((performance.now() - t0) * 10) / 10; };
const stamp = (event) => {
  step(event);
  if (!window.__bench) window.__bench = { ms: performance.now() - t0, event, steps, epoch_ms: epoch };
};
const hook = (m) => {
  if (m.__benchHooked) return;
  m.__benchHooked = true;
  step('element');
  if (m.getAttribute('src')) step('src');
  for (const e of ['loadstart', 'durationchange', 'loadedmetadata', 'progress', 'canplay', 'playing', 'waiting', 'stalled']) {
    m.addEventListener(e, () => { if (window.__benchGen === gen) step(e); });
  }
  const first = (e) => { if (window.__benchGen === gen) stamp(e); };
  m.addEventListener('loadeddata', () => first('loadeddata'));
  m.addEventListener('timeupdate', () => first('timeupdate'));
  m.addEventListener('error', () => { if (window.__benchGen === gen && !window.__bench) window.__bench = { error: 'the player failed' }; });
  if (m.readyState >= 2) first('loadeddata');
};
const observer = new MutationObserver(() => {
  if (window.__benchGen !== gen) return observer.disconnect();
  const m = document.getElementById('viewer-media');
  if (m) hook(m);
});
observer.observe(document.body, { childList: true, subtree: true });
const open = document.getElementById('view-btn');
if (!open) return false;
open.click();
step('clicked');
queueMicrotask(() => step('microtask'));
requestAnimationFrame(() => step('frame'));
return true;
"#;
