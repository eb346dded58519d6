//! The PSS floor of `make bench` (issue #14): a bare WebKitGTK window, the app's size, on a one-line
//! page. What any app built on this machine's web engine holds before its own content: the baseline
//! the idle PSS rows are read against. The bench's window program starts it under the bench's X
//! display and measures it with the app's own PSS code; it prints `ready` once the page has loaded.

#[cfg(target_os = "linux")]
fn main() {
    use gtk::prelude::*;
    use std::io::Write;
    use webkit2gtk::{LoadEvent, WebViewExt};

    // The app's own drawing choice (no compositing without a GPU), made the same way.
    phraseanet_app::rendering::choose_compositing();
    gtk::init().expect("a display (the bench runs under Xvfb)");
    let window = gtk::Window::new(gtk::WindowType::Toplevel);
    // The main window's size in tauri.conf.json.
    window.set_default_size(1200, 800);
    let view = webkit2gtk::WebView::new();
    view.connect_load_changed(|_, event| {
        if event == LoadEvent::Finished {
            println!("ready");
            let _ = std::io::stdout().flush();
        }
    });
    view.load_html("<!doctype html><meta charset=utf-8><p>Phraseanet</p>", None);
    window.add(&view);
    window.show_all();
    window.connect_destroy(|_| gtk::main_quit());
    gtk::main();
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("webkit_floor: WebKitGTK is the Linux engine; there is no floor to measure here");
}
