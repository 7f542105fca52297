//! The numbers of the result documents: rounded to 1e-9 when made, so that identical
//! inputs give byte-identical output and a document read back from its JSON equals the one
//! written; never `-0`; `null` in JSON for a value that is not a number.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Rounds to 1e-9 so that identical inputs give byte-identical output; never `-0`.
pub fn round9(x: f64) -> f64 {
    let y = (x * 1e9).round() / 1e9;
    if y == 0.0 { 0.0 } else { y }
}

/// A number of a result document, rounded to 1e-9 ([`round9`]). NaN and the infinities
/// stand for "no value" and are written as JSON `null`, which reads back as NaN.
#[derive(Clone, Copy, Default, PartialEq)]
pub struct Num(f64);

impl Num {
    /// `x` rounded to 1e-9.
    pub fn new(x: f64) -> Num {
        Num(if x.is_finite() { round9(x) } else { f64::NAN })
    }

    /// No value (`null` in JSON).
    pub const NONE: Num = Num(f64::NAN);

    /// The value, if it is a number.
    pub fn as_f64(&self) -> Option<f64> {
        self.0.is_finite().then_some(self.0)
    }

    /// The value, NaN when there is none.
    pub fn raw(self) -> f64 {
        self.0
    }
}

impl From<f64> for Num {
    fn from(x: f64) -> Num {
        Num::new(x)
    }
}

impl From<Option<f64>> for Num {
    fn from(x: Option<f64>) -> Num {
        x.map_or(Num::NONE, Num::new)
    }
}

impl fmt::Debug for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.as_f64() {
            Some(x) => write!(f, "{x:?}"),
            None => f.write_str("null"),
        }
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.as_f64() {
            Some(x) => serializer.serialize_f64(x),
            None => serializer.serialize_none(),
        }
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Num, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_f64<E>(self, x: f64) -> Result<Num, E> {
                Ok(Num::new(x))
            }
            fn visit_i64<E>(self, x: i64) -> Result<Num, E> {
                Ok(Num::new(x as f64))
            }
            fn visit_u64<E>(self, x: u64) -> Result<Num, E> {
                Ok(Num::new(x as f64))
            }
            fn visit_unit<E>(self) -> Result<Num, E> {
                Ok(Num::NONE)
            }
            fn visit_none<E>(self) -> Result<Num, E> {
                Ok(Num::NONE)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// Values by the name of their group (a domain, a phase, a priority), in the scenario's
/// order, which the JSON keeps.
pub type Named<T> = indexmap::IndexMap<String, T>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_to_nine_places_and_null_stands_for_none() {
        let values = [
            Num::new(0.1 + 0.2),
            Num::new(-1e-12),
            Num::new(f64::NAN),
            Num::new(2.0),
        ];
        let json = serde_json::to_string(&values).unwrap();
        assert_eq!(json, "[0.3,0.0,null,2.0]");
        let back: Vec<Num> = serde_json::from_str(&json).unwrap();
        assert_eq!(back[0], values[0]);
        assert_eq!(back[1].as_f64(), Some(0.0));
        assert_eq!(back[2].as_f64(), None);
        assert_eq!(back[3].as_f64(), Some(2.0));
    }

    #[test]
    fn named_values_keep_their_order() {
        let mut named: Named<Num> = Named::new();
        named.insert("sea".into(), Num::new(0.5));
        named.insert("land".into(), Num::new(1.0));
        let json = serde_json::to_string(&named).unwrap();
        assert_eq!(json, r#"{"sea":0.5,"land":1.0}"#);
        let back: Named<Num> = serde_json::from_str(&json).unwrap();
        assert_eq!(back.keys().collect::<Vec<_>>(), ["sea", "land"]);
    }
}
