//! The URL codec: percent-encoding and `a=1&b=2` pairs. It depends on nothing
//! else in the domain, so every layer may use it.

pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `?a=1&b=x%20y` → ("a", "1"), ("b", "x%20y"): values still encoded.
pub fn pairs(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
}

/// `a=1&b=x%20y` → [("a", "1"), ("b", "x y")]; for the office pages' own small queries.
pub fn params(text: &str) -> Vec<(String, String)> {
    pairs(text)
        .map(|(key, value)| (key.to_owned(), percent_decode(value)))
        .collect()
}
