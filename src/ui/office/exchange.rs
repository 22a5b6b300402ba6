//! Exchange with Excel and other devices: CSV export of the list's current
//! filter (every page of it), CSV import with a preview, edit bundles with
//! conflict review, full backup and restore. Every file is untrusted: what it
//! holds reaches the page only as text.

use crate::domain::edit::Subject;
use crate::domain::exchange::{
    self, backup_json, bundle_json, new_entries, plan_csv, plan_sheet, read_backup, read_bundle,
    readable, unsent, Backup, Bundle, FileError, ImportPlan, BACKUP_FORMAT, FILE_VERSION,
    MAX_FILE_BYTES,
};
use crate::domain::export::ReadSheet;
use crate::domain::filter::{self, Facet, Query};
use crate::domain::District;
use crate::domain::{Change, Edit, Ledger};
use crate::text as t;
use crate::ui::browser::{download, hold_target};
use crate::ui::collation::pinyin_initials;
use crate::ui::{local_midnight_ms, today, Route, Store};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// The spreadsheet module's script, relative to the office page.
const SHEETS: &str = "../sheets/ledger-sheets.js";

#[wasm_bindgen(module = "/src/sheets_loader.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = writeXlsx)]
    async fn write_xlsx(path: &str, book: &str, name: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = readXlsx)]
    async fn read_xlsx(path: &str, bytes: &js_sys::Uint8Array) -> Result<JsValue, JsValue>;
}

#[component]
pub fn ExchangePage(query: Query) -> impl IntoView {
    let store = expect_context::<Store>();
    let query = StoredValue::new(query);
    let count = move || {
        store
            .ledger()
            .with(|l| query.with_value(|q| shown_projects(l, q).len()))
    };
    // What a file of the list is named: its districts, or 全部 / 筛选结果, and the day.
    let file_name = move |extension: &str| {
        let q = query.get_value();
        let districts: Vec<&str> = q
            .selected
            .get(&Facet::District)
            .map(|keys| {
                keys.iter()
                    .map(|k| t::district_name(District::from_key(k)))
                    .collect()
            })
            .unwrap_or_default();
        t::export_file_name(&districts, q.is_filtered(), &today().to_string(), extension)
    };
    let export = move |ev: leptos::ev::MouseEvent| {
        let Some(held) = hold_target(&ev) else {
            return;
        };
        held.release();
        let csv = store.ledger().with_untracked(|l| {
            crate::domain::export::projects_csv(l, &shown_projects(l, &query.get_value()))
        });
        download(&file_name("csv"), "text/csv", &csv);
    };
    let said = RwSignal::new(None::<String>);
    let export_xlsx = move |ev: leptos::ev::MouseEvent| {
        let Some(held) = hold_target(&ev) else {
            return;
        };
        let book = store.ledger().with_untracked(|l| {
            let projects = shown_projects(l, &query.get_value());
            let sheets = crate::domain::export::workbook(l, &projects);
            serde_json::to_string(&sheets).expect("sheets of strings serialize")
        });
        let name = file_name("xlsx");
        said.set(Some(t::SHEETS_WORKING.to_owned()));
        leptos::task::spawn_local(async move {
            said.set(Some(match write_xlsx(SHEETS, &book, &name).await {
                Ok(_) => t::xlsx_exported(&name, count()),
                Err(_) => t::SHEETS_UNAVAILABLE.to_owned(),
            }));
            held.release();
        });
    };
    let back = Route::List(query.get_value()).from_office();
    view! {
        <h1 class="page-title">{t::EXCHANGE_HEADING}</h1>
        <section class="card">
            <h2>{t::EXPORT_LIST}</h2>
            <p>{move || t::export_scope(count())} " " <a href=back>{t::PRINT_CHANGE_FILTER}</a></p>
            <p class="hint">{t::EXPORT_HINT}</p>
            <div class="actions">
                <button type="button" class="primary" on:click=export_xlsx>{t::EXPORT_XLSX}</button>
                <button type="button" on:click=export>{t::EXPORT_CSV}</button>
            </div>
            <p role="status" data-testid="export-said">{move || said.get()}</p>
        </section>
        <ImportCsv/>
        <Bundles/>
        <BackupRestore/>
    }
}

/// The list's current filter, every page of it.
fn shown_projects<'a>(ledger: &'a Ledger, q: &Query) -> Vec<&'a crate::domain::Project> {
    filter::select(
        ledger,
        q,
        q.changed_since.map(local_midnight_ms),
        today(),
        &pinyin_initials,
    )
}

/// The spreadsheet module's answer as the sheet it read; `None` (undefined)
/// when the bytes were no workbook.
fn read_sheet(answer: &JsValue) -> Option<ReadSheet> {
    serde_json::from_str(&answer.as_string()?).ok()
}

/// Reads a chosen file's bytes, refusing one over the size limit unread.
async fn read_file(input: &web_sys::HtmlInputElement) -> Result<Option<Vec<u8>>, FileError> {
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return Ok(None);
    };
    if file.size() > MAX_FILE_BYTES as f64 {
        return Err(FileError::TooLarge);
    }
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| FileError::Empty)?;
    Ok(Some(js_sys::Uint8Array::new(&buffer).to_vec()))
}

/// UTF-8 (with or without BOM) as is; anything else as GB18030, what Chinese
/// Excel's "Save as CSV" writes. The browser's TextDecoder holds the tables.
fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => web_sys::TextDecoder::new_with_label("gb18030")
            .and_then(|d| d.decode_with_u8_array(bytes))
            .unwrap_or_default(),
    }
}

/// Runs `then` with the bytes of the file chosen in the input that fired `ev`.
/// `then` boxed: one copy of the reading for the three file pickers.
fn on_file(ev: leptos::ev::Event, error: RwSignal<Option<String>>, then: Box<dyn FnOnce(Vec<u8>)>) {
    let input: web_sys::HtmlInputElement = event_target(&ev);
    leptos::task::spawn_local(async move {
        match read_file(&input).await {
            Ok(Some(bytes)) => {
                error.set(None);
                then(bytes);
            }
            Ok(None) => {}
            Err(e) => error.set(Some(t::file_error(&e))),
        }
        // The same file can be chosen again after a fix.
        input.set_value("");
    });
}

fn change_text(ledger: &crate::domain::Ledger, change: &Change) -> String {
    t::describe_change(change, &|id| {
        ledger
            .person_name(id)
            .unwrap_or(t::UNKNOWN_PERSON)
            .to_owned()
    })
}

#[component]
fn ImportCsv() -> impl IntoView {
    let store = expect_context::<Store>();
    let plan = RwSignal::new(None::<ImportPlan>);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let choose = move |ev| {
        done.set(None);
        plan.set(None);
        on_file(
            ev,
            error,
            Box::new(move |bytes| {
                leptos::task::spawn_local(async move {
                    let planned = match bytes.get(..4) {
                        // A zip: .xlsx, read by the spreadsheet module.
                        Some(b"PK\x03\x04") => {
                            done.set(Some(t::SHEETS_WORKING.to_owned()));
                            let read =
                                read_xlsx(SHEETS, &js_sys::Uint8Array::from(&bytes[..])).await;
                            done.set(None);
                            let Ok(sheet) = read else {
                                return error.set(Some(t::SHEETS_UNAVAILABLE.to_owned()));
                            };
                            read_sheet(&sheet)
                                .ok_or(FileError::NotASpreadsheet)
                                .and_then(|sheet| {
                                    store.ledger().with_untracked(|l| plan_sheet(l, sheet))
                                })
                        }
                        // An old binary .xls (or another OLE file).
                        Some([0xd0, 0xcf, 0x11, 0xe0]) => Err(FileError::NotASpreadsheet),
                        _ => store
                            .ledger()
                            .with_untracked(|l| plan_csv(l, &decode(&bytes))),
                    };
                    match planned {
                        Ok(p) => plan.set(Some(p)),
                        Err(e) => error.set(Some(t::file_error(&e))),
                    }
                })
            }),
        );
    };
    let apply = move |_| {
        let Some(p) = plan.get_untracked() else {
            return;
        };
        if store.ledger().with_untracked(|l| l.version()) != p.version {
            error.set(Some(t::LEDGER_CHANGED.to_owned()));
            plan.set(None);
            return;
        }
        let mut changes = Vec::with_capacity(p.change_count());
        for row in p.added.iter().chain(&p.updated) {
            let subject = row
                .project
                .clone()
                .or_else(|| row.new_id.clone())
                .unwrap_or_else(|| store.new_project_id(created_in(&row.changes)));
            changes.extend(row.changes.iter().map(|c| (subject.clone(), c.clone())));
        }
        match store.change_all(changes) {
            Ok(n) => {
                done.set(Some(t::import_done(
                    p.added.len(),
                    p.updated.len(),
                    n,
                    p.unchanged,
                    p.rejected.len(),
                )));
                plan.set(None);
            }
            Err(e) => error.set(Some(t::input_error(e))),
        }
    };
    let preview = move || {
        plan.with(|p| {
            let p = p.as_ref()?;
            let rows = |rows: &[exchange::PlannedRow]| {
                store.ledger().with_untracked(|l| {
                    rows.iter()
                        .map(|r| {
                            let changes = r
                                .changes
                                .iter()
                                .zip(r.old_values(l))
                                .map(|(c, old)| match old {
                                    Some(old) => t::old_to_new(&change_text(l, &old), &change_text(l, c)),
                                    None => change_text(l, c),
                                })
                                .collect::<Vec<_>>()
                                .join("；");
                            view! { <li>{t::line_reason(r.line, &r.name)} <br/><small>{changes}</small></li> }
                        })
                        .collect_view()
                })
            };
            let rejected = p
                .rejected
                .iter()
                .map(|r| view! { <li>{t::line_reason(r.line, &t::row_error(&r.error))}</li> })
                .collect_view();
            Some(view! {
                <div class="preview" data-testid="import-preview">
                    <h3>{t::PREVIEW_ADDED} " " {p.added.len()}</h3>
                    <ul data-testid="import-added">{rows(&p.added)}</ul>
                    <h3>{t::PREVIEW_UPDATED} " " {p.updated.len()}</h3>
                    <ul data-testid="import-updated">{rows(&p.updated)}</ul>
                    <p>{t::unchanged_rows(p.unchanged)}</p>
                    <h3>{t::PREVIEW_REJECTED} " " {p.rejected.len()}</h3>
                    <ul data-testid="import-rejected">{rejected}</ul>
                    {(!p.unknown_columns.is_empty()).then(|| view! { <p data-testid="unknown-columns">{t::PREVIEW_UNKNOWN_COLUMNS} "：" {p.unknown_columns.join("、")}</p> })}
                    {(!p.ignored_columns.is_empty()).then(|| view! { <p class="hint">{t::PREVIEW_IGNORED_COLUMNS} "：" {p.ignored_columns.join("、")}</p> })}
                    <div class="actions">
                        <button type="button" class="primary" on:click=apply disabled=p.change_count() == 0>{t::APPLY_IMPORT}</button>
                        <button type="button" on:click=move |_| plan.set(None)>{t::CANCEL_IMPORT}</button>
                    </div>
                </div>
            })
        })
    };
    view! {
        <section class="card" data-testid="import-csv">
            <h2>{t::IMPORT_CSV}</h2>
            <p class="hint">{t::IMPORT_CSV_HINT}</p>
            <div class="field"><label for="import-csv">{t::CHOOSE_FILE}</label>
                <input id="import-csv" type="file" accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" on:change=choose/></div>
            <p class="error" role="alert" data-testid="import-error">{crate::ui::live(move || error.get())}</p>
            <p role="status" data-testid="import-done">{move || done.get()}</p>
            {preview}
        </section>
    }
}

#[component]
fn Bundles() -> impl IntoView {
    let store = expect_context::<Store>();
    let recipient = NodeRef::<leptos::html::Input>::new();
    let since = NodeRef::<leptos::html::Input>::new();
    // A chosen bundle: what it holds, how many entries are new, how many
    // conflicts it brings, and what it would change, project by project.
    let pending = RwSignal::new(None::<(Bundle, usize, usize, BundleChanges)>);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let offered = RwSignal::new(None::<Offered>);
    let export = move |ev: leptos::ev::MouseEvent| {
        let Some(held) = hold_target(&ev) else {
            return;
        };
        let who = recipient
            .get_untracked()
            .map(|i| i.value().trim().to_owned())
            .unwrap_or_default();
        let only_new = since.get_untracked().is_some_and(|i| i.checked());
        leptos::task::spawn_local(async move {
            let all = store.all_entries().await;
            held.release();
            let all = match all {
                Ok(all) => all,
                Err(problem) => return error.set(Some(t::storage_problem(&problem))),
            };
            let entries = if only_new && !who.is_empty() {
                match crate::settings::sent_to(&who) {
                    Ok(sent) => unsent(all, &sent),
                    Err(problem) => return error.set(Some(t::storage_problem(&problem))),
                }
            } else {
                all
            };
            let device = store.device();
            let name = t::bundle_file_name(&device, &today().to_string());
            download(
                &name,
                "application/json",
                &bundle_json(&device, js_sys::Date::now() as i64, entries.clone()),
            );
            offered.set(Some(Offered {
                name,
                recipient: Some(who).filter(|w| !w.is_empty()),
                ids: entries.iter().map(|e| e.id().clone()).collect(),
            }));
        });
    };
    let choose = move |ev| {
        done.set(None);
        pending.set(None);
        on_file(
            ev,
            error,
            Box::new(move |bytes| match read_bundle(&decode(&bytes)) {
                Ok(bundle) => {
                    let (fresh, conflicts) = store.ledger().with_untracked(|l| {
                        (
                            new_entries(l, &bundle.edits).len(),
                            l.conflicts_after(&readable(&bundle.edits)),
                        )
                    });
                    leptos::task::spawn_local(async move {
                        match bundle_changes(store, &bundle).await {
                            Ok(changes) => pending.set(Some((bundle, fresh, conflicts, changes))),
                            Err(problem) => error.set(Some(t::storage_problem(&problem))),
                        }
                    });
                }
                Err(e) => error.set(Some(t::file_error(&e))),
            }),
        );
    };
    let merge = move |_| {
        let Some((bundle, ..)) = pending.get_untracked() else {
            return;
        };
        match store.import(bundle.edits) {
            Ok((added, held)) => {
                done.set(Some(t::bundle_merged(added, held)));
                pending.set(None);
            }
            Err(problem) => error.set(Some(t::storage_problem(&problem))),
        }
    };
    view! {
        <section class="card" data-testid="bundles">
            <h2>{t::BUNDLE_HEADING}</h2>
            <p class="hint">{t::BUNDLE_HINT}</p>
            <div class="field"><label for="bundle-recipient">{t::BUNDLE_RECIPIENT}</label>
                <input id="bundle-recipient" node_ref=recipient/></div>
            <label class="check"><input type="checkbox" id="bundle-since" node_ref=since/>{t::BUNDLE_SINCE}</label>
            <button type="button" class="primary" on:click=export>{t::EXPORT_BUNDLE}</button>
            <SavedYet offered=offered/>
            <div class="field"><label for="import-bundle">{t::IMPORT_BUNDLE}</label>
                <input id="import-bundle" type="file" accept=".json,.txt,application/json,text/plain" on:change=choose/></div>
            <p class="error" role="alert" data-testid="bundle-error">{crate::ui::live(move || error.get())}</p>
            <p role="status" data-testid="bundle-done">{move || done.get()}</p>
            {move || pending.with(|p| p.as_ref().map(|(bundle, fresh, conflicts, changes)| view! {
                <div class="preview" data-testid="bundle-preview">
                    <p>{t::bundle_preview(&bundle.device, bundle.edits.len(), *fresh)}</p>
                    <ol class="digest" data-testid="bundle-changes">
                        {changes.iter().map(|(project, lines)| view! {
                            <li class="digest-project"><strong>{project.clone()}</strong>
                                <ul>{lines.iter().map(|line| view! { <li>{line.clone()}</li> }).collect_view()}</ul>
                            </li>
                        }).collect_view()}
                    </ol>
                    {(*conflicts > 0).then(|| view! { <p>{t::CONFLICTS_HEADING} "：" {*conflicts}</p> })}
                    <div class="actions">
                        <button type="button" class="primary" on:click=merge>{t::APPLY_BUNDLE}</button>
                        <button type="button" on:click=move |_| pending.set(None)>{t::CANCEL_IMPORT}</button>
                    </div>
                </div>
            }))}
            <Conflicts/>
            <TimeAnomalies/>
        </section>
    }
}

/// Per project (its name), what merging a bundle would change: field old → new, blockers, records.
type BundleChanges = Vec<(String, Vec<String>)>;

/// The ledger with the bundle folded in, compared with the ledger now: the
/// same digest as 变化摘要, so the desk sees each change before merging.
async fn bundle_changes(
    store: Store,
    bundle: &Bundle,
) -> Result<BundleChanges, crate::domain::stored::Problem> {
    let mut all = store.all_entries().await?;
    all.extend(bundle.edits.iter().cloned());
    let incoming = readable(&bundle.edits);
    Ok(store.ledger().with_untracked(|l| {
        let after = Ledger::new(l.registry().to_vec(), all);
        let device = |e: &Edit| e.device.clone();
        crate::domain::digest::digest(l, &after, &incoming, i64::MIN)
            .iter()
            .map(|d| {
                (
                    d.project.name.clone(),
                    super::changes::digest_lines(d, &after, &device),
                )
            })
            .collect()
    }))
}

/// Who made an edit and when, as conflict and anomaly lists name them.
fn made_by(edit: &Edit) -> String {
    t::edit_by(&edit.device, &crate::ui::format_time(edit.at))
}

/// The name of an edit's subject: a project's or a person's name, else its id.
fn subject_name(ledger: &Ledger, subject: &Subject) -> String {
    match subject {
        Subject::Project(id) => ledger.project(id).map(|p| p.name.clone()),
        Subject::Person(id) => ledger.person_name(id).map(str::to_owned),
        Subject::Ledger => Some(t::CAMPAIGN_HEADING.to_owned()),
    }
    .unwrap_or_else(|| subject.id().to_owned())
}

/// Every field that two devices changed without seeing each other's edit:
/// both values, who and when, and one click to take either. Taking one is a
/// new edit that replaces both, so the conflict is settled on every device.
#[component]
fn Conflicts() -> impl IntoView {
    let store = expect_context::<Store>();
    let error = RwSignal::new(None::<String>);
    // Who made each side: the person its record names (sync), else its
    // device; the ledger keeps some sides by id only, so all are looked up.
    let known = RwSignal::new(Vec::<(crate::domain::edit::EditId, String)>::new());
    Effect::new(move |_| {
        let sides: Vec<crate::domain::edit::EditId> = store.ledger().with(|l| {
            l.conflicts()
                .iter()
                .flat_map(|c| c.sides.iter().map(|s| s.id.clone()))
                .collect()
        });
        leptos::task::spawn_local(async move {
            let mut found = Vec::new();
            for id in sides {
                if let Some((edit, person)) = store.edit(id.clone()).await {
                    // Nobody named: the device tells two unsigned sides apart.
                    let a = edit.attribution(person.as_deref());
                    let who = (a.maker.is_some() || a.uploader.is_some())
                        .then(|| t::attributed(a))
                        .flatten();
                    found.push((
                        id,
                        t::made_by(
                            who.as_deref(),
                            &edit.device,
                            &crate::ui::format_time(edit.at),
                        ),
                    ));
                }
            }
            if !found.is_empty() {
                known.set(found);
            }
        });
    });
    let rows = move || {
        store.ledger().with(|l| {
            l.conflicts()
                .into_iter()
                .map(|c| {
                    let sides = c
                        .sides
                        .iter()
                        .enumerate()
                        .map(|(i, side)| {
                            let (subject, change) =
                                (c.subject.id().to_owned(), side.change.clone());
                            let take = move |_| {
                                error.set(
                                    store
                                        .change(&subject, change.clone())
                                        .err()
                                        .map(t::input_error),
                                )
                            };
                            let (label, button) = if i == 0 {
                                (t::SHOWN_VALUE, t::KEEP_THIS_VALUE)
                            } else {
                                (t::OTHER_VALUE, t::USE_THIS_VALUE)
                            };
                            let by = known
                                .with(|k| {
                                    k.iter()
                                        .find(|(id, _)| id == side.id)
                                        .map(|(_, by)| by.clone())
                                })
                                .unwrap_or_else(|| {
                                    t::edit_by(t::DEVICE_UNKNOWN, &crate::ui::format_time(side.at))
                                });
                            view! {
                                <br/>{label} "：" {change_text(l, &side.change)} "（" {by} "）"
                                " " <button type="button" on:click=take>{button}</button>
                            }
                        })
                        .collect_view();
                    view! {
                        <li data-conflict=c.field.key() data-subject=c.subject.id().to_owned()>
                            <strong>{subject_name(l, &c.subject)}</strong>
                            {sides}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <Show when=move || store.ledger().with(|l| !l.conflicts().is_empty())>
            <h3>{t::CONFLICTS_HEADING}</h3>
            <p class="hint">{t::CONFLICTS_HINT}</p>
            <p class="error" role="alert">{crate::ui::live(move || error.get())}</p>
            <ul class="log" data-testid="conflicts">{rows}</ul>
        </Show>
    }
}

/// Edits stamped far ahead of this device's clock: merged and shown, but they
/// never move this device's own stamps, and any later edit of the field beats them.
#[component]
fn TimeAnomalies() -> impl IntoView {
    let store = expect_context::<Store>();
    let rows = move || {
        store.ledger().with(|l| {
            l.time_anomalies(js_sys::Date::now() as i64)
                .iter()
                .map(|e| view! {
                    <li data-anomaly=e.id.to_string()>
                        <strong>{subject_name(l, &e.subject)}</strong> " · " {change_text(l, &e.change)} " （" {made_by(e)} "）"
                    </li>
                })
                .collect_view()
        })
    };
    view! {
        <Show when=move || store.ledger().with(|l| !l.time_anomalies(js_sys::Date::now() as i64).is_empty())>
            <h3>{t::TIME_ANOMALIES_HEADING}</h3>
            <p class="hint">{t::time_anomalies_hint()}</p>
            <ul class="log" data-testid="time-anomalies">{rows}</ul>
        </Show>
    }
}

/// A file offered for download: what it carried, counted as carried off only
/// once the person says it was saved (a browser may refuse a download silently).
#[derive(Clone)]
struct Offered {
    name: String,
    recipient: Option<String>,
    ids: Vec<crate::domain::edit::EditId>,
}

#[component]
fn SavedYet(offered: RwSignal<Option<Offered>>) -> impl IntoView {
    let store = expect_context::<Store>();
    let saved = move |_| {
        let Some(o) = offered.get_untracked() else {
            return;
        };
        if let Some(who) = &o.recipient {
            let result = crate::settings::sent_to(who).and_then(|mut sent| {
                exchange::mark_sent(&mut sent, &o.ids);
                crate::settings::record_sent(who, sent)
            });
            store.report(result);
        }
        crate::ui::storage_status::record_carried_off(store, &o.ids);
        offered.set(None);
    };
    move || {
        offered.get().map(|o| {
            view! {
                <div class="preview" role="status" data-testid="saved-yet">
                    <p>{t::saved_yet(&o.name, o.ids.len())}</p>
                    <div class="actions">
                        <button type="button" class="primary" on:click=saved>{t::FILE_SAVED}</button>
                        <button type="button" on:click=move |_| offered.set(None)>{t::FILE_NOT_SAVED}</button>
                    </div>
                </div>
            }
        })
    }
}

#[component]
fn BackupRestore() -> impl IntoView {
    let store = expect_context::<Store>();
    let pending = RwSignal::new(None::<Backup>);
    let error = RwSignal::new(None::<String>);
    let offered = RwSignal::new(None::<Offered>);
    let make = move |ev: leptos::ev::MouseEvent| {
        let Some(held) = hold_target(&ev) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let all = store.all_entries().await;
            held.release();
            let edits = match all {
                Ok(all) => all,
                Err(problem) => return error.set(Some(t::storage_problem(&problem))),
            };
            let views = match crate::settings::load_views() {
                Ok(views) => views,
                Err(problem) => return error.set(Some(t::storage_problem(&problem))),
            };
            let backup = Backup {
                format: BACKUP_FORMAT.into(),
                version: FILE_VERSION,
                device: store.device(),
                created: js_sys::Date::now() as i64,
                edits,
                views,
                me: crate::settings::me(),
            };
            let name = t::backup_file_name(&today().to_string());
            download(&name, "application/json", &backup_json(&backup));
            offered.set(Some(Offered {
                name,
                recipient: None,
                ids: backup.edits.iter().map(|e| e.id().clone()).collect(),
            }));
        });
    };
    let choose = move |ev| {
        pending.set(None);
        on_file(
            ev,
            error,
            Box::new(move |bytes| match read_backup(&decode(&bytes)) {
                Ok(backup) => pending.set(Some(backup)),
                Err(e) => error.set(Some(t::file_error(&e))),
            }),
        );
    };
    let restore = move |_| {
        let Some(backup) = pending.get_untracked() else {
            return;
        };
        leptos::task::spawn_local(async move {
            match store.restore(&backup).await {
                // A fresh start with the backup's settings too.
                Ok(()) => window().location().reload().unwrap_or_default(),
                Err(problem) => error.set(Some(t::storage_problem(&problem))),
            }
        });
    };
    view! {
        <section class="card" data-testid="backup">
            <h2>{t::BACKUP_HEADING}</h2>
            <p class="hint">{t::BACKUP_HINT}</p>
            <button type="button" class="primary" on:click=make>{t::MAKE_BACKUP}</button>
            <SavedYet offered=offered/>
            <div class="field"><label for="restore-file">{t::RESTORE_BACKUP}</label>
                <input id="restore-file" type="file" accept=".json,application/json" on:change=choose/></div>
            <p class="error" role="alert" data-testid="restore-error">{crate::ui::live(move || error.get())}</p>
            {move || pending.with(|b| b.as_ref().map(|b| {
                let views = crate::settings::load_views().map_or(0, |v| v.len());
                let here = store.ledger().with_untracked(|l| l.edit_count());
                view! {
                    <div class="preview" data-testid="restore-preview">
                        <p>{t::restore_preview(here, views, b.edits.len(), b.views.len(), &b.device)}</p>
                        <div class="actions">
                            <button type="button" class="danger" on:click=restore>{t::CONFIRM_RESTORE}</button>
                            <button type="button" on:click=move |_| pending.set(None)>{t::CANCEL_IMPORT}</button>
                        </div>
                    </div>
                }
            }))}
        </section>
    }
}

/// The district a new row's project is created in, for its id.
fn created_in(changes: &[Change]) -> Option<District> {
    changes.iter().find_map(|c| match c {
        Change::Create { district, .. } => *district,
        _ => None,
    })
}
