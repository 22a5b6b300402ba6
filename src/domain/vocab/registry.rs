//! The shipped registry: `data/registry.csv`, compiled into the app.

use crate::domain::vocab::project::{
    Cluster, ClusterBy, District, Origin, Procedure, Project, Stage,
};
use std::fmt;

/// Title of the source article every shipped fact comes from.
pub const SOURCE_ARTICLE: &str =
    "鞍山市全力扩大有效投资打响攻坚之战 把“项目增量”转化为“效益增量”（本报记者 刘家伟）";

// `ROWS`: data/registry.csv as a table, in `COLUMNS` order (tools/registry_build.rs).
include!(concat!(env!("OUT_DIR"), "/registry_rows.rs"));

// `COLUMNS`: the registry's columns, shared with the build script.
include!("registry_columns.rs");

#[derive(Debug, Clone, PartialEq)]
pub struct RegistryError {
    /// 1-based line in the CSV file (the header is line 1).
    pub line: u64,
    pub message: String,
}

impl fmt::Display for RegistryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "registry line {}: {}", self.line, self.message)
    }
}

/// The registry as shipped. The CSV is checked by the native tests, so a
/// failure here is a build defect, not a user error.
pub fn shipped() -> Vec<Project> {
    ROWS.iter()
        .map(|row| row_to_project(&|i| row[i]).expect("data/registry.csv is checked by tests"))
        .collect()
}

/// Parses registry CSV text (natively: the tests check the shipped file and bad rows with it).
#[cfg(not(target_arch = "wasm32"))]
pub fn parse(text: &str) -> Result<Vec<Project>, RegistryError> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| RegistryError {
            line: 1,
            message: e.to_string(),
        })?
        .clone();
    let position = |name: &str| header.iter().position(|h| h == name);
    let mut columns = Vec::with_capacity(COLUMNS.len());
    for name in COLUMNS {
        columns.push(position(name).ok_or_else(|| RegistryError {
            line: 1,
            message: format!("missing column {name}"),
        })?);
    }
    let mut projects = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| RegistryError {
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| record.get(columns[i]).unwrap_or("").trim();
        let fail = |message: String| RegistryError { line, message };
        projects.push(row_to_project(&field).map_err(fail)?);
    }
    let mut ids: Vec<&str> = projects.iter().map(|p| p.id.as_str()).collect();
    ids.sort_unstable();
    if let Some(pair) = ids.windows(2).find(|w| w[0] == w[1]) {
        return Err(RegistryError {
            line: 0,
            message: format!("duplicate id {}", pair[0]),
        });
    }
    Ok(projects)
}

fn row_to_project<'a>(field: &dyn Fn(usize) -> &'a str) -> Result<Project, String> {
    let id = field(0);
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(format!("bad id「{id}」"));
    }
    let name = field(1);
    if name.is_empty() {
        return Err("empty name".into());
    }
    let district = optional(field(3), District::from_name, "district")?;
    let cluster = optional(field(7), Cluster::from_name, "cluster")?;
    let cluster_by = match (field(8), cluster) {
        ("", None) => None,
        ("本应用分类", Some(_)) => Some(ClusterBy::Ledger),
        (other, _) => return Err(format!("cluster_by「{other}」does not fit cluster")),
    };
    let stage = optional(field(9), Stage::from_name, "stage")?;
    let mut project = Project::new_user_added(id.to_owned(), name.to_owned(), district);
    project.origin = Origin::Registry;
    project.owner = field(2).to_owned();
    project.list = field(4).to_owned();
    project.category = field(5).to_owned();
    project.scale = field(6).to_owned();
    project.cluster = cluster;
    project.cluster_by = cluster_by;
    project.stage = stage;
    for name in field(10)
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let procedure =
            Procedure::from_name(name).ok_or_else(|| format!("unknown procedure「{name}」"))?;
        project.procedures[procedure as usize].done = true;
    }
    project.site_area_m2 = optional(field(11), |s| s.parse().ok(), "site_area_m2")?;
    project.floor_area_m2 = optional(field(12), |s| s.parse().ok(), "floor_area_m2")?;
    project.facts = field(13)
        .split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    project.source = field(14).to_owned();
    Ok(project)
}

fn optional<T>(
    text: &str,
    parse: impl Fn(&str) -> Option<T>,
    what: &str,
) -> Result<Option<T>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    parse(text)
        .map(Some)
        .ok_or_else(|| format!("unknown {what}「{text}」"))
}
