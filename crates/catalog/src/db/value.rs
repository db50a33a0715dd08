//! The values that cross the engine boundary: [`Value`] (a parameter, borrowed or owned), [`ValueRef`]
//! (a column as read, borrowed from its row), and the conversions from Rust types ([`ToValue`]) and
//! back ([`FromValue`]). Five kinds, SQLite's storage classes: both engines map onto them (PostgreSQL's
//! integers, floats, booleans, numerics, text and bytea), so the catalogue's code reads and binds the
//! same way whichever engine holds it.

use std::borrow::Cow;

/// A parameter of a statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(Cow<'a, str>),
    Blob(Cow<'a, [u8]>),
}

impl Value<'_> {
    /// The same value, owning its text or bytes.
    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Null => Value::Null,
            Value::Int(i) => Value::Int(i),
            Value::Real(f) => Value::Real(f),
            Value::Text(t) => Value::Text(Cow::Owned(t.into_owned())),
            Value::Blob(b) => Value::Blob(Cow::Owned(b.into_owned())),
        }
    }
}

impl From<i64> for Value<'static> {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl From<f64> for Value<'static> {
    fn from(f: f64) -> Self {
        Value::Real(f)
    }
}

impl From<String> for Value<'static> {
    fn from(t: String) -> Self {
        Value::Text(Cow::Owned(t))
    }
}

impl From<&str> for Value<'static> {
    fn from(t: &str) -> Self {
        Value::Text(Cow::Owned(t.to_string()))
    }
}

/// A column of a row as read, borrowing its text or bytes from the row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

impl<'a> ValueRef<'a> {
    /// The text, or `None` for NULL; an error for another kind.
    pub fn as_str_or_null(self) -> Result<Option<&'a str>, String> {
        match self {
            ValueRef::Null => Ok(None),
            ValueRef::Text(t) => Ok(Some(t)),
            other => Err(format!("expected text, found {}", other.kind())),
        }
    }

    fn kind(self) -> &'static str {
        match self {
            ValueRef::Null => "NULL",
            ValueRef::Int(_) => "an integer",
            ValueRef::Real(_) => "a real",
            ValueRef::Text(_) => "text",
            ValueRef::Blob(_) => "a blob",
        }
    }
}

/// A Rust value bound as a statement's parameter.
pub trait ToValue {
    fn to_value(&self) -> Value<'_>;
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value<'_> {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value<'_> {
        match self {
            Some(v) => v.to_value(),
            None => Value::Null,
        }
    }
}

impl ToValue for Value<'_> {
    fn to_value(&self) -> Value<'_> {
        match self {
            Value::Text(t) => Value::Text(Cow::Borrowed(t)),
            Value::Blob(b) => Value::Blob(Cow::Borrowed(b)),
            Value::Null => Value::Null,
            Value::Int(i) => Value::Int(*i),
            Value::Real(f) => Value::Real(*f),
        }
    }
}

macro_rules! integer_to_value {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value<'_> {
                Value::Int(*self as i64)
            }
        }
    )*};
}
integer_to_value!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize);

impl ToValue for bool {
    fn to_value(&self) -> Value<'_> {
        Value::Int(i64::from(*self))
    }
}

impl ToValue for f64 {
    fn to_value(&self) -> Value<'_> {
        Value::Real(*self)
    }
}

impl ToValue for f32 {
    fn to_value(&self) -> Value<'_> {
        Value::Real(f64::from(*self))
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value<'_> {
        Value::Text(Cow::Borrowed(self))
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value<'_> {
        Value::Text(Cow::Borrowed(self))
    }
}

impl ToValue for Cow<'_, str> {
    fn to_value(&self) -> Value<'_> {
        Value::Text(Cow::Borrowed(self))
    }
}

impl ToValue for [u8] {
    fn to_value(&self) -> Value<'_> {
        Value::Blob(Cow::Borrowed(self))
    }
}

impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value<'_> {
        Value::Blob(Cow::Borrowed(self))
    }
}

/// The parameters of one statement, in order (`?1` is the first).
pub trait Params {
    fn values(&self) -> Vec<Value<'_>>;
}

impl Params for () {
    fn values(&self) -> Vec<Value<'_>> {
        Vec::new()
    }
}

impl<T: ToValue> Params for [T] {
    fn values(&self) -> Vec<Value<'_>> {
        self.iter().map(ToValue::to_value).collect()
    }
}

impl<T: ToValue, const N: usize> Params for [T; N] {
    fn values(&self) -> Vec<Value<'_>> {
        self.iter().map(ToValue::to_value).collect()
    }
}

impl<T: ToValue> Params for Vec<T> {
    fn values(&self) -> Vec<Value<'_>> {
        self.iter().map(ToValue::to_value).collect()
    }
}

impl<P: Params + ?Sized> Params for &P {
    fn values(&self) -> Vec<Value<'_>> {
        (**self).values()
    }
}

/// Owned parameters from values of one type (a list bound to `?1 … ?n`).
pub fn params_from_iter<T: ToValue>(values: impl IntoIterator<Item = T>) -> Vec<Value<'static>> {
    values
        .into_iter()
        .map(|v| v.to_value().into_owned())
        .collect()
}

/// Parameters from a list of expressions: `params![photo_id, name]` (as rusqlite's macro).
macro_rules! params {
    () => { () };
    ($($value:expr),+ $(,)?) => {
        [$(&$value as &dyn $crate::db::ToValue),+]
    };
}
pub(crate) use params;

/// A Rust value read from a column.
pub trait FromValue: Sized {
    /// The value, or why the column cannot be read as this type.
    fn from_value(value: ValueRef<'_>) -> Result<Self, String>;
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: ValueRef<'_>) -> Result<Self, String> {
        match value {
            ValueRef::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

impl FromValue for i64 {
    fn from_value(value: ValueRef<'_>) -> Result<Self, String> {
        match value {
            ValueRef::Int(i) => Ok(i),
            other => Err(format!("expected an integer, found {}", other.kind())),
        }
    }
}

macro_rules! narrow_integer_from_value {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(value: ValueRef<'_>) -> Result<Self, String> {
                let wide = i64::from_value(value)?;
                <$t>::try_from(wide).map_err(|_| {
                    format!("{wide} is out of range for {}", stringify!($t))
                })
            }
        }
    )*};
}
narrow_integer_from_value!(i8, i16, i32, u8, u16, u32, u64, usize);

impl FromValue for bool {
    fn from_value(value: ValueRef<'_>) -> Result<Self, String> {
        Ok(i64::from_value(value)? != 0)
    }
}

impl FromValue for f64 {
    fn from_value(value: ValueRef<'_>) -> Result<Self, String> {
        match value {
            ValueRef::Real(f) => Ok(f),
            ValueRef::Int(i) => Ok(i as f64),
            other => Err(format!("expected a number, found {}", other.kind())),
        }
    }
}

impl FromValue for f32 {
    fn from_value(value: ValueRef<'_>) -> Result<Self, String> {
        f64::from_value(value).map(|f| f as f32)
    }
}

impl FromValue for String {
    fn from_value(value: ValueRef<'_>) -> Result<Self, String> {
        match value {
            ValueRef::Text(t) => Ok(t.to_string()),
            other => Err(format!("expected text, found {}", other.kind())),
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(value: ValueRef<'_>) -> Result<Self, String> {
        match value {
            ValueRef::Blob(b) => Ok(b.to_vec()),
            ValueRef::Text(t) => Ok(t.as_bytes().to_vec()),
            other => Err(format!("expected a blob, found {}", other.kind())),
        }
    }
}

/// Any column, owned: for code that copies rows whatever their types (`argus catalog migrate`).
impl FromValue for Value<'static> {
    fn from_value(value: ValueRef<'_>) -> Result<Self, String> {
        Ok(match value {
            ValueRef::Null => Value::Null,
            ValueRef::Int(i) => Value::Int(i),
            ValueRef::Real(f) => Value::Real(f),
            ValueRef::Text(t) => Value::Text(Cow::Owned(t.to_string())),
            ValueRef::Blob(b) => Value::Blob(Cow::Owned(b.to_vec())),
        })
    }
}
