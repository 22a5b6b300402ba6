//! Build script: turns data/registry.csv into a Rust table of string slices, so
//! the app ships the registry without a CSV parser in the wasm. The columns
//! are emitted in `registry::COLUMNS` order, found by header name.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

include!("../src/domain/vocab/registry_columns.rs");

fn main() {
    println!("cargo:rerun-if-changed=data/registry.csv");
    println!("cargo:rerun-if-changed=tools/registry_build.rs");
    println!("cargo:rerun-if-changed=src/domain/vocab/registry_columns.rs");
    let mut reader =
        csv::Reader::from_path("data/registry.csv").expect("data/registry.csv is readable");
    let header = reader.headers().expect("registry header").clone();
    let positions: Vec<usize> = COLUMNS
        .iter()
        .map(|c| {
            header
                .iter()
                .position(|h| h == *c)
                .unwrap_or_else(|| panic!("registry.csv lacks column {c}"))
        })
        .collect();
    let mut out = format!("/// Generated from data/registry.csv by tools/registry_build.rs.\nconst ROWS: &[[&str; {}]] = &[\n", COLUMNS.len());
    for record in reader.records() {
        let record = record.expect("registry row parses");
        out.push_str("    [");
        for &p in &positions {
            write!(out, "{:?}, ", record.get(p).unwrap_or("").trim()).unwrap();
        }
        out.push_str("],\n");
    }
    out.push_str("];\n");
    let target = Path::new(&env::var("OUT_DIR").unwrap()).join("registry_rows.rs");
    fs::write(target, out).expect("write registry_rows.rs");
}
