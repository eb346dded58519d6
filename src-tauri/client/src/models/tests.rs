//! Models decoded from the examples of api §10, and one test per quirk of api §7.

use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE, WWW_AUTHENTICATE};
use reqwest::StatusCode;

use super::*;
use crate::error::{Error, TransportFault};
use crate::http::decode;

fn ok<T: serde::de::DeserializeOwned + Default>(body: &str) -> T {
    decode(StatusCode::OK, &HeaderMap::new(), body.as_bytes()).unwrap()
}

fn envelope(response: &str) -> String {
    format!(
        r#"{{"meta":{{"api_version":"2.0.0","request":"GET /api/v1/x/","response_time":"2025-02-11T09:30:00+01:00","http_code":200,"error_type":null,"error_message":null,"error_details":null,"charset":"UTF-8"}},"response":{response}}}"#
    )
}

const ME: &str = include_str!("../../fixtures/spec/me.json");
const BASKETS: &str = include_str!("../../fixtures/spec/baskets_list.json");
const CONTENT: &str = include_str!("../../fixtures/spec/basket_content.json");
const RECORD: &str = include_str!("../../fixtures/spec/record.json");
const EMBED: &str = include_str!("../../fixtures/spec/embed.json");
const DATABOXES: &str = include_str!("../../fixtures/spec/databoxes.json");
const PERMISSION_401: &str = include_str!("../../fixtures/spec/permission_401.json");

#[test]
fn me_example_with_zero_date() {
    let me: Me = ok(ME);
    assert_eq!(me.user.id, 42);
    assert_eq!(me.user.name(), "Mara Ek");
    // api §7.6: the zero date becomes None, real dates stay ISO strings.
    assert_eq!(me.user.last_connection, None);
    assert_eq!(me.user.created_on.as_deref(), Some("2021-06-01T08:00:00+02:00"));
    assert_eq!(me.user.geoname_id, Some(2996944));
    assert_eq!(me.collections[0].base_id, 3);
    assert_eq!(me.collections[0].statuses[0].labels.on["en"], "Validated");
    assert_eq!(me.databoxes[0].databox_id, 1);
    assert!(me.databoxes[0].rights.is_empty());
}

#[test]
fn baskets_list_plain_and_vote() {
    let r: BasketsResponse = ok(BASKETS);
    let [plain, vote] = r.baskets.as_slice() else { panic!("two baskets") };
    assert_eq!(plain.basket_id, 17);
    assert_eq!(plain.description, "");
    assert!(!plain.validation_basket);
    assert!(plain.validation_users.is_empty());
    assert_eq!(plain.pusher, None);
    assert_eq!(vote.basket_id, 23);
    assert!(vote.validation_basket && vote.unread);
    assert_eq!(vote.expires_on.as_deref(), Some("2025-03-01T00:00:00+01:00"));
    assert_eq!(vote.validation_users[0].usr_name, "Mara Ek");
    assert!(vote.validation_users[0].can_agree);
    assert_eq!(vote.validation_initiator_user.as_ref().unwrap().name(), "Jon Lind");
    assert_eq!(vote.owner.as_ref().unwrap().id, 7);
}

#[test]
fn basket_content_with_a_story_element() {
    let c: BasketContent = ok(CONTENT);
    assert_eq!(c.basket.name, "Press kit");
    assert_eq!(c.basket_elements.len(), 2);
    let rec = &c.basket_elements[0].record;
    assert_eq!(rec.original_name.as_deref(), Some("IMG_0831.JPG"));
    assert_eq!(rec.thumbnail, None);
    assert_eq!(rec.technical_informations[0].value, serde_json::json!(6000));
    // api §7.8: a story through a record route has null mime/original_name/sha256 and type "unknown".
    let story = &c.basket_elements[1].record;
    assert!(story.looks_like_story());
    assert!(!rec.looks_like_story());
    // api §7.14: no validation_choices key → empty.
    assert!(c.basket_elements[0].validation_choices.is_empty());
}

#[test]
fn record_with_thumbnail_and_permalink() {
    let r: RecordResponse = ok(RECORD);
    let th = r.record.thumbnail.as_ref().unwrap();
    assert_eq!(th.name, "thumbnail");
    assert_eq!(th.url_ttl, Some(7200));
    assert!(th.fetch_url().unwrap().contains("/medias/"));
    assert_eq!(th.permalink.as_ref().unwrap().id, 880);
    assert_eq!(r.record.technical_informations[1].value, serde_json::json!(0.004));
    assert_eq!(r.record.technical_informations[2].value, serde_json::json!("X-T4"));
}

#[test]
fn embed_with_null_permalink() {
    let e: EmbedResponse = ok(EMBED);
    assert_eq!(e.embed.len(), 2);
    assert_eq!(e.embed[0].name, "document");
    assert_eq!(e.embed[0].permalink, None);
    assert_eq!(e.embed[0].filesize, 8312044);
    assert!(e.embed[1].permalink.as_ref().unwrap().url.ends_with("token=Vb3nT8cQ"));
}

#[test]
fn databoxes_keyed_by_id_and_empty_as_list() {
    let d: DataboxesResponse = ok(DATABOXES);
    assert_eq!(d.databoxes["1"].viewname, "Films");
    assert_eq!(d.databoxes["1"].labels["de"], "Filme");
    // api §7.5: an empty map is PHP's [].
    let d: DataboxesResponse = ok(&envelope(r#"{"databoxes":[]}"#));
    assert!(d.databoxes.is_empty());
    let c: CollectionsResponse = ok(&envelope(
        r#"{"collections":{"2":{"base_id":3,"databox_id":1,"collection_id":2,"name":"Online","labels":[],"record_amount":"12","order_managers":[]}}}"#,
    ));
    assert_eq!(c.collections["2"].record_amount, 12);
    assert!(c.collections["2"].labels.is_empty());
}

#[test]
fn empty_response_is_an_object_and_subdef_options_may_be_a_list() {
    // api §7.7
    let s: SubdefDefinitions = ok(&envelope(r#"{"subdefs":[]}"#));
    assert!(s.subdefs.is_empty());
    let s: SubdefDefinitions = ok(&envelope(
        r#"{"subdefs":{"image":{"thumbnail":{"name":"thumbnail","databox_id":1,"class":"thumbnail","preset":null,"downloadable":true,"devices":["screen"],"labels":{"en":"Thumbnail"},"options":[]}}}}"#,
    ));
    assert!(s.subdefs["image"]["thumbnail"].options.is_empty());
    let b: BasketsResponse = ok(&envelope("{}"));
    assert!(b.baskets.is_empty());
}

#[test]
fn vote_element_with_and_without_votes() {
    let c: BasketContent = ok(&envelope(
        r#"{"basket":{"basket_id":23,"name":"Cover review","description":"Pick","validation_basket":true},
        "basket_elements":[
          {"basket_element_id":1,"order":1,"validation_item":true,"record":{"databox_id":1,"record_id":2,"title":"a"},"agreement":null,"note":""},
          {"basket_element_id":2,"order":2,"validation_item":true,"record":{"databox_id":1,"record_id":3,"title":"b"},
           "validation_choices":[{"validation_user":{"usr_id":42,"usr_name":"Mara Ek","confirmed":false,"can_agree":true,"can_see_others":false,"readonly":false},"agreement":true,"updated_on":"2025-02-06T10:00:00+01:00","note":"yes"}],
           "agreement":true,"note":"yes"}]}"#,
    ));
    assert!(c.basket_elements[0].validation_choices.is_empty());
    assert_eq!(c.basket_elements[0].agreement, None);
    assert_eq!(c.basket_elements[1].validation_choices[0].agreement, Some(true));
    assert_eq!(c.basket_elements[1].validation_choices[0].validation_user.usr_id, 42);
    assert_eq!(c.basket_elements[1].agreement, Some(true));
}

#[test]
fn ids_as_strings_and_unknown_fields() {
    let r: RecordResponse = ok(&envelope(
        r#"{"record":{"databox_id":"1","record_id":"1204","title":"x","brand_new_field":{"a":[1,2]},"updated-on":"2020-01-01"}}"#,
    ));
    assert_eq!((r.record.databox_id, r.record.record_id), (1, 1204));
}

#[test]
fn story_not_a_story_quirk_decodes_to_zero_id() {
    // api §7.12: /stories/ on a plain record gives {"story":{"headers":{}}}; Api::story turns it into
    // not-a-story.
    let s: StoryResponse = ok(&envelope(r#"{"story":{"headers":{}}}"#));
    assert_eq!(s.story.story_id, 0);
    let s: StoryResponse = ok(&envelope(
        r#"{"story":{"@entity@":"http://api.phraseanet.com/api/objects/story","databox_id":1,"story_id":1410,"cover_record_id":null,"thumbnail":null,
        "metadatas":{"@entity@":"http://api.phraseanet.com/api/objects/story-metadata-bag","dc:title":"Launch event","dc:creator":null},
        "records":[{"databox_id":1,"record_id":1204,"title":"Harbour at dawn"}]}}"#,
    ));
    assert_eq!(s.story.story_id, 1410);
    assert_eq!(s.story.title(), Some("Launch event"));
    assert!(!s.story.metadatas.contains_key("@entity@"));
    assert!(!s.story.metadatas.contains_key("dc:creator"));
    assert_eq!(s.story.records.len(), 1);
}

#[test]
fn search_results_paging_fields() {
    let r: SearchResult = ok(&envelope(
        r#"{"offset_start":0,"per_page":2,"available_results":2,"total_results":5,"error":"","warning":"","query_time":12,
        "search_indexes":"phraseanet","suggestions":[],"facets":[{"name":"Type","field":"_type","values":[{"value":"image","raw_value":"image","count":3,"query":"type:image"}]}],
        "query":"harbour","results":{"stories":[],"records":[{"databox_id":1,"record_id":1,"title":"a","thumbnail":null},{"databox_id":1,"record_id":2,"title":"b"}]}}"#,
    ));
    assert_eq!(r.results.records.len(), 2);
    assert_eq!(r.available_results, 2);
    assert_eq!(r.total_results, 5);
    assert_eq!(r.facets[0].values[0].count, 3);
    let q = SearchQuery { per_page: 2, ..SearchQuery::new("harbour") };
    let next = q.next_page(&r).unwrap();
    assert_eq!(next.offset_start, 2);
    let last = SearchResult { offset_start: 4, total_results: 5, ..Default::default() };
    assert!(q.next_page(&last).is_none());
    // The deprecated /records/search/ flat list.
    let flat: SearchResult =
        ok(&envelope(r#"{"results":[{"databox_id":1,"record_id":9,"title":"z"}],"total_results":1}"#));
    assert_eq!(flat.results.records[0].record_id, 9);
    // Search stories: created_on holds the update date, dc:* all null (api §7.12).
    let st: SearchResult = ok(&envelope(
        r#"{"results":{"records":[],"stories":[{"databox_id":1,"story_id":5,"record_count":3,"metadatas":{"dc:title":null},"records":[]}]}}"#,
    ));
    assert_eq!(st.results.stories[0].record_count, Some(3));
    assert_eq!(st.results.stories[0].title(), None);
}

#[test]
fn feed_entries_as_object_when_offset_is_positive() {
    // api §7.11
    let f: FeedContent = ok(&envelope(
        r#"{"feed":{"id":3,"title":"News","subtitle":null,"total_entries":7,"icon":false,"public":true,"readonly":true,"deletable":false},
        "offset_start":5,"per_page":5,"entries":{"6":{"id":16,"title":"b","items":[]},"5":{"id":15,"title":"a","items":[{"item_id":1,"record":{"databox_id":1,"record_id":2,"title":"r"}}]}}}"#,
    ));
    assert_eq!(f.feed.as_ref().unwrap().title, "News");
    assert_eq!(f.entries.iter().map(|e| e.id).collect::<Vec<_>>(), vec![15, 16]);
    assert_eq!(f.entries[0].items[0].record.record_id, 2);
    // An inaccessible feed: response {} → no feed (Api::feed turns it into forbidden).
    let f: FeedContent = ok(&envelope("{}"));
    assert!(f.feed.is_none() && f.entries.is_empty());
}

#[test]
fn error_envelopes_map_to_typed_errors() {
    let e = decode::<RecordResponse>(StatusCode::UNAUTHORIZED, &HeaderMap::new(), PERMISSION_401.as_bytes());
    assert_eq!(e.unwrap_err(), Error::Unauthorized("You are not authorized".into()));
    let body = |code: u16, details: &str| {
        format!(
            r#"{{"meta":{{"http_code":{code},"error_type":"x","error_message":"m","error_details":"{details}"}},"response":{{}}}}"#
        )
    };
    let cases = [
        (400, "bad-request"),
        (403, "forbidden"),
        (404, "not-found"),
        (405, "bad-request"),
        (500, "server"),
        (503, "server"),
    ];
    for (code, expected) in cases {
        let status = StatusCode::from_u16(code).unwrap();
        let err = decode::<BasketsResponse>(
            status,
            &HeaderMap::new(),
            body(code, "Basket 999 not found.").as_bytes(),
        )
        .unwrap_err();
        assert_eq!(err.code(), expected, "{code}");
    }
    // api §7.10: JSONP forces 200 but meta keeps the real code.
    let err =
        decode::<BasketsResponse>(StatusCode::OK, &HeaderMap::new(), body(404, "x").as_bytes()).unwrap_err();
    assert_eq!(err.code(), "not-found");
}

#[test]
fn token_failures_are_not_envelopes() {
    // api §7.1: 401 + WWW-Authenticate invalid_token, empty body → signed out.
    let mut h = HeaderMap::new();
    h.insert(WWW_AUTHENTICATE, HeaderValue::from_static("OAuth realm='Service', error='invalid_token'"));
    h.insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=UTF-8"));
    assert_eq!(decode::<Me>(StatusCode::UNAUTHORIZED, &h, b"").unwrap_err(), Error::SignedOut);
    let mut h = HeaderMap::new();
    h.insert(WWW_AUTHENTICATE, HeaderValue::from_static("OAuth realm='Service', error='invalid_request'"));
    // The token did not reach PHP (Apache + FPM, 4.1.0/4.1.1 GET/POST-only): the API tries the parameter.
    assert_eq!(
        decode::<Me>(StatusCode::BAD_REQUEST, &h, b"").unwrap_err(),
        Error::TokenTransport(TransportFault::NotSeen)
    );
    // api §7.2 / oauth2php 1.0.0: a header it cannot parse answers 400 {"error":"invalid_request"}.
    assert_eq!(
        decode::<Me>(StatusCode::BAD_REQUEST, &HeaderMap::new(), br#"{"error":"invalid_request"}"#)
            .unwrap_err(),
        Error::TokenTransport(TransportFault::HeaderRefused)
    );
}

#[test]
fn non_api_answers() {
    let mut h = HeaderMap::new();
    h.insert(CONTENT_TYPE, HeaderValue::from_static("text/html"));
    assert_eq!(decode::<Me>(StatusCode::OK, &h, b"<html>login</html>").unwrap_err().code(), "not-phraseanet");
    assert_eq!(
        decode::<Me>(StatusCode::NOT_FOUND, &h, b"<html>nope</html>").unwrap_err().code(),
        "not-phraseanet"
    );
    assert_eq!(decode::<Me>(StatusCode::BAD_GATEWAY, &h, b"<html>502</html>").unwrap_err().code(), "server");
    // A proxy's 401 page is not a token rejection: the token must stay.
    let mut basic = h.clone();
    basic.insert(WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"proxy\""));
    assert_eq!(
        decode::<Me>(StatusCode::UNAUTHORIZED, &basic, b"<html>401</html>").unwrap_err().code(),
        "unauthorized"
    );
    assert_eq!(
        decode::<Me>(StatusCode::UNAUTHORIZED, &HeaderMap::new(), b"").unwrap_err().code(),
        "signed-out"
    );
    assert_eq!(
        decode::<Me>(StatusCode::OK, &HeaderMap::new(), br#"{"other":1}"#).unwrap_err().code(),
        "not-phraseanet"
    );
    // A truncated envelope: the server is a Phraseanet, its answer broke.
    assert_eq!(
        decode::<Me>(StatusCode::OK, &HeaderMap::new(), br#"{"meta":{"http_code":200},"respo"#)
            .unwrap_err()
            .code(),
        "broken-answer"
    );
    // PHP's fatal error page when max_execution_time runs out.
    let fatal = b"<br />\n<b>Fatal error</b>:  Maximum execution time of 120 seconds exceeded in x.php";
    assert_eq!(
        decode::<Me>(StatusCode::INTERNAL_SERVER_ERROR, &h, fatal).unwrap_err().code(),
        "server-time-limit"
    );
    // A well-formed envelope with a response of the wrong shape.
    let wrong = envelope(r#"{"user":"nope"}"#);
    assert_eq!(
        decode::<Me>(StatusCode::OK, &HeaderMap::new(), wrong.as_bytes()).unwrap_err().code(),
        "decode"
    );
}

#[test]
fn ten_thousand_elements_decode_fast() {
    let el = r#"{"basket_element_id":1,"order":1,"validation_item":false,"record":{"databox_id":1,"record_id":1204,"resource_id":"9f2c1e0b7d_1_1204","mime_type":"image/jpeg","title":"Harbour at dawn","original_name":"IMG_0831.JPG","updated_on":"2025-01-19T16:20:00+01:00","created_on":"2024-11-02T09:12:44+01:00","collection_id":2,"base_id":3,"sha256":"5b1f0c9e2a7d4e3f8c6b0a9d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f","thumbnail":{"name":"thumbnail","permalink":null,"height":160,"width":240,"filesize":10872,"devices":["screen"],"player_type":"IMAGE","mime_type":"image/jpeg","substituted":false,"created_on":"2024-11-02T09:13:00+01:00","updated_on":"2024-11-02T09:13:00+01:00","url":"https://dam.example.org/medias/eyJhbGciOiJIUzI1NiJ9","url_ttl":7200},"technical_informations":[{"name":"Width","value":6000}],"phrasea_type":"image","uuid":"3d0b7a54-6c1e-4f8a-9b2d-1e5f7c9a0b3d"}}"#;
    let elements = vec![el; 10_000].join(",");
    let body =
        envelope(&format!(r#"{{"basket":{{"basket_id":1,"name":"big"}},"basket_elements":[{elements}]}}"#));
    let t0 = std::time::Instant::now();
    let _: serde::de::IgnoredAny = serde_json::from_str(&body).unwrap();
    let t1 = t0.elapsed();
    eprintln!("baseline: skipping the same JSON takes {t1:?}");
    let start = std::time::Instant::now();
    let c: BasketContent = ok(&body);
    let took = start.elapsed();
    assert_eq!(c.basket_elements.len(), 10_000);
    eprintln!("10,000 elements ({} MB) decoded in {took:?}", body.len() / 1_000_000);
    // Generous bound for unoptimized test builds on a shared machine; release builds take tens of ms.
    assert!(took < std::time::Duration::from_secs(5), "{took:?}");
}
