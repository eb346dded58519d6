//! Text or JSON output of the typed models.

use phraseanet_client::models::*;
use phraseanet_client::{AppInfo, Error, ProfileSummary, Result};
use serde::Serialize;

pub struct Out {
    pub json: bool,
}

/// Keeps terminal output safe: server strings may hold escape sequences (hostile data).
pub(crate) fn clean(s: &str) -> String {
    s.chars().map(|c| if c.is_control() && c != '\n' { '\u{fffd}' } else { c }).collect()
}

impl Out {
    pub fn value<T: Serialize + ?Sized>(&self, v: &T) -> Result<()> {
        let text = serde_json::to_string_pretty(v).map_err(|e| Error::Decode(e.to_string()))?;
        println!("{text}");
        Ok(())
    }

    pub fn line(&self, s: &str) {
        if self.json {
            eprintln!("{s}");
        } else {
            println!("{s}");
        }
    }

    pub fn about(&self, info: &AppInfo) -> Result<()> {
        if self.json {
            return self.value(info);
        }
        println!("{} {} — {}", info.name, info.version, info.api);
        Ok(())
    }

    pub fn profiles(&self, list: &[ProfileSummary]) -> Result<()> {
        if self.json {
            return self.value(list);
        }
        if list.is_empty() {
            println!("No profile yet: phraseanet-cli profile add NAME --server URL --client-id ID");
        }
        for p in list {
            let state = if p.signed_in { "signed in" } else { "signed out" };
            let user = p.user_name.as_deref().map(|u| format!(" as {}", clean(u))).unwrap_or_default();
            println!("{}\t{}\t{state}{user}", clean(&p.name), p.server);
        }
        Ok(())
    }

    pub fn me(&self, me: &Me, server: &str) -> Result<()> {
        if self.json {
            return self.value(me);
        }
        let login = me.user.login.as_deref().map(|l| format!(" ({})", clean(l))).unwrap_or_default();
        println!("{}{login} on {server}", clean(&me.user.name()));
        println!("{} collections, {} databoxes", me.collections.len(), me.databoxes.len());
        Ok(())
    }

    pub fn baskets(&self, baskets: &[Basket]) -> Result<()> {
        if self.json {
            return self.value(baskets);
        }
        for b in baskets {
            let mut flags = Vec::new();
            if b.validation_basket {
                flags.push("vote");
            }
            if b.unread {
                flags.push("unread");
            }
            let flags = if flags.is_empty() { String::new() } else { format!(" [{}]", flags.join(", ")) };
            println!("{}\t{}{flags}", b.basket_id, clean(&b.name));
        }
        Ok(())
    }

    pub fn basket(&self, c: &BasketContent) -> Result<()> {
        if self.json {
            return self.value(c);
        }
        println!("{} — {} ({} elements)", c.basket.basket_id, clean(&c.basket.name), c.basket_elements.len());
        if !c.basket.description.is_empty() {
            println!("{}", clean(&c.basket.description));
        }
        for e in &c.basket_elements {
            let r = &e.record;
            let kind = if r.looks_like_story() { "story" } else { r.phrasea_type.as_str() };
            let vote = match e.agreement {
                Some(true) => " [yes]",
                Some(false) => " [no]",
                None if e.validation_item => " [not voted]",
                None => "",
            };
            println!("{}\t{}/{}\t{}\t{}{vote}", e.order, r.databox_id, r.record_id, kind, clean(&r.title));
        }
        Ok(())
    }

    pub fn record(&self, r: &Record, embed: &[Subdef], caption: &[CaptionField]) -> Result<()> {
        if self.json {
            #[derive(Serialize)]
            struct Full<'a> {
                record: &'a Record,
                embed: &'a [Subdef],
                caption: &'a [CaptionField],
            }
            return self.value(&Full { record: r, embed, caption });
        }
        println!("{}/{} — {}", r.databox_id, r.record_id, clean(&r.title));
        println!("type: {}  mime: {}", r.phrasea_type, r.mime_type.as_deref().unwrap_or("-"));
        if let Some(n) = &r.original_name {
            println!("original name: {}", clean(n));
        }
        println!(
            "created: {}  updated: {}",
            r.created_on.as_deref().unwrap_or("-"),
            r.updated_on.as_deref().unwrap_or("-")
        );
        for s in embed {
            println!(
                "subdef {}: {}x{} {} bytes {}",
                clean(&s.name),
                s.width,
                s.height,
                s.filesize,
                s.mime_type.as_deref().unwrap_or("")
            );
        }
        for f in caption {
            println!("{}: {}", clean(&f.name), clean(f.value.as_deref().unwrap_or("")));
        }
        Ok(())
    }

    pub fn story(&self, s: &Story) -> Result<()> {
        if self.json {
            return self.value(s);
        }
        println!(
            "{}/{} — {} ({} records)",
            s.databox_id,
            s.story_id,
            clean(s.title().unwrap_or("(untitled story)")),
            s.records.len()
        );
        for r in &s.records {
            println!("  {}/{}\t{}\t{}", r.databox_id, r.record_id, r.phrasea_type, clean(&r.title));
        }
        Ok(())
    }

    pub fn search(&self, r: &SearchResult, facets: bool) -> Result<()> {
        if self.json {
            return self.value(r);
        }
        let shown = r.results.records.len() + r.results.stories.len();
        println!(
            "{}–{} of {} results ({} ms)",
            r.offset_start + 1.min(shown as i64),
            r.offset_start + shown as i64,
            r.total_results,
            r.query_time
        );
        for rec in &r.results.records {
            println!("{}/{}\t{}\t{}", rec.databox_id, rec.record_id, rec.phrasea_type, clean(&rec.title));
        }
        for s in &r.results.stories {
            println!("{}/{}\tstory\t{}", s.databox_id, s.story_id, clean(s.title().unwrap_or("")));
        }
        if facets {
            for f in &r.facets {
                println!("\n{}:", clean(if f.name.is_empty() { &f.field } else { &f.name }));
                for v in &f.values {
                    println!("  {}\t{}\t{}", v.count, clean(&v.value), clean(&v.query));
                }
            }
        }
        Ok(())
    }

    pub fn collections(&self, all: &[(Databox, Vec<Collection>)]) -> Result<()> {
        if self.json {
            let v: Vec<_> =
                all.iter().map(|(db, cs)| serde_json::json!({ "databox": db, "collections": cs })).collect();
            return self.value(&v);
        }
        for (db, cs) in all {
            println!(
                "{}\t{}",
                db.databox_id,
                clean(if db.viewname.is_empty() { &db.name } else { &db.viewname })
            );
            for c in cs {
                println!("  base {}\t{}\t({} records)", c.base_id, clean(&c.name), c.record_amount);
            }
        }
        Ok(())
    }

    pub fn feeds(&self, feeds: &[Feed]) -> Result<()> {
        if self.json {
            return self.value(feeds);
        }
        for f in feeds {
            println!("{}\t{}\t({} entries)", f.id, clean(&f.title), f.total_entries);
        }
        Ok(())
    }

    pub fn feed(&self, c: &FeedContent) -> Result<()> {
        if self.json {
            return self.value(c);
        }
        if let Some(f) = &c.feed {
            println!("{} — {} ({} entries)", f.id, clean(&f.title), f.total_entries);
        }
        for e in &c.entries {
            println!("entry {}\t{}\t{} items", e.id, clean(&e.title), e.items.len());
            for i in &e.items {
                println!("  {}/{}\t{}", i.record.databox_id, i.record.record_id, clean(&i.record.title));
            }
        }
        Ok(())
    }

    pub fn related(&self, r: &Related) -> Result<()> {
        if self.json {
            return self.value(r);
        }
        if r.baskets.is_empty() && r.stories.is_empty() {
            println!("not in any of your baskets or stories");
        }
        for b in &r.baskets {
            println!("basket {}\t{}", b.basket_id, clean(&b.name));
        }
        for s in &r.stories {
            let title = s.title().unwrap_or_default();
            println!("story {}/{}\t{}", s.databox_id, s.story_id, clean(title));
        }
        Ok(())
    }
}
