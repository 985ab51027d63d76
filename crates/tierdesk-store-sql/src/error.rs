//! sqlx errors in the store's terms.

use sqlx::error::ErrorKind;
use tierdesk_store::StoreError;

/// Any database failure, as text.
pub(crate) fn db(e: sqlx::Error) -> StoreError {
    StoreError::Database(e.to_string())
}

/// A failed write: unique and foreign-key violations become the store's own errors.
pub(crate) fn write(what: &'static str, id: &str, e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(d) = &e {
        match d.kind() {
            ErrorKind::UniqueViolation => {
                return StoreError::AlreadyExists {
                    what,
                    id: id.to_owned(),
                };
            }
            ErrorKind::ForeignKeyViolation => {
                return StoreError::Reference(format!(
                    "{what} {id} refers to a record that does not exist, or is still referred to"
                ));
            }
            _ => {}
        }
    }
    db(e)
}
