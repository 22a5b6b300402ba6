//! Native benchmark (not a test): the folded ledger's memory per edit (#29
//! item 4: at most 300 bytes on average once folded). Counts the bytes live
//! on the heap after folding, the edits themselves dropped (storage holds
//! them). Two shapes: the sync benchmark's (10 edits per project, 100,000
//! edits) and a city's year at the top of the estimate (1,000,000 edits of
//! 2,000 projects by 200 people's devices, a new writer per page load).
//! Run: `cargo bench --bench memory`.

use project_ledger::domain::edit::{EditId, Subject};
use project_ledger::domain::registry::shipped;
use project_ledger::domain::{Change, Date, District, Edit, Ledger, Procedure, Stage};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A small deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize % n
    }
}

/// `edits` edits of `projects` user-added projects, as `devices` devices
/// make them, a new writer every `per_writer` edits (a page load).
fn generated(edits: usize, projects: usize, devices: usize, per_writer: usize) -> Vec<Edit> {
    let mut rng = Rng(29);
    let places = ["鞍山", "辽宁", "海城", "台安", "岫岩", "千山"];
    let trades = ["镁制品", "耐火材料", "新材料科技", "钢结构", "精细化工"];
    let device_names: Vec<String> = (0..devices).map(|d| format!("device{d:04}abcd")).collect();
    let mut out = Vec::with_capacity(edits);
    let mut at = 1_708_000_000_000i64;
    for n in 0..edits {
        at += 1000;
        let project = if n < projects { n } else { rng.next(projects) };
        let id = format!("u-gen-{project}");
        let change = if n < projects {
            Change::Create {
                name: format!(
                    "{}{}有限公司年产{}万吨项目",
                    places[n % 6],
                    trades[n % 5],
                    n % 97
                ),
                district: District::ALL.get(n % 10).copied(),
            }
        } else {
            match rng.next(6) {
                0 => Change::Stage(Stage::ALL.get(rng.next(11)).copied()),
                1 => Change::Procedure {
                    procedure: Procedure::ALL[rng.next(Procedure::ALL.len())],
                    done: true,
                    date: Date::new(2024, 3, 1),
                },
                2 => Change::InvestmentWan(Some((rng.next(500_000) as f64) / 10.0)),
                3 => Change::Notes(format!("走访记录：设备进场，协调用电问题{}", rng.next(100))),
                4 => Change::Owner(format!(
                    "{}{}有限公司",
                    places[rng.next(6)],
                    trades[rng.next(5)]
                )),
                _ => Change::PlannedStart(Date::new(2024, 1 + rng.next(12) as u8, 1)),
            }
        };
        // A page load writes a run of edits, on one device.
        let load = n / per_writer;
        let device = &device_names[load % devices];
        let writer = format!("{}{load:05}", &device[6..10]);
        out.push(Edit {
            id: EditId::new(&writer, (n % per_writer) as u64 + 1),
            device: device.clone(),
            subject: Subject::of(&id, &change),
            at,
            replaces: None,
            made_by: None,
            change,
        });
    }
    out
}

fn measure(label: &str, edits: usize, projects: usize, devices: usize, per_writer: usize) {
    let registry = shipped();
    let log = generated(edits, projects, devices, per_writer);
    let before = LIVE.load(Ordering::Relaxed);
    let log_bytes: usize = log.iter().map(|e| size_of::<Edit>() + heap_of(e)).sum();
    let t0 = Instant::now();
    let ledger = Ledger::new(registry, log);
    let took = t0.elapsed();
    let after = LIVE.load(Ordering::Relaxed);
    // What the ledger holds, the log (consumed) gone: after − (before − log).
    let held = (after + log_bytes).saturating_sub(before);
    println!(
        "{label}: {edits} edits of {projects} projects, {devices} devices: folded in {:.2} s; the ledger holds {:.1} MB = {} bytes per edit ({} projects shown)",
        took.as_secs_f64(),
        held as f64 / 1_048_576.0,
        held / edits,
        ledger.projects().count()
    );
    drop(ledger);
}

/// Heap bytes an edit owns beyond its own size (its strings), roughly.
fn heap_of(edit: &Edit) -> usize {
    let change = match &edit.change {
        Change::Create { name, .. } => name.len(),
        Change::Notes(s) | Change::Owner(s) => s.len(),
        _ => 0,
    };
    edit.id.writer.len() + edit.device.len() + edit.subject.id().len() + change
}

fn main() {
    println!("type sizes here (64-bit; wasm32 is smaller), bytes: Change {} Edit {} Head {} Field {} Project {}", size_of::<Change>(), size_of::<Edit>(), size_of::<project_ledger::domain::ledger::Head>(), size_of::<project_ledger::domain::edit::Field>(), size_of::<project_ledger::domain::Project>());
    measure("the sync benchmark's shape", 100_000, 10_000, 200, 50);
    measure("a city's year", 1_000_000, 2_000, 200, 50);
}
