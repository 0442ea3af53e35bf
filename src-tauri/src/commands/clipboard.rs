//! The clipboard command: check pasted text against the document schema.

use crate::error::AppError;
use crate::ops::clipboard::{self, Fragment};

/// Read clipboard text as tiles to paste, or say why it is not.
#[tauri::command]
#[specta::specta]
pub async fn parse_fragment(text: String) -> Result<Fragment, AppError> {
    clipboard::parse_fragment(&text).map_err(|e| AppError::InvalidInput(e.to_string()))
}
