//! The Contacts… import reports what the runtime cannot use, from the embedded runtime and
//! from a remote one over HTTP (same types, same warnings).

use std::path::Path;

use super::embedded::EmbeddedRuntime;
use super::publish::import_contacts;
use super::runtime::{RemoteRuntime, RuntimeClient};

const CONTACTS: &str = "id,mobilePhone,timeZone\n\
ok1,+13125550100,America/Chicago\n\
bad1,not-a-phone,America/Chicago\n\
bad2,+1312555,Mars/Olympus\n";

const CONSENTS: &str = "contactPoint,channel,scope,scopeId,status,updatedAt\n\
+13125550100,voice,purpose,pur-promotions,optedIn,2026-01-01T00:00:00Z\n\
+13125559999,voice,purpose,pur-promotions,optedIn,2026-01-01T00:00:00Z\n";

fn catalog() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../journeys/samples/catalog.json")
}

fn files(dir: &Path) -> (String, String) {
    let (contacts, consents) = (dir.join("contacts.csv"), dir.join("consents.csv"));
    std::fs::write(&contacts, CONTACTS).unwrap();
    std::fs::write(&consents, CONSENTS).unwrap();
    (
        contacts.to_string_lossy().into_owned(),
        consents.to_string_lossy().into_owned(),
    )
}

fn check(client: &RuntimeClient, dir: &Path) {
    let (contacts, consents) = files(dir);
    let summary = import_contacts(client, Some(&contacts), Some(&consents), None).unwrap();
    assert_eq!((summary.contacts, summary.consents), (3, 2));
    let rows: Vec<(u32, Option<&str>, &str, &str)> = summary
        .warnings
        .iter()
        .map(|w| {
            (
                w.row,
                w.contact_id.as_deref(),
                w.column.as_str(),
                w.value.as_str(),
            )
        })
        .collect();
    // +13125550100's consent is not reported: the contacts file of the same import has it.
    assert_eq!(
        rows,
        vec![
            (3, None, "contactPoint", "+13125559999"),
            (3, Some("bad1"), "mobilePhone", "not-a-phone"),
            (4, Some("bad2"), "mobilePhone", "+1312555"),
            (4, Some("bad2"), "timeZone", "Mars/Olympus"),
        ]
    );
}

#[test]
fn the_embedded_runtime_reports_unusable_rows() {
    let (rt, files) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let runtime = EmbeddedRuntime::open(rt.path(), &catalog()).unwrap();
    check(
        &RuntimeClient::Embedded(runtime.executor().clone()),
        files.path(),
    );
}

#[test]
fn a_remote_runtime_reports_the_same_rows_over_http() {
    let (rt, files) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let runtime = EmbeddedRuntime::open(rt.path(), &catalog()).unwrap();
    let token = runtime
        .runtime()
        .api_token()
        .expect("a new runtime makes its admin token")
        .to_owned();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let tokio = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    tokio.spawn(async move {
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        runtime.runtime().serve(listener).await
    });
    check(
        &RuntimeClient::Remote(RemoteRuntime::new(url, token)),
        files.path(),
    );
}
