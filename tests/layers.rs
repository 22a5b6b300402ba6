//! The domain's layers, enforced: every path a file under `src/domain` names is
//! checked against the layer table in ARCHITECTURE.md. A file may use its own
//! layer and the layers below it, never one above, never the app (`text`,
//! `ui`, `storage`), and the files of one layer may not import each other in a loop.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// `| 2 | `domain::log` | …` rows of ARCHITECTURE.md: module → layer.
fn layer_table() -> BTreeMap<String, u32> {
    let text = fs::read_to_string(Path::new(ROOT).join("ARCHITECTURE.md")).unwrap();
    let mut table = BTreeMap::new();
    for line in text.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 4 {
            continue;
        }
        let (Ok(layer), Some(module)) = (
            cells[1].parse::<u32>(),
            cells[2]
                .strip_prefix("`domain::")
                .and_then(|m| m.strip_suffix('`')),
        ) else {
            continue;
        };
        table.insert(module.to_owned(), layer);
    }
    table
}

/// Every Rust file under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The source without comments: a doc comment may name any module.
fn code_of(source: &str) -> String {
    source
        .lines()
        .map(|line| match line.find("//") {
            // `//` inside a string literal ("http://…") is rare in the domain; keep it simple.
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Each `prefix` occurrence followed by an identifier, with that identifier.
fn names_after<'a>(code: &'a str, prefix: &str) -> Vec<&'a str> {
    code.match_indices(prefix)
        .filter(|(at, _)| {
            // Not the tail of a longer path (`a_crate::domain::…`).
            !code[..*at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
        .map(|(at, _)| {
            let rest = &code[at + prefix.len()..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

struct DomainFile {
    /// Relative to src/domain, e.g. `queries/filter.rs`.
    path: String,
    /// Its layer module (`queries`), or its own name for a top-level file (`codec`).
    module: String,
    /// The file's name within its layer (`filter`); `mod` for the layer's mod.rs.
    name: String,
    code: String,
}

fn domain_files() -> Vec<DomainFile> {
    let domain = Path::new(ROOT).join("src/domain");
    rust_files(&domain)
        .into_iter()
        .filter(|p| p != &domain.join("mod.rs"))
        .map(|p| {
            let relative = p.strip_prefix(&domain).unwrap();
            let parts: Vec<String> = relative
                .iter()
                .map(|s| s.to_string_lossy().trim_end_matches(".rs").to_owned())
                .collect();
            DomainFile {
                path: relative.to_string_lossy().into_owned(),
                module: parts[0].clone(),
                name: parts.last().unwrap().clone(),
                code: code_of(&fs::read_to_string(&p).unwrap()),
            }
        })
        .collect()
}

/// What is wrong with the domain's imports; empty when the layering holds.
fn violations(table: &BTreeMap<String, u32>, files: &[DomainFile]) -> Vec<String> {
    let mut found = Vec::new();
    let mut same_layer: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let Some(&own) = table.get(&file.module) else {
            found.push(format!(
                "{}: module `{}` is not in ARCHITECTURE.md's layer table",
                file.path, file.module
            ));
            continue;
        };
        let in_layer_dir = file.path.contains('/') && file.name != "mod";
        if file.code.contains("super::super") || (!in_layer_dir && file.code.contains("super::")) {
            found.push(format!(
                "{}: reaches another layer through `super::`; name it as `crate::domain::<layer>::…`",
                file.path
            ));
        }
        for name in names_after(&file.code, "crate::") {
            if name != "domain" {
                found.push(format!(
                    "{}: the domain imports the app (`crate::{name}`)",
                    file.path
                ));
            }
        }
        let edges = same_layer.entry(file.path.clone()).or_default();
        for target in names_after(&file.code, "crate::domain::") {
            match table.get(target) {
                None => found.push(format!(
                    "{}: `crate::domain::{target}` is no layer of the table (a short alias hides the layer)",
                    file.path
                )),
                Some(&layer) if layer > own => found.push(format!(
                    "{}: layer {own} (`{}`) imports upward from layer {layer} (`{target}`)",
                    file.path, file.module
                )),
                Some(_) => {}
            }
        }
        // Files of the same layer that this one uses, for the loop check.
        let own_prefix = format!("crate::domain::{}::", file.module);
        let siblings = names_after(&file.code, &own_prefix)
            .into_iter()
            .chain(if in_layer_dir {
                names_after(&file.code, "super::")
            } else {
                Vec::new()
            });
        for sibling in siblings {
            if sibling != file.name {
                edges.insert(format!("{}/{sibling}.rs", file.module));
            }
        }
    }
    if let Some(cycle) = find_cycle(&same_layer) {
        found.push(format!(
            "files of one layer import each other in a loop: {}",
            cycle.join(" → ")
        ));
    }
    found
}

fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if !done.insert(node.to_owned()) {
            return None;
        }
        path.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|start| visit(start, edges, &mut Vec::new(), &mut done))
}

#[test]
fn the_layer_table_names_every_layer() {
    let table = layer_table();
    for module in ["codec", "order", "vocab", "log", "rules", "queries"] {
        assert!(
            table.contains_key(module),
            "ARCHITECTURE.md lacks `domain::{module}`"
        );
    }
    assert_eq!(table["codec"], 0, "the URL codec depends on nothing");
}

#[test]
fn nothing_in_the_domain_imports_upward() {
    let problems = violations(&layer_table(), &domain_files());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn file(path: &str, code: &str) -> DomainFile {
    let parts: Vec<&str> = path.trim_end_matches(".rs").split('/').collect();
    DomainFile {
        path: path.to_owned(),
        module: parts[0].to_owned(),
        name: parts.last().unwrap().to_string(),
        code: code_of(code),
    }
}

#[test]
fn the_check_catches_each_kind_of_violation() {
    let table = layer_table();
    let upward = file(
        "vocab/project.rs",
        "use crate::domain::rules::light::Light;",
    );
    assert!(violations(&table, &[upward])[0].contains("imports upward"));
    let app = file("log/ledger.rs", "fn f() { crate::text::APP_NAME }");
    assert!(violations(&table, &[app])[0].contains("imports the app"));
    let alias = file("rules/light.rs", "use crate::domain::filter::Query;");
    assert!(violations(&table, &[alias])[0].contains("no layer"));
    let sneaky = file("log/ledger.rs", "use super::super::queries::filter;");
    assert!(violations(&table, &[sneaky])[0].contains("super::"));
    let loop_a = file("queries/filter.rs", "use super::summary::x;");
    let loop_b = file(
        "queries/summary.rs",
        "use crate::domain::queries::filter::y;",
    );
    assert!(violations(&table, &[loop_a, loop_b])[0].contains("loop"));
    let comment = file(
        "vocab/people.rs",
        "/// See `crate::domain::rules::quotas`.\nfn f() {}",
    );
    assert!(
        violations(&table, &[comment]).is_empty(),
        "comments may name any layer"
    );
    let downward = file(
        "queries/summary.rs",
        "use crate::domain::log::ledger::Ledger;",
    );
    assert!(violations(&table, &[downward]).is_empty());
}

/// Lines of the sources under `src/` that decide something by comparing
/// translated text (`== t::…`, `!= t::…`): a state is a type, its words
/// only its display, so a reworded message can never change what happens.
fn text_comparisons(files: &[(String, String)]) -> Vec<String> {
    let mut found = Vec::new();
    for (name, source) in files {
        for (n, line) in code_of(source).lines().enumerate() {
            let squeezed: String = line.split_whitespace().collect();
            if ["==t::", "!=t::", "==text::", "!=text::"]
                .iter()
                .any(|p| squeezed.contains(p))
            {
                found.push(format!("{name}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn no_state_is_decided_by_comparing_translated_text() {
    let files: Vec<(String, String)> = rust_files(&Path::new(ROOT).join("src"))
        .into_iter()
        .map(|p| (p.display().to_string(), fs::read_to_string(&p).unwrap()))
        .collect();
    assert_eq!(text_comparisons(&files), Vec::<String>::new());
    // The check sees one.
    let bad = [(
        "x.rs".to_owned(),
        "if text == t::SYNC_OFF {}\nlet ok = a != t :: B;".to_owned(),
    )];
    assert_eq!(text_comparisons(&bad).len(), 2);
}

/// Lines of screens (files under `src/ui`, but the store, which is the
/// model they share) that reach storage directly instead of through the
/// store or `crate::settings`.
fn screens_touching_storage(files: &[(String, String)]) -> Vec<String> {
    let mut found = Vec::new();
    for (name, source) in files {
        if name.ends_with("ui/store.rs") {
            continue;
        }
        for (n, line) in code_of(source).lines().enumerate() {
            let squeezed: String = line.split_whitespace().collect();
            if squeezed.contains("storage::") || squeezed.contains("usecrate::storage") {
                found.push(format!("{name}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn no_screen_reaches_storage_but_through_the_store_or_settings() {
    let files: Vec<(String, String)> = rust_files(&Path::new(ROOT).join("src/ui"))
        .into_iter()
        .map(|p| (p.display().to_string(), fs::read_to_string(&p).unwrap()))
        .collect();
    assert!(files.len() > 20, "the screens are read");
    assert_eq!(screens_touching_storage(&files), Vec::<String>::new());
    let bad = [
        (
            "src/ui/x.rs".to_owned(),
            "let me = crate::storage::me();\nuse crate::storage;".to_owned(),
        ),
        ("src/ui/store.rs".to_owned(), "storage::open()".to_owned()),
    ];
    assert_eq!(screens_touching_storage(&bad).len(), 2);
}
