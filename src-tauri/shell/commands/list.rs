// The one list of the app's commands. `with_commands!(m)` calls `m!` with every command path: main.rs
// feeds it to `generate_handler!`, build.rs turns it into the generated `allow-<command>` permissions,
// and a test checks it against the window's capability (tauri.conf.json) and what `ui/src/lib/ipc.ts`
// calls. Included by build.rs too, so it holds nothing but the macro.
macro_rules! with_commands {
    ($m:ident) => {
        $m! {
            account::about,
            account::profiles,
            account::check_server,
            account::save_profile,
            account::remove_profile,
            account::start_demo,
            account::open_sign_in,
            account::sign_in_loopback,
            account::cancel_sign_in,
            account::doctor,
            account::check_code,
            account::clipboard_code,
            account::sign_in_with_code,
            account::sign_in_with_token,
            account::sign_in_with_password,
            account::resume,
            account::sign_out,
            browse::baskets,
            browse::basket,
            browse::cancel_basket,
            browse::record,
            browse::story,
            browse::cached_baskets,
            browse::cached_basket,
            browse::cached_basket_start,
            browse::cached_record,
            browse::open_lightbox,
            browse::copy_text,
            browse::download_record,
            browse::download_basket,
            browse::download_records,
            browse::resume_downloads,
            browse::cancel_download,
            browse::retry_download,
            browse::downloads,
            browse::clear_downloads,
            browse::download_folder,
            browse::choose_download_folder,
            browse::reveal_download,
            browse::media_base,
            library::search,
            library::cached_search,
            library::collections,
            library::feeds,
            library::feed,
            library::related,
            library::searches,
            library::save_search,
            library::delete_saved_search,
            library::clear_recent_searches,
            curate::curation_support,
            curate::create_basket,
            curate::rename_basket,
            curate::describe_basket,
            curate::delete_basket,
            curate::add_to_basket,
            curate::remove_from_basket,
            places::remember_view,
            places::last_view,
            places::open_in_phraseanet,
            offline::keep_offline,
            offline::cancel_keep,
            offline::kept_baskets,
            offline::forget_offline,
            desktop::set_menu,
            desktop::set_title,
            desktop::notify,
            desktop::prepare_drag,
            desktop::cancel_drag,
            desktop::start_drag,
        }
    };
}

/// The commands' names (`about`, `check_server`…), from the list (build.rs and the test use it).
#[allow(unused_macros)]
macro_rules! command_names {
    ($($module:ident :: $command:ident),* $(,)?) => {
        &[$(stringify!($command)),*]
    };
}
