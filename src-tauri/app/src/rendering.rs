//! How the web engine draws the window (issue #14, memory). WebKitGTK composites the page with OpenGL;
//! on a computer without a GPU render node (virtual machines, remote desktops, servers) that GL is
//! software (Mesa's llvmpipe), whose buffers held about 120 MB more (PSS, web process) than drawing
//! without compositing, measured on this project's build machine (docs/bench.md, "What lowers the PSS").
//! There, the app asks WebKit not to composite, through WebKit's own switch, before the engine starts.
//! A person's own setting of that switch is left as it is.

use std::path::Path;

/// WebKitGTK's switch (read by the engine when its first view is made).
const SWITCH: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Where Linux lists its GPUs' render nodes (`renderD128`, …).
const RENDER_NODES: &str = "/dev/dri";

/// Turns compositing off when there is no render node. Call first thing in `main`: the environment is
/// read by the engine, and set here before any thread starts.
pub fn choose_compositing() {
    #[cfg(target_os = "linux")]
    if compositing_off(std::env::var_os(SWITCH).is_some(), has_render_node(Path::new(RENDER_NODES))) {
        std::env::set_var(SWITCH, "1");
    }
}

/// Off when nobody chose, and there is no GPU to composite with.
fn compositing_off(chosen: bool, render_node: bool) -> bool {
    !chosen && !render_node
}

fn has_render_node(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|entries| entries.flatten().any(|e| e.file_name().to_string_lossy().starts_with("renderD")))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_only_without_a_render_node_and_without_a_choice() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!has_render_node(&dir.path().join("missing")));
        std::fs::write(dir.path().join("card0"), b"").unwrap();
        assert!(!has_render_node(dir.path()), "a display card alone renders nothing");
        std::fs::write(dir.path().join("renderD128"), b"").unwrap();
        assert!(has_render_node(dir.path()));

        assert!(compositing_off(false, false));
        assert!(!compositing_off(false, true), "a GPU composites");
        assert!(!compositing_off(true, false), "the person's own setting stays");
    }
}
