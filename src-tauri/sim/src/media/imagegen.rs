//! Generated thumbnails and previews: a colour field (hue derived from the record) with the record id
//! drawn in the bitmap font, padded to an exact, precomputed size so that `filesize` in the JSON is right
//! before the image is ever generated.

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{ImageEncoder, Rgb, RgbImage};

use super::font;

fn hsv(h: f32, s: f32, v: f32) -> [f32; 3] {
    let c = v * s;
    let x = c * (1.0 - ((h / 60.0) % 2.0 - 1.0).abs());
    let m = v - c;
    let (r, g, b) = match (h / 60.0) as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    [(r + m) * 255.0, (g + m) * 255.0, (b + m) * 255.0]
}

/// Draws the picture of a record: `title` big (the record id), `label` small (its type).
pub fn render(seed: u64, title: &str, label: &str, width: u32, height: u32) -> RgbImage {
    let hue = (seed.wrapping_mul(137) % 360) as f32;
    let top = hsv(hue, 0.55, 0.90);
    let bottom = hsv((hue + 40.0) % 360.0, 0.70, 0.45);
    let mut img = RgbImage::from_fn(width, height, |_, y| {
        let t = y as f32 / height.max(1) as f32;
        Rgb([
            (top[0] + (bottom[0] - top[0]) * t) as u8,
            (top[1] + (bottom[1] - top[1]) * t) as u8,
            (top[2] + (bottom[2] - top[2]) * t) as u8,
        ])
    });
    let white = Rgb([255, 255, 255]);
    let scale = (width / (font::text_width(title, 1) + 12).max(1)).clamp(1, (height / 16).max(1));
    let tw = font::text_width(title, scale);
    let x0 = width.saturating_sub(tw) / 2;
    let y0 = height.saturating_sub(7 * scale) / 2;
    font::draw(title, x0, y0, scale, |x, y| {
        if x < width && y < height {
            img.put_pixel(x, y, white);
        }
    });
    let small = (scale / 3).max(1);
    let lw = font::text_width(label, small);
    let ly = (y0 + 7 * scale + 3 * small).min(height.saturating_sub(8 * small));
    font::draw(label, width.saturating_sub(lw) / 2, ly, small, |x, y| {
        if x < width && y < height {
            img.put_pixel(x, y, white);
        }
    });
    img
}

pub fn jpeg(img: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = JpegEncoder::new_with_quality(&mut out, quality).write_image(
        img.as_raw(),
        img.width(),
        img.height(),
        image::ExtendedColorType::Rgb8,
    );
    out
}

pub fn png(img: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = PngEncoder::new(&mut out).write_image(
        img.as_raw(),
        img.width(),
        img.height(),
        image::ExtendedColorType::Rgb8,
    );
    out
}

/// Inserts COM segments after SOI/APP0 so that the JPEG is exactly `target` bytes. None if impossible.
pub fn pad_jpeg(jpeg: &[u8], target: usize) -> Option<Vec<u8>> {
    if jpeg.len() > target || jpeg.len() < 4 {
        return None;
    }
    let mut gap = target - jpeg.len();
    if gap == 0 {
        return Some(jpeg.to_vec());
    }
    if gap < 4 {
        return None;
    }
    // After SOI, and after APP0 (JFIF) when present.
    let mut at = 2;
    if jpeg.len() > 6 && jpeg[2] == 0xFF && jpeg[3] == 0xE0 {
        at = 4 + u16::from_be_bytes([jpeg[4], jpeg[5]]) as usize;
    }
    let mut out = Vec::with_capacity(target);
    out.extend_from_slice(&jpeg[..at]);
    while gap > 0 {
        // A segment is 4..=65537 bytes; never leave a remainder of 1..3.
        let mut seg = gap.min(65_537);
        if gap - seg > 0 && gap - seg < 4 {
            seg -= 4;
        }
        out.extend_from_slice(&[0xFF, 0xFE]);
        out.extend_from_slice(&((seg - 2) as u16).to_be_bytes());
        out.resize(out.len() + seg - 4, b' ');
        gap -= seg;
    }
    out.extend_from_slice(&jpeg[at..]);
    Some(out)
}

pub fn crc32(parts: &[&[u8]]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for part in parts {
        for &b in *part {
            crc ^= b as u32;
            for _ in 0..8 {
                crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
    }
    !crc
}

/// A PNG chunk (length, type, data, CRC).
pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 12);
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc32(&[kind, data]).to_be_bytes());
    out
}

/// Inserts a `tEXt` chunk before IEND so that the PNG is exactly `target` bytes. None if impossible.
pub fn pad_png(png: &[u8], target: usize) -> Option<Vec<u8>> {
    if png.len() > target || png.len() < 12 {
        return None;
    }
    let gap = target - png.len();
    if gap == 0 {
        return Some(png.to_vec());
    }
    if gap < 12 + 8 {
        return None;
    }
    let mut text = b"Comment\0".to_vec();
    text.resize(gap - 12, b' ');
    let iend = png.len() - 12;
    let mut out = png[..iend].to_vec();
    out.extend_from_slice(&png_chunk(b"tEXt", &text));
    out.extend_from_slice(&png[iend..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_hits_exact_sizes() {
        let img = render(7, "1/42", "IMAGE", 240, 160);
        let j = jpeg(&img, 80);
        for extra in [0, 4, 5, 100, 65_537, 65_538, 65_539, 65_541, 200_000] {
            let p = pad_jpeg(&j, j.len() + extra).expect("pad");
            assert_eq!(p.len(), j.len() + extra);
            assert!(image::load_from_memory(&p).is_ok());
        }
        let p = png(&img);
        let padded = pad_png(&p, p.len() + 5000).unwrap();
        assert_eq!(padded.len(), p.len() + 5000);
        assert!(image::load_from_memory(&padded).is_ok());
    }
}
