//! The promises of `keeper::Backend` (`domain::log::contract::check`), kept
//! by the in-memory store, and broken on purpose by two faulty stores the
//! check must catch.

use project_ledger::domain::edit::Entry;
use project_ledger::domain::log::contract::{check, four_edits};
use project_ledger::domain::log::keeper::{run_now, Backend, Fault, MemoryBackend};

fn run<B: Backend>(backend: &B, generation: u64) -> Result<(), String> {
    let [a, b, c, d] = four_edits();
    run_now(check(backend, generation, [&a, &b, &c, &d]))
}

#[test]
fn the_memory_store_keeps_every_promise() {
    let backend = MemoryBackend::default();
    let generation = backend.disk.borrow().generation;
    assert_eq!(run(&backend, generation), Ok(()));
}

/// Adds an entry again when asked to.
struct Doubling(MemoryBackend);

/// Writes whatever generation it is told.
struct Forgetting(MemoryBackend);

impl Backend for Doubling {
    async fn append(&self, generation: u64, entries: &[Entry]) -> Result<(), Fault> {
        if self.0.disk.borrow().generation != generation {
            return Err(Fault::Replaced);
        }
        self.0.disk.borrow_mut().log.extend(entries.iter().cloned());
        Ok(())
    }
    async fn after(&self, mark: u64) -> Result<(Vec<Entry>, u64), Fault> {
        self.0.after(mark).await
    }
    async fn about(&self, subjects: &[String]) -> Result<Vec<Entry>, Fault> {
        self.0.about(subjects).await
    }
    async fn save_snapshot(&self, generation: u64, mark: u64, text: &str) -> Result<(), Fault> {
        self.0.save_snapshot(generation, mark, text).await
    }
    async fn replace_all(&self, entries: &[Entry]) -> Result<u64, Fault> {
        self.0.replace_all(entries).await
    }
}

impl Backend for Forgetting {
    async fn append(&self, _: u64, entries: &[Entry]) -> Result<(), Fault> {
        let generation = self.0.disk.borrow().generation;
        self.0.append(generation, entries).await
    }
    async fn after(&self, mark: u64) -> Result<(Vec<Entry>, u64), Fault> {
        self.0.after(mark).await
    }
    async fn about(&self, subjects: &[String]) -> Result<Vec<Entry>, Fault> {
        self.0.about(subjects).await
    }
    async fn save_snapshot(&self, generation: u64, mark: u64, text: &str) -> Result<(), Fault> {
        self.0.save_snapshot(generation, mark, text).await
    }
    async fn replace_all(&self, entries: &[Entry]) -> Result<u64, Fault> {
        self.0.replace_all(entries).await
    }
}

#[test]
fn a_store_that_adds_an_entry_twice_is_caught() {
    let store = Doubling(MemoryBackend::default());
    assert_eq!(
        run(&store, 0),
        Err(
            "an entry held already, or twice in one append, is added once; the rest added"
                .to_owned()
        )
    );
}

#[test]
fn a_store_that_writes_after_a_replacement_is_caught() {
    let store = Forgetting(MemoryBackend::default());
    assert_eq!(
        run(&store, 0),
        Err("the old generation may no longer append".to_owned())
    );
}
