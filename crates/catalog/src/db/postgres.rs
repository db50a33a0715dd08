//! The PostgreSQL engine (the `postgres` crate, the synchronous client of `tokio-postgres`: the
//! catalogue's API is synchronous, and one connection per catalogue handle, as with SQLite): a session
//! that prepares each statement once ([`super::dialect`] renders it), binds [`Value`]s to whatever type
//! the server inferred for each parameter, and reads any column as a [`ValueRef`].

use std::collections::HashMap;
use std::error::Error as StdError;

use postgres::types::{FromSql, IsNull, ToSql, Type};
use postgres::{Client, Statement};

use super::value::{Value, ValueRef};

type BoxError = Box<dyn StdError + Sync + Send>;

/// The channel on which every committed change to the catalogue is announced (a trigger on each
/// table sends `NOTIFY argus_changes` once per transaction that wrote it).
pub const CHANGES_CHANNEL: &str = "argus_changes";

/// Runs `f`, which blocks on a connection's private runtime (the `postgres` client drives
/// `tokio-postgres` on a runtime of its own; connecting, every statement and closing block on it),
/// wherever the catalogue is used. On a worker thread of a multi-threaded tokio runtime — the app's
/// async commands, a test's async steps — blocking there would panic ("Cannot start a runtime from
/// within a runtime"), so the thread first hands its runtime work to another (`block_in_place`).
/// Elsewhere (plain threads, `spawn_blocking`) `f` just runs.
pub fn outside_async<T>(f: impl FnOnce() -> T) -> T {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

/// Why [`Session::client`] is never empty while the session is used.
const CONNECTED: &str = "the connection is there until the session is dropped";

/// A connection and the statements prepared on it, by their source text.
pub struct Session {
    /// Always there until the session is dropped (then closed outside any async runtime).
    client: Option<Client>,
    statements: HashMap<String, Statement>,
    /// Change notices received so far (whether this session listens is up to its opener).
    notices: i64,
    /// The schema whose notices count (several catalogues may share a database, one per schema).
    schema: String,
}

impl Session {
    pub fn new(client: Client) -> Session {
        Session {
            client: Some(client),
            statements: HashMap::new(),
            notices: 0,
            schema: String::new(),
        }
    }

    /// The connection.
    pub fn client(&mut self) -> &mut Client {
        self.client.as_mut().expect(CONNECTED)
    }

    /// How many change notices have arrived. One round trip to the server first: the client reads
    /// what waits on its socket only while it talks to the server, and the notices of commits made
    /// before it arrive before its answer.
    pub fn notices(&mut self) -> Result<i64, postgres::Error> {
        use postgres::fallible_iterator::FallibleIterator;
        let client = self.client.as_mut().expect(CONNECTED);
        client.batch_execute("")?;
        let mut pending = client.notifications();
        let mut arrived = pending.iter();
        while let Some(notice) = arrived.next()? {
            if notice.channel() == CHANGES_CHANNEL && notice.payload() == self.schema {
                self.notices += 1;
            }
        }
        Ok(self.notices)
    }

    /// The prepared form of `sql` (written in the shared dialect).
    pub fn statement(&mut self, sql: &str) -> Result<Statement, postgres::Error> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client().prepare(&super::dialect::to_postgres(sql))?;
        self.statements.insert(sql.to_string(), statement.clone());
        Ok(statement)
    }

    /// Starts counting the change notices of the catalogue in the session's current schema.
    pub fn listen(&mut self) -> Result<(), postgres::Error> {
        self.schema = self
            .client()
            .query_one("SELECT current_schema()", &[])?
            .get::<_, Option<String>>(0)
            .unwrap_or_default();
        self.client()
            .batch_execute(&format!("LISTEN {CHANGES_CHANNEL}"))
    }

    /// Forgets the prepared statements (after the schema changed under them).
    pub fn forget_statements(&mut self) {
        self.statements.clear();
    }
}

impl Drop for Session {
    /// Closing the connection blocks on its runtime too (see [`outside_async`]).
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            outside_async(|| drop(client));
        }
    }
}

/// A PostgreSQL error as one line: the server's message with its detail and hint, else the client's.
pub fn describe(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => {
            let mut text = db.message().to_string();
            if let Some(detail) = db.detail() {
                text.push_str(&format!(" ({detail})"));
            }
            if let Some(hint) = db.hint() {
                text.push_str(&format!("; {hint}"));
            }
            text
        }
        None => {
            let mut text = error.to_string();
            let mut source = error.source();
            while let Some(cause) = source {
                text.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            text
        }
    }
}

impl ToSql for Value<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<IsNull, BoxError>
    where
        Self: Sized,
    {
        let mismatch = || -> BoxError {
            format!("cannot bind {self:?} to a parameter of type {}", ty.name()).into()
        };
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i).map_err(|_| mismatch())?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i).map_err(|_| mismatch())?.to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::FLOAT4 => (*i as f32).to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR | Type::UNKNOWN => {
                    i.to_string().to_sql(&Type::TEXT, out)
                }
                _ => Err(mismatch()),
            },
            Value::Real(f) => match *ty {
                Type::FLOAT8 => f.to_sql(ty, out),
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                Type::INT8 if f.fract() == 0.0 => (*f as i64).to_sql(ty, out),
                Type::INT4 if f.fract() == 0.0 => (*f as i32).to_sql(ty, out),
                _ => Err(mismatch()),
            },
            Value::Text(t) => match *ty {
                Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                    t.as_ref().to_sql(&Type::TEXT, out)
                }
                _ => Err(mismatch()),
            },
            Value::Blob(b) => match *ty {
                Type::BYTEA => b.as_ref().to_sql(ty, out),
                _ => Err(mismatch()),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// Any column, read as the kind of value it holds.
pub struct Loose<'a>(pub ValueRef<'a>);

impl<'a> FromSql<'a> for Loose<'a> {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(Loose(match *ty {
            Type::INT8 => ValueRef::Int(i64::from_sql(ty, raw)?),
            Type::INT4 => ValueRef::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT2 => ValueRef::Int(i16::from_sql(ty, raw)?.into()),
            Type::OID => ValueRef::Int(u32::from_sql(ty, raw)?.into()),
            Type::BOOL => ValueRef::Int(bool::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => ValueRef::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => ValueRef::Real(f32::from_sql(ty, raw)?.into()),
            Type::NUMERIC => numeric(raw)?,
            Type::BYTEA => ValueRef::Blob(<&[u8]>::from_sql(ty, raw)?),
            _ => ValueRef::Text(<&str>::from_sql(&Type::TEXT, raw).map_err(|_| {
                format!(
                    "a column of type {} cannot be read by the catalogue",
                    ty.name()
                )
            })?),
        }))
    }

    fn from_sql_null(_: &Type) -> Result<Self, BoxError> {
        Ok(Loose(ValueRef::Null))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// A NUMERIC in PostgreSQL's binary form (what `SUM` of integers and `AVG` return): an integer when
/// it has no fractional digits, else a real.
fn numeric(raw: &[u8]) -> Result<ValueRef<'static>, BoxError> {
    let word = |i: usize| -> Result<u16, BoxError> {
        raw.get(i..i + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
            .ok_or_else(|| "a truncated NUMERIC".into())
    };
    let (digits, weight, sign, scale) = (word(0)?, word(2)? as i16, word(4)?, word(6)?);
    if sign == 0xC000 {
        return Ok(ValueRef::Real(f64::NAN));
    }
    let mut value = 0f64;
    let mut integral = 0i128;
    let mut exact = true;
    for d in 0..digits as usize {
        let digit = word(8 + 2 * d)?;
        let power = weight as i32 - d as i32;
        value += f64::from(digit) * 10000f64.powi(power);
        if power >= 0 {
            match 10000i128
                .checked_pow(power as u32)
                .and_then(|p| p.checked_mul(i128::from(digit)))
                .and_then(|v| v.checked_add(integral))
            {
                Some(v) => integral = v,
                None => exact = false,
            }
        } else if digit != 0 {
            exact = false;
        }
    }
    let negative = sign == 0x4000;
    if scale == 0 && exact {
        let signed = if negative { -integral } else { integral };
        if let Ok(i) = i64::try_from(signed) {
            return Ok(ValueRef::Int(i));
        }
    }
    Ok(ValueRef::Real(if negative { -value } else { value }))
}

#[cfg(test)]
mod tests {
    use super::{numeric, ValueRef};

    fn encode(digits: &[u16], weight: i16, negative: bool, scale: u16) -> Vec<u8> {
        let mut raw = Vec::new();
        raw.extend((digits.len() as u16).to_be_bytes());
        raw.extend(weight.to_be_bytes());
        raw.extend((if negative { 0x4000u16 } else { 0 }).to_be_bytes());
        raw.extend(scale.to_be_bytes());
        for d in digits {
            raw.extend(d.to_be_bytes());
        }
        raw
    }

    #[test]
    fn numerics_read_as_integers_or_reals() {
        // 123456789 = 1·10000² + 2345·10000 + 6789
        assert_eq!(
            numeric(&encode(&[1, 2345, 6789], 2, false, 0)).unwrap(),
            ValueRef::Int(123_456_789)
        );
        assert_eq!(
            numeric(&encode(&[42], 0, true, 0)).unwrap(),
            ValueRef::Int(-42)
        );
        assert_eq!(
            numeric(&encode(&[], 0, false, 0)).unwrap(),
            ValueRef::Int(0)
        );
        // 20000 = 2·10000¹ (trailing zero groups are not stored)
        assert_eq!(
            numeric(&encode(&[2], 1, false, 0)).unwrap(),
            ValueRef::Int(20000)
        );
        // 2.5 = 2 + 5000·10000⁻¹
        assert_eq!(
            numeric(&encode(&[2, 5000], 0, false, 1)).unwrap(),
            ValueRef::Real(2.5)
        );
    }
}
