//! PHP's cost model (docs/real-servers.md, "Time budgets"): v1 builds the whole JSON before the first byte,
//! each element costing a record load, a permalink and a JWT (P@4.1.22 `V1Controller.php:1657-1701`), and PHP
//! dies at `max_execution_time` (docker default 120 s, P `.env:397`). Handlers tag heavy answers with
//! [`PhpWork`]; this layer holds the whole answer (headers included) for elements × `php_per_element`.

use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::state::Shared;

/// The number of elements a response made PHP render (basket elements, story children, search results
/// or feed entries on the page).
#[derive(Debug, Clone, Copy)]
pub struct PhpWork(pub usize);

/// Tags `res` with its element count.
pub fn work(mut res: Response, elements: usize) -> Response {
    res.extensions_mut().insert(PhpWork(elements));
    res
}

/// PHP's fatal-error output (`display_errors` HTML) for `max_execution_time`, status 500.
fn time_limit_page(limit: Duration) -> Response {
    // PHP counts whole seconds ("%d second%s").
    let secs = limit.as_secs_f64().ceil() as u64;
    let plural = if secs == 1 { "" } else { "s" };
    let body = format!(
        "<br />\n<b>Fatal error</b>:  Maximum execution time of {secs} second{plural} exceeded in \
         <b>/var/alchemy/Phraseanet/lib/Alchemy/Phrasea/Controller/Api/V1Controller.php</b> on line <b>1683</b><br />\n",
    );
    (StatusCode::INTERNAL_SERVER_ERROR, [(header::CONTENT_TYPE, "text/html; charset=UTF-8")], body)
        .into_response()
}

pub async fn layer(State(state): State<Shared>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let res = next.run(req).await;
    let per = state.config.php_per_element;
    let Some(PhpWork(n)) = res.extensions().get::<PhpWork>().copied() else { return res };
    if per.is_zero() || n == 0 {
        return res;
    }
    let delay = per.mul_f64(n as f64);
    let limit = state.config.php_time_limit;
    if delay > limit {
        tokio::time::sleep_until((start + limit).into()).await;
        return time_limit_page(limit);
    }
    tokio::time::sleep_until((start + delay).into()).await;
    res
}
