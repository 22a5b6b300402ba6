//! What every `Backend` promises the write policy, as one check any backend
//! can be put through: the in-memory one natively (`tests/backend_contract.rs`),
//! IndexedDB's in headless Chromium (`tests/backend_contract_idb.rs`). Marks
//! are the backend's own (an index in memory, an arrival key in IndexedDB):
//! only their order counts.

use super::edit::{Change, EditId, Entry};
use super::keeper::{Backend, Fault};
use super::ledger::Ledger;
use crate::domain::vocab::registry::shipped;

/// Four edits for `check`: notes on hc-01, hc-02, ta-01, then hc-01 again.
pub fn four_edits() -> [Entry; 4] {
    let ledger = Ledger::new(shipped(), Vec::<Entry>::new());
    let edit = |n: u64, project: &str| {
        Entry::Edit(ledger.prepare(
            EditId::new("w", n),
            "w",
            project,
            Change::Notes(format!("第{n}条")),
            1_700_000_000_000 + n as i64,
        ))
    };
    [
        edit(1, "hc-01"),
        edit(2, "hc-02"),
        edit(3, "ta-01"),
        edit(4, "hc-01"),
    ]
}

fn ids(entries: &[Entry]) -> Vec<EditId> {
    entries.iter().map(|e| e.id().clone()).collect()
}

fn subject(entry: &Entry) -> Option<String> {
    match entry {
        Entry::Edit(edit) => Some(edit.subject.id().to_owned()),
        Entry::Unreadable(_) => None,
    }
}

fn expect(what: &str, held: bool) -> Result<(), String> {
    if held {
        Ok(())
    } else {
        Err(what.to_owned())
    }
}

/// Puts an empty `backend` at `generation` through the promises of
/// `Backend`, with four edits: the first and last of one subject, the
/// second and third of others. The broken promise, if any, in words.
pub async fn check<B: Backend>(
    backend: &B,
    generation: u64,
    edits: [&Entry; 4],
) -> Result<(), String> {
    let [a, b, c, d] = edits;
    let fault = |step: &'static str| move |e: Fault| format!("{step}: {e:?}");
    let (empty, start) = backend.after(0).await.map_err(fault("after"))?;
    expect("an empty store reads nothing", empty.is_empty())?;

    backend
        .append(generation, &[a.clone(), b.clone()])
        .await
        .map_err(fault("append"))?;
    let (first, mark) = backend.after(start).await.map_err(fault("after"))?;
    expect(
        "what is appended is read after the mark, in order",
        ids(&first) == ids(&[a.clone(), b.clone()]),
    )?;

    backend
        .append(generation, &[b.clone(), c.clone(), c.clone()])
        .await
        .map_err(fault("append"))?;
    let (second, later) = backend.after(mark).await.map_err(fault("after"))?;
    expect(
        "an entry held already, or twice in one append, is added once; the rest added",
        ids(&second) == ids(std::slice::from_ref(c)),
    )?;
    expect("marks move forward", later > mark)?;
    let (nothing, same) = backend.after(later).await.map_err(fault("after"))?;
    expect(
        "nothing after the newest mark",
        nothing.is_empty() && same == later,
    )?;

    let about = subject(a).ok_or("the first edit must be readable")?;
    let found = backend
        .about(std::slice::from_ref(&about))
        .await
        .map_err(fault("about"))?;
    let wanted: Vec<EditId> = [a, b, c]
        .into_iter()
        .filter(|e| subject(e).as_deref() == Some(about.as_str()))
        .map(|e| e.id().clone())
        .collect();
    let mut got = ids(&found);
    got.sort();
    let mut want = wanted;
    want.sort();
    expect("a subject's entries, every one and no other", got == want)?;

    backend
        .save_snapshot(generation, later, "snapshot")
        .await
        .map_err(fault("save_snapshot"))?;

    let next = backend
        .replace_all(std::slice::from_ref(d))
        .await
        .map_err(fault("replace_all"))?;
    expect("a replacement is a new generation", next != generation)?;
    expect(
        "the old generation may no longer append",
        matches!(
            backend.append(generation, std::slice::from_ref(a)).await,
            Err(Fault::Replaced)
        ),
    )?;
    expect(
        "the old generation may no longer save a snapshot",
        matches!(
            backend.save_snapshot(generation, later, "old").await,
            Err(Fault::Replaced)
        ),
    )?;
    let (all, _) = backend.after(0).await.map_err(fault("after"))?;
    expect(
        "after a replacement, only what replaced",
        ids(&all) == ids(std::slice::from_ref(d)),
    )?;
    backend
        .append(next, std::slice::from_ref(a))
        .await
        .map_err(fault("append"))?;
    let (all, _) = backend.after(0).await.map_err(fault("after"))?;
    expect(
        "the new generation appends",
        ids(&all) == ids(&[d.clone(), a.clone()]),
    )?;
    Ok(())
}
