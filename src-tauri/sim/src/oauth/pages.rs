//! HTML pages of `/api/oauthv2/authorize` (TPL-AUTH, TPL-OOB, api §2.2), desktop template set, English.

/// HTML escaping as Twig's autoescape does it.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#039;"),
            c => out.push(c),
        }
    }
    out
}

/// The authorize parameters echoed as hidden inputs.
pub struct Hidden<'a>(pub &'a [(&'static str, String)]);

impl Hidden<'_> {
    fn render(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("    <input type=\"hidden\" name=\"{k}\" value=\"{}\"/>\n", escape(v)))
            .collect()
    }
}

fn page(title: &str, instance: &str, hello: Option<&str>, body: &str) -> String {
    let hello = hello
        .map(|name| {
            format!(
                "  <div id=\"hello-box\" class=\"span6 offset3\"><p class=\"login_hello\">Hi <b>{}</b></p></div>\n",
                escape(name)
            )
        })
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\" /><title>{}</title>\n\
         <link rel=\"stylesheet\" href=\"/assets/oauth/css/oauth.css\" /></head><body>\n\
         <div id=\"page\" class=\"container\"><div id=\"main\" class=\"row\">\n\
         \x20 <div id=\"title-box\" class=\"span6 offset3\"><h1 id=\"namePhr\">{}</h1></div>\n{hello}{body}\
         </div></div>\n</body></html>\n",
        escape(title),
        escape(instance),
    )
}

/// Step A: the login form (no `action` attribute: it posts back to the current URL, api §2.2).
pub fn login(instance: &str, app_name: &str, hidden: &Hidden, login_error: bool) -> String {
    let alert =
        if login_error { "    <p class=\"alert alert-error\">Login / Password error</p>\n" } else { "" };
    let body = format!(
        "  <div id=\"text-box\" class=\"span6 offset3\">\n\
         \x20   <p>The application <b>{}</b> wants to access your account. Please sign in.</p>\n{alert}\
         \x20   <form id=\"login-form\" method=\"post\">\n{}\
         \x20   <label for=\"myLogin\">Login</label>\n\
         \x20   <input type=\"text\" name=\"login\" id=\"myLogin\" autocomplete=\"username\"/>\n\
         \x20   <label for=\"myPass\">Password</label>\n\
         \x20   <input type=\"password\" name=\"password\" id=\"myPass\" autocomplete=\"current-password\"/>\n\
         \x20   <button type=\"submit\" name=\"action_login\" id=\"button_login\" value=\"login\" class=\"btn\">Sign in</button>\n\
         \x20   </form>\n  </div>\n",
        escape(app_name),
        hidden.render()
    );
    page("Authorization", instance, None, &body)
}

/// Step B: the consent page (only for a user who revoked the app, api §2.2).
pub fn consent(instance: &str, user: &str, app_name: &str, hidden: &Hidden) -> String {
    let form = |accept: u8, id: &str, label: &str| {
        format!(
            "    <form class=\"access-deny\" method=\"post\">\n{}\
             \x20   <input type=\"hidden\" name=\"action_accept\" value=\"{accept}\"/>\n\
             \x20   <button type=\"submit\" id=\"{id}\" class=\"btn\">{label}</button>\n    </form>\n",
            hidden.render()
        )
    };
    let body = format!(
        "  <div id=\"text-box\" class=\"span6 offset3\">\n\
         \x20   <p>The application <b>{}</b> asks to access your Phraseanet account.</p>\n{}{}  </div>\n",
        escape(app_name),
        form(1, "button_access", "Authorize"),
        form(0, "button_deny", "Do not authorize"),
    );
    page("Authorization", instance, Some(user), &body)
}

/// Step C, OOB: the code page (TPL-OOB). `error` gives the "Fail" variant with an empty field.
pub fn oob(instance: &str, user: &str, code: Option<&str>, error: Option<&str>) -> String {
    let (title, heading, text) = match error {
        Some(e) => ("Fail", "Error", escape(e)),
        None => (
            "Success",
            "Access code",
            "Copy the code below, go to your application then paste it as needed:".into(),
        ),
    };
    let value = if error.is_some() { "" } else { code.unwrap_or("") };
    let body = format!(
        "  <div id=\"text-box\" class=\"span6 offset3\">\n\
         \x20   <div id=\"top-text-box\"><h4>{heading}</h4></div>\n\
         \x20   <div id=\"main-text-box\"><p>{text}</p>\n\
         \x20     <input type=\"text\" class=\"input-xlarge\" name=\"authorize_token\" value=\"{}\" size=\"{}\"/>\n\
         \x20   </div>\n  </div>\n",
        escape(value),
        value.len()
    );
    page(title, instance, Some(user), &body)
}

/// The mobile/tablet OOB template (api §2.2, §7.16): the field is named `access_token` and is always
/// empty, because the controller never sets `token.access_token`.
pub fn oob_mobile(instance: &str, error: Option<&str>) -> String {
    let (title, text) = match error {
        Some(e) => ("Fail", escape(e)),
        None => ("Success", "Copy the code below, go to your application then paste it as needed:".into()),
    };
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\" /><meta name=\"viewport\" content=\"width=device-width\" />\
         <title>{title}</title></head><body>\n<div data-role=\"page\"><div data-role=\"header\"><h1>{}</h1></div>\n\
         <div data-role=\"content\"><p>{text}</p>\n\
         <input type=\"text\" class=\"input-large\" name=\"access_token\" value=\"\"/>\n</div></div>\n</body></html>\n",
        escape(instance)
    )
}

/// Mobile and tablet User-Agents get `templates/mobile/...` (api §2.2).
pub fn is_mobile(user_agent: &str) -> bool {
    let ua = user_agent.to_ascii_lowercase();
    ["android", "iphone", "ipad", "ipod", "mobile", "blackberry", "opera mini", "windows phone", "tablet"]
        .iter()
        .any(|m| ua.contains(m))
}

/// The generic error page of `/api/oauthv2` failures (OES, api §2.2 case 2, §2.3).
pub fn error(status: u16) -> String {
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\" /><title>Whoops, looks like something went wrong.</title></head>\n\
         <body><div id=\"page\"><h1>Whoops, looks like something went wrong.</h1><p>Error {status}</p></div></body></html>\n"
    )
}
