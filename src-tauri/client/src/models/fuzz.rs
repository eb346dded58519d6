//! Every model decoder fed arbitrary JSON (property tests): whatever a server sends, decoding ends in a
//! value or an error, never a panic. Mixed keys, wrong types, deep nesting, huge numbers, odd Unicode.

use proptest::prelude::*;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde_json::{json, Map, Number, Value};

use super::*;
use crate::http::decode;

/// Keys as servers write them: numeric, numeric-looking, the models' own names, odd Unicode.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u64..30).prop_map(|n| n.to_string()),
        "[0-9]{1,3}[a-z]?",
        prop::sample::select(vec![
            "basket_id",
            "basket_elements",
            "record",
            "records",
            "thumbnail",
            "embed",
            "name",
            "id",
            "databox_id",
            "record_id",
            "validation_users",
            "validation_choices",
            "agreement",
            "url",
            "url_ttl",
            "results",
            "stories",
            "total_results",
            "feeds",
            "entries",
            "items",
            "caption",
            "user",
            "collections",
            "databoxes",
            "statuses",
            "permalink",
            "story",
            "children",
            "meta",
        ])
        .prop_map(str::to_string),
        "\\PC{0,8}",
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        prop::num::f64::NORMAL.prop_map(|f| Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null)),
        Just(json!(1e308)),
        "\\PC{0,24}".prop_map(Value::String),
        Just(json!("0000-00-00 00:00:00")),
        Just(json!("\u{202e}\u{0}<script>")),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(6, 256, 24, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..24).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..24)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn envelope(response: &Value) -> Vec<u8> {
    serde_json::to_vec(&json!({"meta": {"http_code": 200}, "response": response})).unwrap()
}

/// Decodes `body` as every answer type the client reads; only the absence of a panic is asserted.
fn decode_all(body: &[u8]) {
    let h = HeaderMap::new();
    macro_rules! each {
        ($($t:ty),*) => { $( let _ = decode::<$t>(StatusCode::OK, &h, body); )* };
    }
    each!(
        Me,
        SubdefDefinitions,
        BasketsResponse,
        BasketResponse,
        BasketContent,
        RecordResponse,
        EmbedResponse,
        CaptionResponse,
        MetadatasResponse,
        StatusResponse,
        Related,
        StoryResponse,
        SearchResult,
        DataboxesResponse,
        CollectionsResponse,
        FeedsResponse,
        FeedContent,
        EntryResponse
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_responses_never_panic(response in value()) {
        decode_all(&envelope(&response));
    }

    #[test]
    fn arbitrary_bodies_never_panic(body in value()) {
        decode_all(&serde_json::to_vec(&body).unwrap());
    }

    /// Big keyed lists with numeric and numeric-looking keys (where an order that is not total shows).
    #[test]
    fn big_mixed_key_lists_never_panic(keys in prop::collection::vec("[0-9]{1,2}x?", 21..220)) {
        let body: Vec<String> = keys.iter().map(|k| format!(r#""{k}":{{"basket_id":1}}"#)).collect();
        let body = format!(r#"{{"meta":{{"http_code":200}},"response":{{"baskets":{{{}}}}}}}"#, body.join(","));
        decode_all(body.as_bytes());
    }

    #[test]
    fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..512)) {
        decode_all(&body);
    }
}

#[test]
fn the_reviewed_mixed_key_object_decodes() {
    // This key order made the old comparator non-transitive (a panic).
    // Raw text, so that the duplicate keys reach the decoder as the server sent them.
    let keys = r#"{"0":{},"0x":{},"7":{},"14":{},"2x":{},"6":{},"13":{},"4x":{},"5":{},"12":{},"6x":{},"4":{},"11":{},"8x":{},"3":{},"10":{},"0x":{},"2":{},"9":{},"2x":{},"1":{},"8":{},"4x":{}}"#;
    let body =
        format!(r#"{{"meta":{{"http_code":200}},"response":{{"baskets":{keys},"basket_elements":{keys}}}}}"#);
    decode_all(body.as_bytes());
    // Deep nesting ends in serde_json's recursion limit, an error.
    let deep = "[".repeat(100_000);
    decode_all(deep.as_bytes());
}
