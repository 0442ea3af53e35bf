//! Kill -9 the app's own `--autosave-stress` mode mid-write many times; every reopen must find
//! an intact file holding at least the last revision the child reported as committed.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use switchboard_lib::storage::Db;
use switchboard_lib::stress::STRESS_ID;

const ROUNDS: u32 = 25;

#[test]
fn killing_the_app_mid_autosave_never_corrupts_or_loses_a_committed_draft() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut last_committed = 0u64;
    for round in 0..ROUNDS {
        let mut child = Command::new(env!("CARGO_BIN_EXE_switchboard"))
            .arg("--autosave-stress")
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the app binary starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        // Let it commit a varying number of revisions so the kill lands at different points
        // of a write (round-dependent wait after the first few commits).
        let wanted = 2 + u64::from(round % 5);
        let started = Instant::now();
        let mut seen = 0;
        while seen < wanted {
            let line = lines
                .next()
                .expect("the child prints revisions")
                .expect("readable stdout");
            last_committed = line.trim().parse().expect("a revision number");
            seen += 1;
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "child too slow"
            );
        }
        std::thread::sleep(Duration::from_micros(u64::from(round) * 397 % 3000));
        child.kill().expect("SIGKILL delivered");
        child.wait().expect("child reaped");
        // Revisions printed between our last read and the kill may also have been committed.
        for line in lines.map_while(Result::ok) {
            if let Ok(n) = line.trim().parse() {
                last_committed = n;
            }
        }

        let db = Db::open(dir.path()).expect("the file reopens after a kill");
        assert_eq!(db.integrity_check().expect("integrity check runs"), "ok");
        let row = db.draft(STRESS_ID).expect("the draft survives");
        let revision: u64 = row
            .document
            .name
            .strip_prefix("revision ")
            .and_then(|n| n.parse().ok())
            .expect("a revision name");
        assert!(
            revision >= last_committed,
            "round {round}: found revision {revision}, but {last_committed} was committed"
        );
        // The document is whole: every tile of that revision is there.
        assert_eq!(row.document.tiles.len(), 301, "round {round}");
        assert!(
            row.document.tiles[300]
                .name()
                .ends_with(&format!("revision {revision}"))
        );
        last_committed = revision;
    }
}
