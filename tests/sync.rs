//! Sync through CouchDB, natively: the replicator against a fake server that
//! answers the way CouchDB 3 does (string sequences, `conflict` rows) or the
//! way the PouchDB test server does (integer sequences, `forbidden` for a
//! repeated create, rows in another order, a longpoll that never times out),
//! and that drops requests, drops answers, repeats requests, goes down and
//! ends sessions. Every device converges on the same edits and the same
//! ledger, and the server holds each edit once.

use project_ledger::domain::codec::params;
use project_ledger::domain::edit::{Change, Edit, EditId};
use project_ledger::domain::log::journal::Journal;
use project_ledger::domain::project::District;
use project_ledger::domain::registry::shipped;
use project_ledger::domain::sync::document::{document, read_changes, since_param};
use project_ledger::domain::sync::replicator::{
    Method, PushCounts, Replicator, Reply, Request, BATCH, LAST_RETRY_MS, PAGE, RECHECK_EVERY_MS,
};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Flavour {
    Couch3,
    Pouch,
}

/// What the fake does to the next request.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Fault {
    None,
    /// Lost on the way: not applied.
    DropRequest,
    /// Applied, but the answer is lost.
    DropAnswer,
    /// Arrives twice (a proxy's retry); the client sees the second answer.
    Twice,
}

struct FakeCouch {
    flavour: Flavour,
    /// In sequence order: sequence n is `docs[n - 1]`.
    docs: Vec<(String, Value)>,
    up: bool,
    /// Per device: whether its session cookie is good.
    sessions: Vec<bool>,
    /// Bodies longer than this get 413.
    max_body: usize,
    requests: usize,
    /// `_local` documents: never replicated, so a restore has none.
    locals: BTreeSet<String>,
}

impl FakeCouch {
    fn new(flavour: Flavour, devices: usize) -> FakeCouch {
        FakeCouch {
            flavour,
            docs: Vec::new(),
            up: true,
            sessions: vec![true; devices],
            max_body: usize::MAX,
            requests: 0,
            locals: BTreeSet::new(),
        }
    }

    /// The database made anew from a backup taken when it held its first
    /// `kept` documents: sequences start over, no `_local` documents.
    fn restore(&mut self, kept: usize) {
        self.docs.truncate(kept);
        self.locals.clear();
    }

    fn seq(&self, n: usize) -> Value {
        match self.flavour {
            // Opaque to clients; this one happens to begin with the number.
            Flavour::Couch3 => json!(format!("{n}-g1AAAAB{:x}eJzLYWBgYM", n * 7919)),
            Flavour::Pouch => json!(n),
        }
    }

    fn since(&self, text: &str) -> usize {
        let number = match self.flavour {
            Flavour::Couch3 if text != "0" => text.split('-').next().unwrap_or(""),
            _ => text,
        };
        number.parse().expect("a sequence this server wrote")
    }

    fn find(&self, id: &str) -> Option<&Value> {
        self.docs.iter().find(|(i, _)| i == id).map(|(_, d)| d)
    }

    fn answer(status: u16, body: Value) -> Reply {
        Reply::Answer {
            status,
            body: body.to_string(),
        }
    }

    fn handle(&mut self, device: usize, request: &Request, fault: Fault) -> Reply {
        self.requests += 1;
        if !self.up || fault == Fault::DropRequest {
            return Reply::NoAnswer;
        }
        if !self.sessions[device] {
            return FakeCouch::answer(
                401,
                json!({"error": "unauthorized", "reason": "You are not authorized to access this db."}),
            );
        }
        let mut reply = self.apply(request);
        if fault == Fault::Twice {
            reply = self.apply(request);
        }
        if fault == Fault::DropAnswer {
            return Reply::NoAnswer;
        }
        reply
    }

    fn apply(&mut self, request: &Request) -> Reply {
        let (path, query) = request.path.split_once('?').unwrap_or((&request.path, ""));
        let query = params(query);
        let param = |k: &str| query.iter().find(|(q, _)| q == k).map(|(_, v)| v.clone());
        match (request.method, path) {
            (Method::Post, "_bulk_docs") => {
                let body = request.body.as_deref().unwrap_or("");
                if body.len() > self.max_body {
                    return FakeCouch::answer(
                        413,
                        json!({"error": "too_large", "reason": "the request entity is too large"}),
                    );
                }
                let docs: Value = serde_json::from_str(body).expect("JSON");
                let mut rows = Vec::new();
                for doc in docs["docs"].as_array().expect("docs") {
                    let id = doc["_id"].as_str().expect("_id").to_owned();
                    if self.find(&id).is_some() {
                        rows.push(match self.flavour {
                            Flavour::Couch3 => json!({"id": id, "error": "conflict", "reason": "Document update conflict."}),
                            Flavour::Pouch => json!({"status": 403, "name": "forbidden", "message": "immutable: an edit is never changed", "error": true, "id": id}),
                        });
                    } else if doc["edit"]["p"]
                        .as_str()
                        .is_some_and(|p| p.starts_with("wz-"))
                    {
                        rows.push(json!({"id": id, "error": "forbidden", "reason": "本区县用户只能修改本区县的项目"}));
                    } else {
                        self.docs.push((id.clone(), doc.clone()));
                        rows.push(json!({"ok": true, "id": id, "rev": "1-abc"}));
                    }
                }
                if self.flavour == Flavour::Pouch {
                    rows.reverse();
                }
                FakeCouch::answer(201, Value::Array(rows))
            }
            (Method::Post, "_all_docs") => {
                assert_eq!(param("include_docs").as_deref(), Some("true"));
                let keys: Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
                let rows: Vec<Value> = keys["keys"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|k| match self.find(k.as_str().unwrap()) {
                        Some(doc) => {
                            json!({"key": k, "id": k, "value": {"rev": "1-abc"}, "doc": doc})
                        }
                        None => json!({"key": k, "error": "not_found"}),
                    })
                    .collect();
                FakeCouch::answer(200, json!({"total_rows": self.docs.len(), "rows": rows}))
            }
            (Method::Get, "_changes") => {
                assert_eq!(param("include_docs").as_deref(), Some("true"));
                let since = self.since(&param("since").expect("since"));
                let limit: usize = param("limit").expect("limit").parse().unwrap();
                assert!(limit <= PAGE);
                let results: Vec<Value> = self
                    .docs
                    .iter()
                    .enumerate()
                    .skip(since)
                    .take(limit)
                    .map(|(n, (id, doc))| {
                        json!({"seq": self.seq(n + 1), "id": id, "changes": [{"rev": "1-abc"}], "doc": doc})
                    })
                    .collect();
                // It ignores `timeout`: only the client's own gives up.
                if results.is_empty()
                    && param("feed").as_deref() == Some("longpoll")
                    && self.flavour == Flavour::Pouch
                {
                    return Reply::TimedOut;
                }
                let last = since + results.len();
                let last_seq = if last == 0 { json!(0) } else { self.seq(last) };
                FakeCouch::answer(
                    200,
                    json!({"results": results, "last_seq": last_seq, "pending": self.docs.len().saturating_sub(last)}),
                )
            }
            (Method::Get, local) if local.starts_with("_local/") => {
                if self.locals.contains(local) {
                    FakeCouch::answer(200, json!({"_id": local, "_rev": "0-1"}))
                } else {
                    FakeCouch::answer(404, json!({"error": "not_found", "reason": "missing"}))
                }
            }
            (Method::Put, local) if local.starts_with("_local/") => {
                if self.locals.insert(local.to_owned()) {
                    FakeCouch::answer(201, json!({"ok": true, "id": local, "rev": "0-1"}))
                } else {
                    FakeCouch::answer(409, json!({"error": "conflict"}))
                }
            }
            other => panic!("the client asked for {other:?}"),
        }
    }

    fn ids(&self) -> Vec<String> {
        self.docs.iter().map(|(i, _)| i.clone()).collect()
    }
}

struct Device {
    writer: String,
    journal: Journal,
    sync: Replicator,
    next: u64,
}

impl Device {
    fn new(n: usize) -> Device {
        let mut sync = Replicator::default();
        sync.sign_in(&format!("user{n}"));
        Device {
            writer: format!("dev{n}"),
            journal: Journal::new(shipped(), Vec::<Edit>::new()),
            sync,
            next: 1,
        }
    }

    fn edit(&mut self, subject: &str, change: Change, now: i64) -> EditId {
        let id = EditId::new(&self.writer, self.next);
        self.next += 1;
        let edit = self
            .journal
            .ledger()
            .prepare(id.clone(), &self.writer, subject, change, now);
        assert!(self.journal.add(edit));
        id
    }

    /// One push request, if the replicator wants one.
    fn push(&mut self, server: &mut FakeCouch, me: usize, now: i64, fault: Fault) -> bool {
        let Some(request) = self.sync.next_push(now, self.journal.entries()) else {
            return false;
        };
        if let Some(body) = &request.body {
            if request.path == "_bulk_docs" {
                let docs: Value = serde_json::from_str(body).unwrap();
                assert!(docs["docs"].as_array().unwrap().len() <= BATCH);
            }
        }
        let reply = server.handle(me, &request, fault);
        self.sync.push_reply(now, reply);
        true
    }

    fn pull(&mut self, server: &mut FakeCouch, me: usize, now: i64, fault: Fault) -> bool {
        let Some(request) = self.sync.next_pull(now) else {
            return false;
        };
        let reply = server.handle(me, &request, fault);
        let pulled = self.sync.pull_reply(now, reply, &describe);
        self.journal.add_all(pulled.into_iter().map(|p| p.entry));
        true
    }

    fn ids(&self) -> BTreeSet<String> {
        self.journal
            .entries()
            .iter()
            .map(|e| e.id().to_string())
            .collect()
    }

    fn pending(&self) -> usize {
        self.sync.pending(self.journal.entries())
    }
}

/// Runs every device until nothing is left to push and every pull is caught
/// up, with a healthy server and time moving past any backoff.
fn settle(devices: &mut [Device], server: &mut FakeCouch, now: &mut i64) {
    server.up = true;
    for round in 0.. {
        assert!(round < 200, "sync did not settle");
        *now += LAST_RETRY_MS + 1;
        let mut busy = false;
        for (me, device) in devices.iter_mut().enumerate() {
            if device.sync.status(0).needs_login {
                server.sessions[me] = true;
                let author = device.sync.author().unwrap().to_owned();
                device.sync.sign_in(&author);
            }
            while device.push(server, me, *now, Fault::None) {
                busy = true;
            }
            loop {
                let before = device.ids().len();
                let caught_up_before = device.sync.status(0).caught_up;
                if !device.pull(server, me, *now, Fault::None) {
                    break;
                }
                let grew = device.ids().len() > before;
                busy |= grew;
                if !grew && caught_up_before {
                    break;
                }
            }
        }
        let quiet = devices.iter().all(|d| d.pending() == 0)
            && devices.iter().all(|d| d.ids().len() == server.docs.len());
        if !busy && quiet {
            return;
        }
    }
}

fn assert_converged(devices: &[Device], server: &FakeCouch, made: &BTreeSet<String>) {
    let held: Vec<String> = server.ids();
    let unique: BTreeSet<String> = held.iter().cloned().collect();
    assert_eq!(held.len(), unique.len(), "the server holds an edit twice");
    assert_eq!(
        &unique, made,
        "the server holds every edit made, and no other"
    );
    let first = &devices[0];
    for device in devices {
        assert_eq!(&device.ids(), made, "{} holds every edit", device.writer);
        assert_eq!(device.journal.entries().len(), made.len(), "no edit twice");
        for project in first.journal.ledger().projects() {
            assert_eq!(
                device.journal.ledger().project(&project.id),
                Some(project),
                "{} folds {} alike",
                device.writer,
                project.id
            );
        }
        assert_eq!(
            conflicts(&device.journal),
            conflicts(&first.journal),
            "the same conflicts listed on {}",
            device.writer
        );
        assert!(device.sync.refused().is_empty());
        assert!(device.sync.collisions().is_empty());
    }
}

/// Each conflict's field and sides (the device of a side is shown only when
/// the route kept it; the person comes from the author, not the fold).
fn conflicts(journal: &Journal) -> Vec<String> {
    journal
        .ledger()
        .conflicts()
        .iter()
        .map(|c| {
            let sides: Vec<String> = c
                .sides
                .iter()
                .map(|s| format!("{} {} {:?}", s.id, s.at, s.change))
                .collect();
            format!("{:?} {:?} {sides:?}", c.subject, c.field)
        })
        .collect()
}

const PROJECTS: [&str; 3] = ["hc-01", "tx-01", "gx-02"];

#[derive(Clone, Debug)]
enum Op {
    Edit {
        device: usize,
        project: usize,
        value: u8,
    },
    Push {
        device: usize,
        fault: Fault,
    },
    Pull {
        device: usize,
        fault: Fault,
    },
    Down,
    Up,
    ExpireSession {
        device: usize,
    },
    SignInAgain {
        device: usize,
    },
    SmallBodies,
    Wait,
}

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        4 => Just(Fault::None),
        1 => Just(Fault::DropRequest),
        1 => Just(Fault::DropAnswer),
        1 => Just(Fault::Twice),
    ]
}

fn op(devices: usize) -> impl Strategy<Value = Op> {
    let d = 0..devices;
    prop_oneof![
        6 => (d.clone(), 0..PROJECTS.len(), 0u8..4).prop_map(|(device, project, value)| Op::Edit { device, project, value }),
        4 => (d.clone(), fault()).prop_map(|(device, fault)| Op::Push { device, fault }),
        4 => (d.clone(), fault()).prop_map(|(device, fault)| Op::Pull { device, fault }),
        1 => Just(Op::Down),
        1 => Just(Op::Up),
        1 => d.clone().prop_map(|device| Op::ExpireSession { device }),
        1 => d.prop_map(|device| Op::SignInAgain { device }),
        1 => Just(Op::SmallBodies),
        1 => Just(Op::Wait),
    ]
}

fn run(flavour: Flavour, ops: &[Op]) {
    const DEVICES: usize = 3;
    let mut server = FakeCouch::new(flavour, DEVICES);
    let mut devices: Vec<Device> = (0..DEVICES).map(Device::new).collect();
    let mut made = BTreeSet::new();
    let mut now = 1_760_000_000_000;
    for op in ops {
        now += 10;
        match *op {
            Op::Edit {
                device,
                project,
                value,
            } => {
                let id = devices[device].edit(
                    PROJECTS[project],
                    Change::Notes(format!("备注 {value}")),
                    now,
                );
                made.insert(id.to_string());
            }
            Op::Push { device, fault } => {
                devices[device].push(&mut server, device, now, fault);
            }
            Op::Pull { device, fault } => {
                devices[device].pull(&mut server, device, now, fault);
            }
            Op::Down => server.up = false,
            Op::Up => server.up = true,
            Op::ExpireSession { device } => server.sessions[device] = false,
            Op::SignInAgain { device } => {
                server.sessions[device] = true;
                let d = &mut devices[device];
                let author = d.sync.author().unwrap().to_owned();
                d.sync.sign_in(&author);
            }
            Op::SmallBodies => server.max_body = 2_000,
            Op::Wait => now += 2_000,
        }
    }
    settle(&mut devices, &mut server, &mut now);
    assert_converged(&devices, &server, &made);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn devices_converge_through_couchdb_3(ops in prop::collection::vec(op(3), 0..80)) {
        run(Flavour::Couch3, &ops);
    }

    #[test]
    fn devices_converge_through_the_pouchdb_test_server(ops in prop::collection::vec(op(3), 0..80)) {
        run(Flavour::Pouch, &ops);
    }
}

/// One device and a server, for the cases below.
fn pair(flavour: Flavour) -> (Device, FakeCouch) {
    (Device::new(0), FakeCouch::new(flavour, 2))
}

fn push_all(device: &mut Device, server: &mut FakeCouch, now: i64) -> usize {
    let mut n = 0;
    while device.push(server, 0, now, Fault::None) {
        n += 1;
        assert!(n < 1_000);
    }
    n
}

#[test]
fn an_edit_the_server_refuses_is_listed_with_its_reason_and_kept() {
    for flavour in [Flavour::Couch3, Flavour::Pouch] {
        let (mut device, mut server) = pair(flavour);
        // First of three: rows read by position in a reordered reply would
        // blame another edit.
        let refused = device.edit("wz-01", Change::Notes("不是本区县".into()), 1);
        device.edit("hc-01", Change::Notes("本区县".into()), 2);
        device.edit("hc-02", Change::Notes("本区县".into()), 3);
        push_all(&mut device, &mut server, 10);
        assert_eq!(
            server.docs.len(),
            2,
            "{flavour:?}: the other two are stored"
        );
        let refusals = device.sync.refused();
        assert_eq!(refusals.len(), 1);
        assert_eq!(refusals[0].id, refused);
        assert_eq!(refusals[0].reason, "本区县用户只能修改本区县的项目");
        assert_eq!(refusals[0].subject, "wz-01");
        assert_eq!(device.journal.entries().len(), 3, "kept on the device");
        let status = device.sync.status(device.pending());
        assert_eq!((status.refused, status.pending), (1, 0));
        assert_eq!(
            device.sync.pushed(),
            PushCounts {
                stored: 2,
                already_there: 0
            },
            "the refused one is not counted as pushed"
        );
        // Not pushed again and again.
        assert_eq!(push_all(&mut device, &mut server, 20), 0);
    }
}

#[test]
fn another_edit_under_our_id_is_listed_as_a_collision_never_dropped_or_counted_as_pushed() {
    for flavour in [Flavour::Couch3, Flavour::Pouch] {
        let (mut device, mut server) = pair(flavour);
        let ours = device.edit("hc-01", Change::Notes("我们的".into()), 1);
        // Another writer's edit under the same id reached the server first.
        let mut other = Device::new(1);
        other.writer = device.writer.clone();
        other.edit("hc-01", Change::Notes("别人的".into()), 1);
        let theirs = &other.journal.entries()[0];
        let doc: Value = serde_json::from_str(&document(theirs, "user1")).unwrap();
        server.docs.push((ours.to_string(), doc));
        // And the same edit of ours that another device pushed for us: fine.
        let same = device.edit("hc-02", Change::Notes("同一个".into()), 2);
        let entry = device.journal.entries()[1].clone();
        let doc: Value = serde_json::from_str(&document(&entry, "user9")).unwrap();
        server.docs.push((same.to_string(), doc));
        push_all(&mut device, &mut server, 10);
        let collisions = device.sync.collisions();
        assert_eq!(collisions.len(), 1, "{flavour:?}");
        assert_eq!(collisions[0].id, ours);
        assert_eq!(collisions[0].theirs.author, "user1");
        assert!(
            device.sync.on_server(&same),
            "the same body counts as pushed"
        );
        assert!(!device.sync.on_server(&ours));
        assert_eq!(
            device.sync.pushed(),
            PushCounts {
                stored: 0,
                already_there: 1
            }
        );
        assert_eq!(server.docs.len(), 2, "nothing overwritten");
        assert_eq!(device.sync.status(device.pending()).collisions, 1);
    }
}

#[test]
fn a_batch_too_large_is_halved_until_it_fits() {
    let (mut device, mut server) = pair(Flavour::Couch3);
    for n in 0..BATCH + 50 {
        device.edit("hc-01", Change::Notes(format!("第 {n} 次")), n as i64);
    }
    let one = document(&device.journal.entries()[0], "user0").len();
    server.max_body = one * 30;
    push_all(&mut device, &mut server, 1_000);
    assert_eq!(server.docs.len(), BATCH + 50, "all stored");
    assert_eq!(device.pending(), 0);
    assert!(device.sync.refused().is_empty());
}

#[test]
fn an_expired_session_pauses_sync_until_sign_in_and_edits_go_on() {
    let (mut device, mut server) = pair(Flavour::Pouch);
    device.edit("hc-01", Change::Notes("一".into()), 1);
    push_all(&mut device, &mut server, 10);
    server.sessions[0] = false;
    device.edit("hc-01", Change::Notes("二".into()), 20);
    push_all(&mut device, &mut server, 30);
    let status = device.sync.status(device.pending());
    assert!(status.needs_login);
    assert_eq!(status.pending, 1);
    let asked = server.requests;
    device.edit("hc-01", Change::Notes("三".into()), 40);
    assert!(device
        .sync
        .next_push(50, device.journal.entries())
        .is_none());
    assert!(device.sync.next_pull(50).is_none());
    assert_eq!(
        server.requests, asked,
        "no request while the session is over"
    );
    server.sessions[0] = true;
    device.sync.sign_in("user0");
    push_all(&mut device, &mut server, 60);
    assert_eq!(server.docs.len(), 3);
    assert!(!device.sync.status(0).needs_login);
}

#[test]
fn a_failed_lane_waits_doubling_and_wakes_at_once_when_told() {
    let (mut device, mut server) = pair(Flavour::Couch3);
    device.edit("hc-01", Change::Notes("一".into()), 1);
    server.up = false;
    let mut waits = Vec::new();
    let mut now = 0;
    for _ in 0..8 {
        assert!(device.push(&mut server, 0, now, Fault::None));
        let next = device.sync.next_retry().expect("waiting");
        waits.push(next - now);
        assert!(device
            .sync
            .next_push(next - 1, device.journal.entries())
            .is_none());
        now = next;
    }
    assert_eq!(
        waits,
        [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]
    );
    assert!(device.sync.status(1).offline);
    server.up = true;
    device.sync.wake();
    assert!(device.push(&mut server, 0, now + 1, Fault::None));
    assert_eq!(server.docs.len(), 1);
    assert!(!device.sync.status(0).offline);
}

/// The network comes back while a request is still failing (it left when
/// the server was down): the wake is not lost under that failure's backoff.
/// CI caught this as a device left 待报送 for the whole of a 15 s wait.
#[test]
fn a_wake_during_a_failing_request_retries_at_once_after_it() {
    let (mut device, mut server) = pair(Flavour::Couch3);
    device.edit("hc-01", Change::Notes("一".into()), 1);
    server.up = false;
    let mut now = 0;
    for _ in 0..4 {
        assert!(device.push(&mut server, 0, now, Fault::None));
        assert!(device.pull(&mut server, 0, now, Fault::None));
        now = device.sync.next_retry().expect("waiting");
    }
    assert!(device
        .sync
        .next_push(now, device.journal.entries())
        .is_some());
    assert!(device.sync.next_pull(now).is_some());
    // Both requests are out, and fail: the server was down when they left.
    device.sync.wake();
    device.sync.push_reply(now + 5, Reply::NoAnswer);
    let _ = device.sync.pull_reply(now + 5, Reply::NoAnswer, &describe);
    assert!(
        device
            .sync
            .next_push(now + 6, device.journal.entries())
            .is_some(),
        "the push goes again at once, not after {} ms",
        device.sync.next_retry().unwrap_or(0) - now
    );
    assert!(device.sync.next_pull(now + 6).is_some(), "and the pull");
    // A second failure with no wake since waits its backoff again.
    device.sync.push_reply(now + 7, Reply::NoAnswer);
    assert!(device
        .sync
        .next_push(now + 8, device.journal.entries())
        .is_none());
}

#[test]
fn pulls_page_by_page_with_opaque_sequences_then_longpoll() {
    for flavour in [Flavour::Couch3, Flavour::Pouch] {
        let (mut writer, mut server) = pair(flavour);
        let total = PAGE * 2 + 7;
        for n in 0..total {
            writer.edit("tx-01", Change::Notes(format!("第 {n} 次")), n as i64);
        }
        push_all(&mut writer, &mut server, 10_000);
        let mut reader = Device::new(1);
        let mut pages = 0;
        while !reader.sync.status(0).caught_up {
            assert!(reader.pull(&mut server, 1, 20_000, Fault::None));
            pages += 1;
        }
        assert_eq!(pages, 3, "{flavour:?}");
        assert_eq!(reader.journal.entries().len(), total);
        let checkpoint = reader.sync.checkpoint().unwrap().to_owned();
        match flavour {
            Flavour::Couch3 => assert!(
                checkpoint.starts_with('"'),
                "kept as the server wrote it: {checkpoint}"
            ),
            Flavour::Pouch => assert_eq!(checkpoint, total.to_string()),
        }
        assert_eq!(server.since(&since_param(&checkpoint)), total);
        let longpoll = reader.sync.next_pull(30_000).unwrap();
        assert!(longpoll.path.contains("feed=longpoll"), "{}", longpoll.path);
        assert!(longpoll.give_up_ms > 25_000);
        let reply = server.handle(1, &longpoll, Fault::None);
        reader.sync.pull_reply(30_000, reply, &describe);
        assert!(
            !reader.sync.status(0).offline,
            "a quiet longpoll is not being offline"
        );
        assert_eq!(reader.sync.next_retry(), None);
    }
}

#[test]
fn pulled_edits_name_who_pushed_them_and_edits_made_before_sign_in_go_under_who_signs_in() {
    let mut server = FakeCouch::new(Flavour::Couch3, 2);
    let mut phone = Device::new(0);
    phone.sync.sign_out();
    phone.edit("hc-01", Change::Notes("登录前".into()), 1);
    assert!(
        phone.sync.next_push(2, phone.journal.entries()).is_none(),
        "signed out: nothing goes"
    );
    phone.sync.sign_in("王晓明");
    push_all(&mut phone, &mut server, 3);
    let mut office = Device::new(1);
    let request = office.sync.next_pull(4).unwrap();
    let Reply::Answer { body, .. } = server.handle(1, &request, Fault::None) else {
        panic!("no answer")
    };
    let page = read_changes(&body).unwrap();
    assert_eq!(page.edits.len(), 1);
    assert_eq!(page.edits[0].author, "王晓明");
    assert_eq!(page.edits[0].entry, phone.journal.entries()[0]);
}

#[test]
fn a_document_names_its_subjects_district_by_id() {
    let (mut device, _) = pair(Flavour::Couch3);
    device.edit("tx-02", Change::Notes("铁西".into()), 1);
    device.edit("u-hc-abcd1234-3", Change::Notes("自建".into()), 2);
    device.edit("wz-01", Change::Notes("未说明".into()), 3);
    let districts: Vec<Value> = device
        .journal
        .entries()
        .iter()
        .map(|e| serde_json::from_str::<Value>(&document(e, "u")).unwrap()["district"].clone())
        .collect();
    assert_eq!(districts, [json!("Tiexi"), json!("Haicheng"), Value::Null]);
    assert_eq!(
        District::of_subject("person-gx-abcd1234-1"),
        Some(District::HighTech)
    );
    assert_eq!(District::of_subject("person-abcd1234-1"), None);
    assert_eq!(District::of_subject("ledger:campaign"), None);
}

#[test]
fn the_saved_state_comes_back_and_losing_it_costs_only_a_pull() {
    let (mut device, mut server) = pair(Flavour::Couch3);
    device.edit("wz-01", Change::Notes("拒绝".into()), 1);
    for n in 0..5 {
        device.edit("hc-01", Change::Notes(format!("{n}")), 2 + n);
    }
    push_all(&mut device, &mut server, 10);
    while !device.sync.status(0).caught_up {
        device.pull(&mut server, 0, 20, Fault::None);
    }
    let text = device.sync.to_text();
    let back = Replicator::from_text(&text).expect("reads back");
    assert_eq!(back.to_text(), text);
    assert_eq!(back.checkpoint(), device.sync.checkpoint());
    assert_eq!(back.refused(), device.sync.refused());
    assert_eq!(back.pending(device.journal.entries()), 0);
    assert_eq!(back.author(), None, "signed out until the person signs in");
    for bad in [
        "",
        "sync 2\nseq \nheld ",
        "sync 1\nseq {\nheld ",
        "sync 1\nseq 0\nheld x",
    ] {
        assert!(Replicator::from_text(bad).is_none(), "{bad:?}");
    }
    // Lost: everything is pushed again, answered "exists", checked, and the
    // device ends where it was, the server unchanged.
    device.sync = Replicator::default();
    device.sync.sign_in("user0");
    let before = server.docs.len();
    push_all(&mut device, &mut server, 30);
    while !device.sync.status(0).caught_up {
        device.pull(&mut server, 0, 40, Fault::None);
    }
    assert_eq!(server.docs.len(), before);
    assert_eq!(
        device.sync.pushed(),
        PushCounts {
            stored: 0,
            already_there: 5
        },
        "the server had them all: counted as there, never as 0"
    );
    assert_eq!(device.journal.entries().len(), 6);
    assert_eq!(device.pending(), 0);
    assert_eq!(
        device.sync.refused().len(),
        1,
        "refused again, with its reason"
    );
}

#[test]
fn every_registry_project_id_names_its_district_so_the_server_can_check_it() {
    for project in shipped() {
        assert_eq!(
            District::of_subject(&project.id),
            project.district,
            "{}",
            project.id
        );
    }
}

mod addresses {
    use project_ledger::domain::sync::server::{
        doc_count, session_user, sign_in_body, Address, AddressError,
    };

    #[test]
    fn a_database_info_tells_how_many_documents_a_first_download_brings() {
        let info = r#"{"db_name":"project-ledger","doc_count":100001,"update_seq":"100002-g1AAAA","sizes":{"file":1}}"#;
        assert_eq!(doc_count(info), Some(100001));
        assert_eq!(doc_count(r#"{"error":"not_found"}"#), None);
        assert_eq!(doc_count("<html>"), None);
    }

    #[test]
    fn a_database_url_gives_the_database_and_the_server_root_for_its_session() {
        let a = Address::parse(" https://couch.example.cn/project-ledger/ ").unwrap();
        assert_eq!(a.database, "https://couch.example.cn/project-ledger");
        assert_eq!(a.session(), "https://couch.example.cn/_session");
        assert_eq!(
            a.url("_bulk_docs"),
            "https://couch.example.cn/project-ledger/_bulk_docs"
        );
        // Behind a reverse proxy under a path.
        let b = Address::parse("http://127.0.0.1:8080/couch/ledger").unwrap();
        assert_eq!(b.root, "http://127.0.0.1:8080/couch");
    }

    #[test]
    fn what_is_no_database_url_says_why() {
        for (text, why) in [
            ("", AddressError::Empty),
            ("   ", AddressError::Empty),
            ("couch.example.cn/ledger", AddressError::Scheme),
            ("ftp://couch.example.cn/ledger", AddressError::Scheme),
            ("https://couch.example.cn", AddressError::NoDatabase),
            ("https://couch.example.cn/", AddressError::NoDatabase),
            ("https://couch.example.cn/Ledger", AddressError::Malformed),
            ("https://couch.example.cn/led ger", AddressError::Malformed),
            (
                "https://couch.example.cn/ledger?x=1",
                AddressError::Malformed,
            ),
            ("https:///ledger", AddressError::Malformed),
        ] {
            assert_eq!(Address::parse(text), Err(why), "{text:?}");
        }
    }

    #[test]
    fn session_answers_name_the_person_or_nobody() {
        assert_eq!(
            session_user(r#"{"ok":true,"name":"王晓明","roles":["city-office"]}"#).as_deref(),
            Some("王晓明")
        );
        assert_eq!(
            session_user(r#"{"ok":true,"userCtx":{"name":"li","roles":[]}}"#).as_deref(),
            Some("li")
        );
        assert_eq!(
            session_user(r#"{"ok":true,"userCtx":{"name":null,"roles":[]}}"#),
            None
        );
        assert_eq!(session_user("not json"), None);
        assert_eq!(
            sign_in_body("a\"b", "p\\w"),
            r#"{"name":"a\"b","password":"p\\w"}"#
        );
    }

    #[test]
    fn a_user_with_no_ledger_role_is_told_so_not_asked_for_the_password_again() {
        use project_ledger::domain::sync::server::{has_ledger_role, ledger_roles, session_roles};
        let roles = |text| session_roles(text);
        assert_eq!(
            roles(r#"{"ok":true,"name":"x","roles":["district-Haicheng"]}"#),
            ["district-Haicheng"]
        );
        assert_eq!(
            roles(r#"{"ok":true,"userCtx":{"name":"x","roles":["city-office","_admin"]}}"#),
            ["city-office", "_admin"]
        );
        assert_eq!(roles(r#"{"ok":true,"name":"x"}"#), Vec::<String>::new());
        assert_eq!(roles("not json"), Vec::<String>::new());
        let has =
            |r: &[&str]| has_ledger_role(&r.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        for ok in [
            &["district-Haicheng"][..],
            &["city-office"],
            &["city-leader"],
            &["x", "district-EconomicZone"],
            &["_admin"],
            &["ledger-replicator"],
        ] {
            assert!(has(ok), "{ok:?}");
        }
        // Misspelt (the Chinese name, a wrong case, no such district) or none.
        for wrong in [
            &["district-铁东区"][..],
            &["district-haicheng"],
            &["district-Anshan"],
            &["city_office"],
            &[],
        ] {
            assert!(!has(wrong), "{wrong:?}");
        }
        // Every district the rules know, by the key validate.js uses.
        assert_eq!(ledger_roles().len(), 2 + 9 + 1);
        assert!(ledger_roles().contains(&"district-HighTech".to_owned()));
        let said = project_ledger::text::sync_no_ledger_role(
            "district-Tiedong-1",
            &["district-铁东区".into()],
            &ledger_roles(),
        );
        assert!(
            said.contains("district-铁东区")
                && said.contains("district-Tiedong")
                && !said.contains("密码不对"),
            "{said}"
        );
    }
}

#[test]
fn the_header_says_the_most_urgent_thing_sync_knows() {
    use project_ledger::domain::sync::replicator::Status;
    use project_ledger::text::sync_status;
    let time = |ms: i64| format!("t{ms}");
    let fine = Status {
        signed_in: true,
        needs_login: false,
        refused: 0,
        collisions: 0,
        offline: false,
        pending: 0,
        last_contact: Some(7),
        caught_up: true,
    };
    let with = |f: &dyn Fn(&mut Status)| {
        let mut s = fine.clone();
        f(&mut s);
        sync_status(Some(&s), None, time)
    };
    assert_eq!(sync_status(None, None, time), "仅存本机");
    assert_eq!(with(&|_| {}), "已同步 t7");
    assert_eq!(with(&|s| s.pending = 3), "待报送 3 条");
    assert_eq!(with(&|s| s.caught_up = false), "正在下载……");
    let downloading = Status {
        caught_up: false,
        ..fine.clone()
    };
    use project_ledger::text::download_percent;
    assert_eq!(
        sync_status(Some(&downloading), download_percent(430, 1000), time),
        "正在下载 43%"
    );
    assert_eq!(
        download_percent(1200, 1000),
        Some(99),
        "never 100 before the end"
    );
    assert_eq!(download_percent(5, 0), None);
    assert_eq!(
        sync_status(Some(&fine), download_percent(430, 1000), time),
        "已同步 t7",
        "caught up is done, whatever the count"
    );
    assert_eq!(
        with(&|s| {
            s.refused = 1;
            s.collisions = 1;
            s.pending = 3
        }),
        "服务器拒绝 2 条"
    );
    assert_eq!(
        with(&|s| {
            s.offline = true;
            s.pending = 2;
            s.refused = 1
        }),
        "离线 · 待报送 2 条"
    );
    assert_eq!(
        with(&|s| {
            s.needs_login = true;
            s.offline = true
        }),
        "需要重新登录"
    );
}

fn describe(fault: &project_ledger::domain::validate::EditFault) -> String {
    format!("{fault:?}")
}

#[test]
fn a_pulled_edit_past_the_bounds_is_listed_not_taken_and_its_neighbours_are() {
    for flavour in [Flavour::Pouch, Flavour::Couch3] {
        let (mut writer, mut server) = pair(flavour);
        // Written by a client that skips the app's checks, to a server without the rules.
        writer.edit("hc-01", Change::Notes("前".into()), 1);
        let huge = writer.edit("hc-02", Change::Notes("长".repeat(10 * 1024 * 1024)), 2);
        writer.edit("hc-03", Change::Notes("后".into()), 3);
        push_all(&mut writer, &mut server, 10);
        let mut reader = Device::new(1);
        while !reader.sync.status(0).caught_up {
            assert!(reader.pull(&mut server, 1, 20, Fault::None));
        }
        let taken: Vec<String> = reader
            .journal
            .entries()
            .iter()
            .map(|e| e.id().to_string())
            .collect();
        assert_eq!(taken.len(), 2, "{flavour:?}: the neighbours only");
        assert!(!taken.contains(&huge.to_string()));
        let rejected = reader.sync.rejected();
        assert_eq!(rejected.len(), 1);
        assert_eq!(
            (rejected[0].id.clone(), rejected[0].subject.as_str()),
            (huge.clone(), "hc-02")
        );
        assert!(
            rejected[0].reason.contains("TooLong"),
            "{}",
            rejected[0].reason
        );
        // Kept across a restart of the page, and not listed twice when the
        // same edits are pulled again from the start.
        let kept = reader.sync.to_text();
        assert_eq!(Replicator::from_text(&kept).unwrap().rejected(), rejected);
        let checkpoint = format!("seq {}", reader.sync.checkpoint().unwrap());
        let mut reread = Device::new(1);
        reread.sync = Replicator::from_text(&kept.replacen(&checkpoint, "seq ", 1)).unwrap();
        reread.sync.sign_in("reader");
        while !reread.sync.status(0).caught_up {
            assert!(reread.pull(&mut server, 1, 30, Fault::None));
        }
        assert_eq!(reread.sync.rejected().len(), 1, "{flavour:?}");
    }
}

#[test]
fn a_restored_database_is_noticed_and_every_edit_it_lacks_is_pushed_again_and_pulled_by_others() {
    for flavour in [Flavour::Pouch, Flavour::Couch3] {
        let mut server = FakeCouch::new(flavour, 3);
        let mut a = Device::new(0);
        a.sync.set_marker("device-a");
        for n in 0..5 {
            a.edit("hc-01", Change::Notes(format!("备份之前 {n}")), n);
        }
        sync_until_quiet(&mut a, &mut server, 0, 100);
        assert!(
            server.locals.contains("_local/ledger-sync-device-a"),
            "marked"
        );
        let backup_holds = server.docs.len();
        for n in 5..8 {
            a.edit("hc-02", Change::Notes(format!("备份之后 {n}")), n);
        }
        sync_until_quiet(&mut a, &mut server, 0, 200);
        assert_eq!(server.docs.len(), 8);
        assert_eq!(a.sync.pending(a.journal.entries()), 0);
        // Lost and restored from the backup: three edits are gone from it.
        server.restore(backup_holds);
        assert_eq!(server.docs.len(), 5);
        // A's next pull fails once (the database was missing), then A finds
        // its marker gone, starts over with this database and pushes again
        // what it lacks, doubling nothing.
        let request = a.sync.next_pull(300).unwrap();
        let _ = server.handle(0, &request, Fault::DropAnswer);
        a.sync.pull_reply(300, Reply::NoAnswer, &describe);
        a.sync.wake();
        sync_until_quiet(&mut a, &mut server, 0, 400);
        assert_eq!(a.sync.restarts(), 1, "{flavour:?}");
        assert_eq!(server.docs.len(), 8, "{flavour:?}: whole again");
        assert_eq!(
            server.ids().iter().collect::<BTreeSet<_>>().len(),
            8,
            "nothing doubled"
        );
        assert_eq!(a.sync.pending(a.journal.entries()), 0);
        assert!(a.sync.caught_up());
        // Someone signing in afterwards gets every edit.
        let mut c = Device::new(2);
        c.sync.set_marker("device-c");
        sync_until_quiet(&mut c, &mut server, 2, 500);
        assert_eq!(c.ids(), a.ids(), "{flavour:?}");
        assert_eq!(c.sync.restarts(), 0, "a fresh device has nothing to forget");
        // A saved state keeps the marker: a reload does not start over.
        let mut again = Replicator::from_text(&a.sync.to_text()).unwrap();
        assert_eq!(again.marker(), Some("device-a"));
        again.sign_in("a");
        let mut reloaded = Device::new(0);
        reloaded.sync = again;
        reloaded
            .journal
            .add_all(a.journal.entries().iter().cloned());
        sync_until_quiet(&mut reloaded, &mut server, 0, 600);
        assert_eq!(reloaded.sync.restarts(), 0);
        // Replaced with no failure seen (a restore between two longpolls):
        // the longpoll that runs out with nothing has the next pull ask
        // whether the database is the same; no wake, no RECHECK_EVERY_MS.
        reloaded.next = 100;
        reloaded.edit("hc-03", Change::Notes("又一条".into()), 700);
        sync_until_quiet(&mut reloaded, &mut server, 0, 700);
        server.restore(5);
        // A page and then a longpoll see nothing amiss: the checkpoint is
        // past all the new database holds.
        // At most a last page, then the longpoll that runs out: then it asks.
        let mut pulls = 0;
        while reloaded.sync.identity_known() {
            assert!(reloaded.pull(&mut server, 0, 800, Fault::None));
            pulls += 1;
            assert!(
                pulls <= 2,
                "{flavour:?}: still not asked after {pulls} pulls"
            );
        }
        assert_eq!(server.docs.len(), 5, "{flavour:?}: not yet asked");
        sync_until_quiet(&mut reloaded, &mut server, 0, 800);
        const { assert!(800 < RECHECK_EVERY_MS) };
        assert_eq!(reloaded.sync.restarts(), 1);
        assert_eq!(server.docs.len(), 9, "{flavour:?}: whole again");
    }
}

/// Both lanes until neither has anything to ask (longpolls aside).
fn sync_until_quiet(d: &mut Device, server: &mut FakeCouch, me: usize, now: i64) {
    for _ in 0..200 {
        let pushed = d.push(server, me, now, Fault::None);
        let pull = !d.sync.caught_up() || !d.sync.identity_known();
        let pulled = pull && d.pull(server, me, now, Fault::None);
        if !pushed && !pulled {
            return;
        }
    }
    panic!("sync never went quiet");
}

#[test]
fn the_sync_page_counts_every_edit_it_handled() {
    use project_ledger::text::{sync_counts, SyncCounts};
    let counts = |uploaded, on_server_already, downloaded, here_already, refused, not_taken| {
        sync_counts(&SyncCounts {
            uploaded,
            on_server_already,
            downloaded,
            here_already,
            refused,
            not_taken,
        })
    };
    assert_eq!(counts(0, 0, 0, 0, 0, 0), Vec::<String>::new());
    assert_eq!(counts(3, 0, 0, 0, 0, 0), ["已上传 3 条"]);
    // All already there: said so, never "0".
    assert_eq!(
        counts(0, 5, 0, 7, 0, 0),
        ["服务器已有本机的 5 条，无需再上传", "下载的 7 条本机均已有"]
    );
    assert_eq!(
        counts(1, 0, 120, 3, 1, 1),
        [
            "已上传 1 条",
            "已下载 120 条（另有 3 条本机已有）",
            "服务器拒绝 1 条",
            "未接收 1 条（超出长度限制）"
        ]
    );
}

/// What the engine tells an app crosses between the two wasm as numbers:
/// every report reads back as it was, and numbers it did not write are no
/// report.
mod reports {
    use super::*;
    use project_ledger::domain::sync::replicator::{Report, Status};

    fn status() -> impl Strategy<Value = Status> {
        (
            any::<[bool; 4]>(),
            0usize..100_000,
            0usize..100_000,
            0usize..100_000,
            proptest::option::of(0i64..4_102_444_800_000),
        )
            .prop_map(
                |(
                    [signed_in, needs_login, offline, caught_up],
                    refused,
                    collisions,
                    pending,
                    last_contact,
                )| Status {
                    signed_in,
                    needs_login,
                    refused,
                    collisions,
                    offline,
                    pending,
                    last_contact,
                    caught_up,
                },
            )
    }

    proptest! {
        #[test]
        fn a_report_reads_back_as_it_was(status in proptest::option::of(status()), percent in proptest::option::of(0u32..=100)) {
            let report = Report { status, downloaded_percent: percent };
            prop_assert_eq!(Report::from_numbers(&report.to_numbers()), Some(report));
        }
    }

    #[test]
    fn numbers_it_did_not_write_are_no_report() {
        let report = Report {
            status: Some(Status {
                signed_in: true,
                needs_login: false,
                refused: 2,
                collisions: 0,
                offline: false,
                pending: 5,
                last_contact: Some(1_765_000_000_123),
                caught_up: true,
            }),
            downloaded_percent: None,
        };
        let numbers = report.to_numbers();
        assert_eq!(Report::from_numbers(&numbers), Some(report.clone()));
        assert_eq!(
            Report::from_numbers(&numbers[..numbers.len() - 1]),
            None,
            "cut short"
        );
        assert_eq!(
            Report::from_numbers(&[numbers.clone(), vec![0.0]].concat()),
            None,
            "one too many"
        );
        let mut flag = numbers.clone();
        flag[1] = 2.0;
        assert_eq!(Report::from_numbers(&flag), None, "a flag is 0 or 1");
        let mut count = numbers.clone();
        count[3] = 1.5;
        assert_eq!(Report::from_numbers(&count), None, "a count is whole");
        count[3] = -1.0;
        assert_eq!(Report::from_numbers(&count), None, "and not negative");
        assert_eq!(Report::from_numbers(&[]), None);
        assert_eq!(
            Report::from_numbers(&[0.0, 0.0, 0.0]),
            Some(Report {
                status: None,
                downloaded_percent: None
            }),
            "no server set"
        );
        assert!(
            report.status.unwrap().asks_attention(),
            "refused edits ask for attention"
        );
    }
}
