//! What a command rejects with: a message people can read, and — for a query that does not parse —
//! where it is wrong (the query bar underlines it).

pub use crate::contract::CommandError;

impl CommandError {
    pub fn new(message: impl Into<String>) -> CommandError {
        CommandError {
            message: message.into(),
            query: None,
        }
    }
}

impl From<argus_api::Error> for CommandError {
    fn from(e: argus_api::Error) -> Self {
        match e {
            argus_api::Error::Query(q) => CommandError {
                message: q.to_string(),
                query: Some(q),
            },
            other => CommandError::new(other.to_string()),
        }
    }
}

impl From<anyhow::Error> for CommandError {
    fn from(e: anyhow::Error) -> Self {
        CommandError::new(format!("{e:#}"))
    }
}

pub type CommandResult<T> = Result<T, CommandError>;
