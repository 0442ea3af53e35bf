//! The OpenAPI document, generated from the handlers' annotations and the Rust types they
//! read and answer. `runtime/openapi.json` is its committed copy (a test keeps it fresh).

use std::sync::OnceLock;

use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::handlers::{self, MAX_TRIGGER_ATTRIBUTES};
use super::{tile_contacts, versions};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Switchboard journey runtime",
        description = "Publish journeys, import contacts and consent, post triggers and contact-center outcomes, read counts.\n\nTwo bearer tokens: **admin** (publish, pause, resume, stop, catalog, segments, reads — and everything ingest may) and **ingest** (contacts, consent records, triggers, interactions, runs). A missing or unknown token is 401, an ingest token on an admin route 403. Errors are always `{code, message}` JSON.",
        version = "1"
    ),
    paths(
        handlers::healthz,
        handlers::openapi,
        handlers::readyz,
        handlers::status,
        handlers::get_catalog,
        handlers::put_catalog,
        handlers::import_contacts,
        handlers::import_consents,
        handlers::list_segments,
        handlers::put_segment,
        handlers::publish,
        handlers::list_versions,
        versions::version_document,
        versions::version_summaries,
        handlers::version_action,
        handlers::counts,
        tile_contacts::tile_contacts,
        handlers::start_run,
        handlers::trigger,
        handlers::interaction,
    ),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags(
        (name = "health", description = "liveness, readiness, this document"),
        (name = "admin", description = "admin token only"),
        (name = "ingest", description = "ingest or admin token"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// A trigger's attributes: at most 30, any JSON value but null (the handler refuses more and
/// nulls; see `handlers::trigger`).
pub fn trigger_attributes() -> Schema {
    let value = ObjectBuilder::new().schema_type(SchemaType::from_iter([
        Type::String,
        Type::Number,
        Type::Boolean,
        Type::Array,
        Type::Object,
    ]));
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .additional_properties(Some(value))
            .max_properties(Some(MAX_TRIGGER_ATTRIBUTES))
            .description(Some("Its attributes: at most 30, no nulls."))
            .build(),
    )
}

/// The document as pretty JSON (what `GET /v1/openapi.json` serves and the committed copy holds).
pub fn document_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        let mut text = ApiDoc::openapi()
            .to_pretty_json()
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        text.push('\n');
        text
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regenerates `runtime/openapi.json` and fails when it was stale.
    #[test]
    fn the_committed_document_is_the_generated_one() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.json");
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        let generated = document_json();
        if committed != generated {
            std::fs::write(&path, generated).unwrap();
            panic!("runtime/openapi.json was stale; it is regenerated now: commit it");
        }
    }

    #[test]
    fn every_route_of_the_router_is_documented() {
        let doc: serde_json::Value = serde_json::from_str(document_json()).unwrap();
        let paths = doc["paths"].as_object().unwrap();
        let mut documented: Vec<(String, String)> = paths
            .iter()
            .flat_map(|(path, ops)| {
                ops.as_object()
                    .unwrap()
                    .keys()
                    .map(move |m| (m.clone(), path.clone()))
            })
            .collect();
        documented.sort();
        let mut routes: Vec<(String, String)> = super::super::ROUTES
            .iter()
            .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
            .collect();
        routes.sort();
        assert_eq!(documented, routes);
    }
}
