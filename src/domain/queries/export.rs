//! CSV for Excel: UTF-8 with a byte-order mark (so Excel shows Chinese), Chinese
//! headers, one row a project, dates as YYYY-MM-DD, CRLF line ends.

use crate::domain::vocab::date::Date;
use crate::domain::vocab::project::{ClusterBy, Procedure, Project};

const BOM: &str = "\u{feff}";

/// What a cell may start with that a spreadsheet could run as a formula
/// (a leading tab or CR is skipped by some before they look), and the
/// guard's own apostrophe, so that text starting with one reads back as it was.
pub(crate) const GUARDED: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

/// Quotes a field when it needs it; text that a spreadsheet would run as a
/// formula gets a leading apostrophe, as Excel itself writes.
fn field(text: &str, out: &mut String) {
    let guarded = text.starts_with(GUARDED);
    let quoted = guarded || text.contains([',', '"', '\r', '\n']);
    if quoted {
        out.push('"');
    }
    if guarded {
        out.push('\'');
    }
    for c in text.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quoted {
        out.push('"');
    }
}

fn row(fields: &[String], out: &mut String) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(f, out);
    }
    out.push_str("\r\n");
}

fn date(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// The projects as CSV; `steward_names` gives a project's stewards, joined.
pub fn projects_csv(projects: &[&Project], steward_names: &dyn Fn(&Project) -> String) -> String {
    let mut out = String::from(BOM);
    let mut header: Vec<String> = [
        "编号",
        "项目名称",
        "业主单位",
        "区县",
        "所在名单",
        "类别",
        "建设规模",
        "产业集群",
        "集群来源",
        "阶段",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for p in Procedure::ALL {
        header.push(p.name().to_owned());
        header.push(format!("{}日期", p.name()));
    }
    header.extend(
        [
            "签约日期",
            "计划开工日期",
            "实际开工日期",
            "总投资（万元）",
            "包保",
            "备注",
            "出处",
        ]
        .map(String::from),
    );
    row(&header, &mut out);
    for p in projects {
        let mut fields = vec![
            p.id.clone(),
            p.name.clone(),
            p.owner.clone(),
            p.district.map_or(String::new(), |d| d.name().to_owned()),
            p.list.clone(),
            p.category.clone(),
            p.scale.clone(),
            p.cluster.map_or(String::new(), |c| c.name().to_owned()),
            match p.cluster_by {
                Some(ClusterBy::Ledger) => "本应用分类".to_owned(),
                Some(ClusterBy::User) => "用户填写".to_owned(),
                None => String::new(),
            },
            p.stage.map_or(String::new(), |s| s.name().to_owned()),
        ];
        for state in &p.procedures {
            fields.push(if state.done { "已办" } else { "未办" }.to_owned());
            fields.push(date(state.date));
        }
        fields.extend([
            date(p.signed_on),
            date(p.planned_start),
            date(p.actual_start),
            p.investment_wan
                .map(crate::domain::rules::validate::format_wan)
                .unwrap_or_default(),
            steward_names(p),
            p.notes.clone(),
            p.source.clone(),
        ]);
        row(&fields, &mut out);
    }
    out
}
