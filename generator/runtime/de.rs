//! `Deserialize` of the generated structs. serde's derive writes a field enum, a field visitor, a
//! sequence visitor and a map visitor for every struct (about 180 lines once expanded), and the
//! JSON parser's map loop is compiled again for each of them. Generated structs invoke
//! `deserialize_object!` instead: it writes one non-generic function per struct that stores each
//! property it declares, and every struct shares one map loop behind a type-erased deserializer
//! (`erased_serde`), so a large API crate is several times cheaper to compile. Decoding reads the
//! same JSON the derive did, with the same errors (missing, duplicate and mistyped fields), and
//! field paths still reach `Error::Decode`.

use std::fmt;

use serde::de::{Deserialize, DeserializeSeed, Deserializer, Error, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A property's value, or a whole struct, read through the erased deserializer.
pub type Input<'a, 'de> = dyn erased_serde::Deserializer<'de> + 'a;

/// A decode error behind the erased deserializer.
pub type Failure = erased_serde::Error;

/// Stores the value of property `key`, or skips it.
pub type Fill<'a, 'de> = dyn FnMut(&str, &mut Input<'_, 'de>) -> Result<(), Failure> + 'a;

/// A struct read from a JSON object by one non-generic function.
pub trait Object<'de>: Sized {
    /// Reads the struct's properties from `input`, which holds an object.
    fn read(input: &mut Input<'_, 'de>) -> Result<Self, Failure>;
}

/// `Deserialize::deserialize` of a generated struct.
pub fn object<'de, D: Deserializer<'de>, T: Object<'de>>(deserializer: D) -> Result<T, D::Error> {
    T::read(&mut <dyn erased_serde::Deserializer>::erase(deserializer)).map_err(D::Error::custom)
}

/// Reads an object, calling `fill` for each property, in order; `name` is the struct's name, for
/// "expected struct X" errors.
pub fn properties<'de>(input: &mut Input<'_, 'de>, name: &'static str, fill: &mut Fill<'_, 'de>) -> Result<(), Failure> {
    input.deserialize_map(ObjectVisitor { name, fill })
}

struct ObjectVisitor<'a, 'f, 'de> {
    name: &'static str,
    fill: &'a mut Fill<'f, 'de>,
}

impl<'de> Visitor<'de> for ObjectVisitor<'_, '_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            map.next_value_seed(Property { key: &key, fill: &mut *self.fill })?;
        }
        Ok(())
    }
}

/// The value of one property, handed to the struct's `fill`.
struct Property<'a, 'f, 'de> {
    key: &'a str,
    fill: &'a mut Fill<'f, 'de>,
}

impl<'de> DeserializeSeed<'de> for Property<'_, '_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        (self.fill)(self.key, &mut <dyn erased_serde::Deserializer>::erase(deserializer)).map_err(D::Error::custom)
    }
}

/// Reads the current property's value into `slot`; a property given twice is an error.
pub fn field<'de, T: Deserialize<'de>>(input: &mut Input<'_, 'de>, slot: &mut Option<T>, name: &'static str) -> Result<(), Failure> {
    unset(slot.is_some(), name)?;
    *slot = Some(erased_serde::deserialize(input)?);
    Ok(())
}

/// [`field`] for an `Option<T>` field: `null` is `None`. Like [`list`], it keeps serde's generic
/// visitor of each `Option<T>` out of the erased deserializer, where every visitor type would
/// compile all of its 30 methods. The crate compiles these readers once for every type it reads,
/// so each is one function with no generic helper under it but the list's `items`.
pub fn option<'de, T: Deserialize<'de>>(input: &mut Input<'_, 'de>, slot: &mut Option<Option<T>>, name: &'static str) -> Result<(), Failure> {
    unset(slot.is_some(), name)?;
    let mut out = None;
    input.deserialize_option(OptionVisitor(&mut |d| {
        out = Some(erased_serde::deserialize(d)?);
        Ok(())
    }))?;
    *slot = Some(out);
    Ok(())
}

/// [`field`] for a `Vec<T>` field.
pub fn list<'de, T: Deserialize<'de>>(input: &mut Input<'_, 'de>, slot: &mut Option<Vec<T>>, name: &'static str) -> Result<(), Failure> {
    unset(slot.is_some(), name)?;
    *slot = Some(items(input)?);
    Ok(())
}

/// [`field`] for an `Option<Vec<T>>` field.
pub fn option_list<'de, T: Deserialize<'de>>(
    input: &mut Input<'_, 'de>,
    slot: &mut Option<Option<Vec<T>>>,
    name: &'static str,
) -> Result<(), Failure> {
    unset(slot.is_some(), name)?;
    let mut out = None;
    input.deserialize_option(OptionVisitor(&mut |d| {
        out = Some(items(d)?);
        Ok(())
    }))?;
    *slot = Some(out);
    Ok(())
}

/// A "duplicate field" error when the property's slot is already `set`. Not generic, so the
/// check costs each reader one call.
fn unset(set: bool, name: &'static str) -> Result<(), Failure> {
    if set { Err(Failure::duplicate_field(name)) } else { Ok(()) }
}

/// A JSON list read item by item.
fn items<'de, T: Deserialize<'de>>(input: &mut Input<'_, 'de>) -> Result<Vec<T>, Failure> {
    let mut out = Vec::new();
    input.deserialize_seq(SeqVisitor(&mut |d| {
        out.push(erased_serde::deserialize(d)?);
        Ok(())
    }))?;
    Ok(out)
}

/// Reads one value (an option's or a list item's) into the reader's own slot.
type Read<'a, 'de> = dyn FnMut(&mut Input<'_, 'de>) -> Result<(), Failure> + 'a;

/// serde's `Option` visitor, with the value read by a closure: one type for every `Option<T>`.
struct OptionVisitor<'a, 'f, 'de>(&'a mut Read<'f, 'de>);

impl<'de> Visitor<'de> for OptionVisitor<'_, '_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("option")
    }

    fn visit_none<E: Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        erased(self.0, deserializer)
    }
}

/// serde's `Vec` visitor, with each item read by a closure: one type for every `Vec<T>`.
struct SeqVisitor<'a, 'f, 'de>(&'a mut Read<'f, 'de>);

impl<'de> Visitor<'de> for SeqVisitor<'_, '_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Item(&mut *self.0))?.is_some() {}
        Ok(())
    }
}

/// One list item, read by the list's closure.
struct Item<'a, 'f, 'de>(&'a mut Read<'f, 'de>);

impl<'de> DeserializeSeed<'de> for Item<'_, '_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        erased(self.0, deserializer)
    }
}

/// `read` given `deserializer` behind the erased interface; its error back as `D`'s.
fn erased<'de, D: Deserializer<'de>>(read: &mut Read<'_, 'de>, deserializer: D) -> Result<(), D::Error> {
    read(&mut <dyn erased_serde::Deserializer>::erase(deserializer)).map_err(D::Error::custom)
}

/// Skips the value of a property the type does not declare.
pub fn skip(input: &mut Input<'_, '_>) -> Result<(), Failure> {
    IgnoredAny::deserialize(input).map(|_| ())
}

/// The error of a required property that is missing.
pub fn missing(name: &'static str) -> Failure {
    Failure::missing_field(name)
}

/// An optional field's value from its slot: `optional` is the `Option` (`None` when missing);
/// `default` is the value or its default (`null` for a required property of any JSON). A
/// `match`, not a call, so a struct's reader compiles to little.
#[allow(unused_macros)]
macro_rules! take {
    (optional $field:ident) => {
        match $field {
            ::std::option::Option::Some(v) => v,
            ::std::option::Option::None => ::std::option::Option::None,
        }
    };
    (default $field:ident) => {
        match $field {
            ::std::option::Option::Some(v) => v,
            ::std::option::Option::None => ::std::default::Default::default(),
        }
    };
}

/// `Deserialize` (and [`Object`]) for struct `$name`: the required properties (JSON name, field,
/// the function reading its value: `field`, `option`, `list`, `option_list`), then, after a `;`,
/// the others, each with how a missing one is taken (`optional`, `default`).
// A crate may have no struct it sends, or none it receives.
#[allow(unused_macros)]
macro_rules! deserialize_object {
    ($name:ident {
        $( $wire:literal => $field:ident $read:ident ),* $(,)? ;
        $( $owire:literal => $ofield:ident $finish:ident $oread:ident ),* $(,)?
    }) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                $crate::runtime::de::object(d)
            }
        }

        impl<'de> $crate::runtime::de::Object<'de> for $name {
            fn read(
                input: &mut $crate::runtime::de::Input<'_, 'de>,
            ) -> ::std::result::Result<Self, $crate::runtime::de::Failure> {
                $( let mut $field = ::std::option::Option::None; )*
                $( let mut $ofield = ::std::option::Option::None; )*
                let read = $crate::runtime::de::properties(input, ::std::stringify!($name), &mut |key, value| match key {
                    $( $wire => $crate::runtime::de::$read(value, &mut $field, $wire), )*
                    $( $owire => $crate::runtime::de::$oread(value, &mut $ofield, $owire), )*
                    _ => $crate::runtime::de::skip(value),
                });
                if let ::std::result::Result::Err(e) = read {
                    return ::std::result::Result::Err(e);
                }
                // Each field is taken with a `match`, not a call and `?`: no unwinding edge and
                // no generic helper per field, which made large structs' readers quadratic.
                ::std::result::Result::Ok(Self {
                    $( $field: match $field {
                        ::std::option::Option::Some(v) => v,
                        ::std::option::Option::None => return ::std::result::Result::Err($crate::runtime::de::missing($wire)),
                    }, )*
                    $( $ofield: $crate::runtime::de::take!($finish $ofield), )*
                })
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use {deserialize_object, take};
