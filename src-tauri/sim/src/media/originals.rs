//! Originals of realistic size with an exact `sha256`, at O(1) cost per record: each original is a
//! common prefix per media type (a real file plus filler in a metadata container) followed by a short
//! record-specific tail. The prefix is built and hashed once per process; a record's digest clones the
//! hasher state that already absorbed the prefix.

use std::sync::OnceLock;

use bytes::Bytes;
use sha2::{Digest, Sha256};

use super::imagegen::{crc32, png_chunk};
use super::range::Piece;
use crate::model::{Kind, Record};

pub static LANDSCAPE_JPG: &[u8] = include_bytes!("../../assets/original-landscape.jpg");
pub static PORTRAIT_JPG: &[u8] = include_bytes!("../../assets/original-portrait.jpg");
pub static BASE_PNG: &[u8] = include_bytes!("../../assets/original.png");
pub static SAMPLE_MP4: &[u8] = include_bytes!("../../assets/sample.mp4");
pub static SAMPLE_MP3: &[u8] = include_bytes!("../../assets/sample.mp3");
pub static SAMPLE_PDF: &[u8] = include_bytes!("../../assets/sample.pdf");

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Base {
    JpegLandscape,
    JpegPortrait,
    Png,
    Mp4,
    Mp3,
    Pdf,
    Swf,
    Zip,
}

const BASES: usize = 8;
const MP4_TAG: usize = 64;
const SWF_TAG: usize = 64;

pub struct Prefix {
    pub bytes: Bytes,
    hasher: Sha256,
}

static PREFIXES: [OnceLock<Prefix>; BASES] = [const { OnceLock::new() }; BASES];

/// Deterministic pseudo-random filler (xorshift64*), 8 bytes per step.
fn filler(len: usize, seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 8);
    let mut s = seed | 1;
    while out.len() < len {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        out.extend_from_slice(&s.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
    }
    out.truncate(len);
    out
}

fn base_of(record: &Record) -> Option<Base> {
    Some(match record.kind {
        Kind::Jpeg if record.height > record.width => Base::JpegPortrait,
        Kind::Jpeg => Base::JpegLandscape,
        Kind::Png => Base::Png,
        Kind::Video => Base::Mp4,
        Kind::Audio => Base::Mp3,
        Kind::Pdf => Base::Pdf,
        Kind::Flash => Base::Swf,
        Kind::Unknown => Base::Zip,
        Kind::Story => return None,
    })
}

/// JPEG: filler in APP15 segments after APP0, then the picture, without its final EOI.
fn jpeg_prefix(jpeg: &[u8], filler_len: usize, seed: u64) -> Vec<u8> {
    let at = 4 + u16::from_be_bytes([jpeg[4], jpeg[5]]) as usize;
    let mut out = jpeg[..at].to_vec();
    for chunk in filler(filler_len, seed).chunks(65_000) {
        out.extend_from_slice(&[0xFF, 0xEF]);
        out.extend_from_slice(&((chunk.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&jpeg[at..jpeg.len() - 2]);
    out
}

/// ZIP with one stored file; the per-record tail is the end-of-central-directory record and its comment.
fn zip_prefix() -> Vec<u8> {
    let name = b"phraseanet-sim.bin";
    let data = filler(180_000, 11);
    let crc = crc32(&[&data]);
    let mut out = Vec::new();
    let local = |out: &mut Vec<u8>, sig: u32| out.extend_from_slice(&sig.to_le_bytes());
    local(&mut out, 0x0403_4b50);
    out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]); // version, flags, stored, time, date
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(name);
    out.extend_from_slice(&data);
    let central = out.len();
    local(&mut out, 0x0201_4b50);
    out.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&[0; 12]); // extra, comment, disk, attrs
    out.extend_from_slice(&0u32.to_le_bytes()); // local header offset
    out.extend_from_slice(name);
    let size = out.len() - central;
    local(&mut out, 0x0605_4b50);
    out.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]);
    out.extend_from_slice(&(size as u32).to_le_bytes());
    out.extend_from_slice(&(central as u32).to_le_bytes());
    out
}

fn build(base: Base) -> Vec<u8> {
    match base {
        Base::JpegLandscape => jpeg_prefix(LANDSCAPE_JPG, 2_300_000, 1),
        Base::JpegPortrait => jpeg_prefix(PORTRAIT_JPG, 2_100_000, 2),
        // PNG: the picture without IEND; the tail adds a tEXt chunk and IEND.
        Base::Png => BASE_PNG[..BASE_PNG.len() - 12].to_vec(),
        Base::Mp4 => {
            // A trailing `free` box: filler, then the fixed-size record tag.
            let fill = filler(1_500_000, 3);
            let mut out = SAMPLE_MP4.to_vec();
            out.extend_from_slice(&((8 + fill.len() + MP4_TAG) as u32).to_be_bytes());
            out.extend_from_slice(b"free");
            out.extend_from_slice(&fill);
            out
        }
        Base::Mp3 => {
            // ID3v2.3 tag with a PRIV frame of filler, then the MPEG frames; the tail is an ID3v1 tag.
            let mut frame = b"phraseanet-sim\0".to_vec();
            frame.extend_from_slice(&filler(600_000, 4));
            let tag_size = frame.len() + 10;
            let syncsafe = |n: usize| {
                [(n >> 21) as u8 & 0x7F, (n >> 14) as u8 & 0x7F, (n >> 7) as u8 & 0x7F, n as u8 & 0x7F]
            };
            let mut out = b"ID3\x03\x00\x00".to_vec();
            out.extend_from_slice(&syncsafe(tag_size));
            out.extend_from_slice(b"PRIV");
            out.extend_from_slice(&(frame.len() as u32).to_be_bytes());
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(&frame);
            out.extend_from_slice(SAMPLE_MP3);
            out
        }
        Base::Pdf => SAMPLE_PDF.to_vec(),
        Base::Swf => {
            let fill = filler(60_000, 5);
            let total = 8 + 9 + 4 + 2 + fill.len() + SWF_TAG;
            let mut out = b"FWS\x0a".to_vec();
            out.extend_from_slice(&(total as u32).to_le_bytes());
            out.extend_from_slice(&[
                0x78, 0x00, 0x05, 0x5F, 0x00, 0x00, 0x0F, 0xA0, 0x00, 0x00, 0x18, 0x01, 0x00,
            ]);
            out.extend_from_slice(&[0x00, 0x00]); // End tag
            out.extend_from_slice(&fill);
            out
        }
        Base::Zip => zip_prefix(),
    }
}

fn prefix(base: Base) -> &'static Prefix {
    PREFIXES[base as usize].get_or_init(|| {
        let bytes = build(base);
        let mut hasher = Sha256::new();
        hasher.update(&bytes);
        Prefix { bytes: Bytes::from(bytes), hasher }
    })
}

fn fixed(text: &str, len: usize) -> Vec<u8> {
    let mut v: Vec<u8> = text.bytes().take(len).collect();
    v.resize(len, b' ');
    v
}

fn tail(record: &Record, base: Base) -> Vec<u8> {
    let tag = format!("phraseanet-sim record {}/{} {}", record.databox_id, record.record_id, record.uuid);
    match base {
        Base::JpegLandscape | Base::JpegPortrait => {
            let mut out = vec![0xFF, 0xFE];
            out.extend_from_slice(&((tag.len() + 2) as u16).to_be_bytes());
            out.extend_from_slice(tag.as_bytes());
            out.extend_from_slice(&[0xFF, 0xD9]);
            out
        }
        Base::Png => {
            let mut text = b"Comment\0".to_vec();
            text.extend_from_slice(tag.as_bytes());
            let mut out = png_chunk(b"tEXt", &text);
            out.extend_from_slice(&png_chunk(b"IEND", &[]));
            out
        }
        Base::Mp4 => fixed(&tag, MP4_TAG),
        Base::Swf => fixed(&tag, SWF_TAG),
        Base::Mp3 => {
            let mut out = b"TAG".to_vec();
            out.extend_from_slice(&fixed(&format!("Record {}/{}", record.databox_id, record.record_id), 30));
            out.extend_from_slice(&fixed("phraseanet-sim", 30));
            out.extend_from_slice(&fixed("Samples", 30));
            out.extend_from_slice(b"2025");
            out.extend_from_slice(&fixed(&record.uuid, 30));
            out.push(12);
            out
        }
        Base::Pdf => format!("%{tag}\n").into_bytes(),
        Base::Zip => {
            let comment = tag.as_bytes();
            let mut out = (comment.len() as u16).to_le_bytes().to_vec();
            out.extend_from_slice(comment);
            out
        }
    }
}

/// What the metadata writer adds when it rewrites a document in place (docs/real-servers.md, "sha256": it
/// writes the caption and the record UUID as `ImageUniqueID`, `WriteMetadatasWorker.php:265,281`). Inserted
/// into the tail in a way that keeps each format valid.
fn rewrite(record: &Record, base: Base, mut tail: Vec<u8>) -> Vec<u8> {
    let note = format!("ImageUniqueID={} written by the metadata writer", record.uuid);
    match base {
        // A second COM segment before EOI.
        Base::JpegLandscape | Base::JpegPortrait => {
            let eoi = tail.split_off(tail.len() - 2);
            tail.extend_from_slice(&[0xFF, 0xFE]);
            tail.extend_from_slice(&((note.len() + 2) as u16).to_be_bytes());
            tail.extend_from_slice(note.as_bytes());
            tail.extend_from_slice(&eoi);
            tail
        }
        // An iTXt-like tEXt chunk before IEND.
        Base::Png => {
            let iend = tail.split_off(tail.len() - 12);
            let mut text = b"ImageUniqueID\0".to_vec();
            text.extend_from_slice(record.uuid.as_bytes());
            tail.extend_from_slice(&png_chunk(b"tEXt", &text));
            tail.extend_from_slice(&iend);
            tail
        }
        // An incremental-update-style comment after the last %%EOF.
        _ => {
            tail.extend_from_slice(format!("%{note}\n%%EOF\n").as_bytes());
            tail
        }
    }
}

/// The record's tail as served (rewritten when `rewritten_document`).
fn served_tail(record: &Record, base: Base) -> Vec<u8> {
    let tail = tail(record, base);
    if record.rewritten_document && can_rewrite(record.kind) {
        rewrite(record, base, tail)
    } else {
        tail
    }
}

/// The default `metadata writer` mime types that the double has (`lib/conf.d/configuration.yml:435-441`:
/// JPEG, PNG, PDF; PostScript and TIFF are not in the datasets).
pub fn can_rewrite(kind: Kind) -> bool {
    matches!(kind, Kind::Jpeg | Kind::Png | Kind::Pdf)
}

/// The original's bytes as served: (common prefix, record tail). None for stories.
pub fn parts(record: &Record) -> Option<(Bytes, Bytes)> {
    let base = base_of(record)?;
    Some((prefix(base).bytes.clone(), Bytes::from(served_tail(record, base))))
}

/// Lowercase hex sha256 of the *uploaded* file: the record's `sha256` (docs/real-servers.md, "sha256"). Equal
/// to the hash of the served bytes unless the document was rewritten. None for stories.
pub fn upload_sha256(record: &Record) -> Option<String> {
    let base = base_of(record)?;
    let mut h = prefix(base).hasher.clone();
    h.update(tail(record, base));
    Some(hex::encode(h.finalize()))
}

/// Size in bytes of the document as served (the subdef's `filesize`). None for stories.
pub fn size(record: &Record) -> Option<u64> {
    let base = base_of(record)?;
    Some((prefix(base).bytes.len() + served_tail(record, base).len()) as u64)
}

/// Pixel size of the original picture for image records.
pub fn image_dimensions(record: &Record) -> (u32, u32) {
    match base_of(record) {
        Some(Base::JpegPortrait) => (800, 1200),
        Some(Base::JpegLandscape) | Some(Base::Png) => (1200, 800),
        _ => (record.width, record.height),
    }
}

/// Size of a record's video preview: the sample, or `Record::preview_size` when that leaves room for a
/// `free` box header (`SimOptions::video_preview_size`).
pub fn video_preview_size(record: &Record) -> u64 {
    let sample = SAMPLE_MP4.len() as u64;
    match record.preview_size {
        Some(size) if size >= sample + 16 => size,
        _ => sample,
    }
}

/// A video preview as served: the sample (faststart: `moov` then `mdat`, so the first frame is in its
/// first bytes) and, to reach `video_preview_size`, a top-level `free` box after them whose filler is made
/// on the fly from its position, as originals pad with MP4 `free` filler: still a playable MP4, at O(1)
/// memory whatever its size.
pub fn video_preview(record: &Record) -> Vec<Piece> {
    let sample = SAMPLE_MP4.len() as u64;
    let size = video_preview_size(record);
    if size == sample {
        return vec![Piece::Bytes(Bytes::from_static(SAMPLE_MP4))];
    }
    let boxed = size - sample;
    // ISO/IEC 14496-12 §4.2: a 32-bit size, or `1` and a 64-bit `largesize` after the type.
    let header = match u32::try_from(boxed) {
        Ok(n) => [&n.to_be_bytes()[..], b"free"].concat(),
        Err(_) => [&1u32.to_be_bytes()[..], b"free", &boxed.to_be_bytes()[..]].concat(),
    };
    let fill = boxed - header.len() as u64;
    vec![
        Piece::Bytes(Bytes::from_static(SAMPLE_MP4)),
        Piece::Bytes(Bytes::from(header)),
        Piece::Fill { from: 0, len: fill },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_padded_video_preview_is_the_sample_then_one_free_box() {
        let (data, _) = crate::fixtures::build(crate::Dataset::Demo, 0, Default::default());
        let mut video = data.records.iter().find(|r| r.kind == Kind::Video).unwrap().clone();
        let sample = SAMPLE_MP4.len();
        for (size, header) in [(10u64 << 20, 8usize), (5u64 << 30, 16)] {
            video.preview_size = Some(size);
            let pieces = video_preview(&video);
            let len = |p: &Piece| match p {
                Piece::Bytes(b) => b.len() as u64,
                Piece::Fill { len, .. } => *len,
            };
            assert_eq!(pieces.iter().map(len).sum::<u64>(), size);
            assert_eq!(video_preview_size(&video), size);
            let Piece::Bytes(h) = &pieces[1] else { panic!("a box header") };
            assert_eq!((h.len(), &h[4..8]), (header, &b"free"[..]));
            let boxed = if header == 8 {
                u32::from_be_bytes(h[..4].try_into().unwrap()) as u64
            } else {
                u64::from_be_bytes(h[8..16].try_into().unwrap())
            };
            assert_eq!(boxed, size - sample as u64);
        }
        video.preview_size = Some(sample as u64 + 3);
        assert_eq!(video_preview_size(&video), sample as u64, "too small to pad: the sample");
    }
}
