//! One word for each thing (#30 item 8): the glossary in `src/text/glossary.rs`
//! and README's 用语 list the same words, and no source the user reads uses
//! a word the glossary sets aside.

use std::fs;
use std::path::Path;

/// The glossary's rows: (word, the words it replaces).
fn rows(text: &str, prefix: &str) -> Vec<(String, Vec<String>)> {
    text.lines()
        .filter_map(|l| l.strip_prefix(prefix))
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Word") && !l.starts_with("|---"))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            let not = cells[2]
                .split(", ")
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect();
            (cells[0].to_owned(), not)
        })
        .collect()
}

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if ["rs", "js", "html"]
            .contains(&path.extension().and_then(|e| e.to_str()).unwrap_or(""))
        {
            out.push((
                path.display().to_string(),
                fs::read_to_string(&path).unwrap(),
            ));
        }
    }
}

#[test]
fn the_glossary_and_readme_list_the_same_words() {
    let glossary = rows(&fs::read_to_string("src/text/glossary.rs").unwrap(), "//! ");
    let readme = rows(&fs::read_to_string("README.md").unwrap(), "");
    assert!(glossary.len() >= 10, "{glossary:?}");
    assert_eq!(
        glossary.iter().map(|r| &r.0).collect::<Vec<_>>(),
        readme.iter().map(|r| &r.0).collect::<Vec<_>>()
    );
    assert_eq!(glossary, readme);
}

#[test]
fn no_screen_uses_a_word_the_glossary_sets_aside() {
    let glossary = rows(&fs::read_to_string("src/text/glossary.rs").unwrap(), "//! ");
    let set_aside: Vec<&String> = glossary.iter().flat_map(|r| &r.1).collect();
    assert!(set_aside.iter().any(|w| *w == "县区"));
    let mut all = Vec::new();
    sources(Path::new("src"), &mut all);
    let mut found = Vec::new();
    for (path, text) in &all {
        if path.ends_with("glossary.rs") {
            continue;
        }
        for word in &set_aside {
            if text.contains(word.as_str()) {
                found.push(format!("{path}: {word}"));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}
