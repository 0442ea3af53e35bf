//! The designer's appearance: follow the system's light or dark mode, or force one.

use serde::{Deserialize, Serialize};
use specta::Type;

use super::{Db, Result};

const KEY: &str = "appearance";

/// Light or dark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum Appearance {
    /// As the operating system says (`prefers-color-scheme`).
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// The chosen appearance; the system's when none was chosen. A value this build does not know
/// (written by a newer one) also reads as the system's, so the app still opens.
pub fn appearance(db: &Db) -> Result<Appearance> {
    Ok(db
        .setting(KEY)?
        .and_then(|v| serde_json::from_value(serde_json::Value::String(v)).ok())
        .unwrap_or_default())
}

/// Choose the appearance; it is kept with the other settings.
pub fn set_appearance(db: &Db, appearance: Appearance) -> Result<Appearance> {
    let value = match appearance {
        Appearance::System => "system",
        Appearance::Light => "light",
        Appearance::Dark => "dark",
    };
    db.set_setting(KEY, value)?;
    Ok(appearance)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_choice_survives_a_reopen_and_an_unknown_value_reads_as_system() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Db::open(dir.path()).expect("open");
        assert_eq!(appearance(&db).expect("read"), Appearance::System);
        set_appearance(&db, Appearance::Dark).expect("write");
        drop(db);
        let db = Db::open(dir.path()).expect("reopen");
        assert_eq!(appearance(&db).expect("read"), Appearance::Dark);
        db.set_setting(KEY, "sepia").expect("write");
        assert_eq!(appearance(&db).expect("read"), Appearance::System);
    }
}
