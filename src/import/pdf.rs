//! PDF (stub).
use super::{ImportError, Line};
pub fn lines(_bytes: &[u8], name: &str) -> Result<Vec<Line>, ImportError> {
    Err(ImportError(format!("{name}: PDF")))
}
