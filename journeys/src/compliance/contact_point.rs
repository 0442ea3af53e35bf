//! The contact point: the Send-to number in E.164 form (domain decision D3).
//!
//! Spaces, dashes, dots and parentheses are dropped, a leading `00` becomes `+`, and the result
//! must be `+` followed by 8 to 15 digits. Consent look-ups and phone-prefix rules use this form.
//! The normalised number lives on the stack: deciding a call allocates nothing for it.

use std::fmt;

use super::BlockCode;

/// `+` and at most 15 digits.
const CAPACITY: usize = 16;

/// A normalised E.164 number, `+` and 8–15 digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContactPoint {
    bytes: [u8; CAPACITY],
    len: u8,
}

impl ContactPoint {
    /// Normalise a Send-to field. `None`, an empty or a blank field is missing; anything that
    /// is not `+` and 8–15 digits after normalisation is invalid.
    pub fn parse(raw: Option<&str>) -> Result<ContactPoint, ContactPointError> {
        let raw = raw.unwrap_or("");
        if raw.trim().is_empty() {
            return Err(ContactPointError::Missing);
        }
        let normalised = Normalised::of(raw).ok_or(ContactPointError::Invalid)?;
        let digits = normalised.len.saturating_sub(1);
        if normalised.plus && (8..=15).contains(&digits) {
            Ok(normalised.into_contact_point())
        } else {
            Err(ContactPointError::Invalid)
        }
    }

    /// The number, e.g. `+13125550100`.
    pub fn as_str(&self) -> &str {
        // Only ASCII `+` and digits are ever stored.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }

    /// Whether the number starts with `prefix`, normalised the same way (so `+1 (212)` and
    /// `001212` both mean `+1212`). An empty or malformed prefix matches nothing.
    pub fn starts_with_prefix(&self, prefix: &str) -> bool {
        match Normalised::of(prefix) {
            Some(p) if p.len > 0 => self.bytes[..usize::from(self.len)].starts_with(p.as_bytes()),
            _ => false,
        }
    }
}

impl fmt::Debug for ContactPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ContactPoint({})", self.as_str())
    }
}

impl fmt::Display for ContactPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a Send-to field is not a usable number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ContactPointError {
    /// The field is empty.
    #[error("The Send-to phone field is empty.")]
    Missing,
    /// Not `+` and 8–15 digits after normalisation.
    #[error("The Send-to number is not a valid E.164 number.")]
    Invalid,
}

impl ContactPointError {
    /// The block code a call gets for it (D6).
    pub fn block_code(self) -> BlockCode {
        match self {
            ContactPointError::Missing => BlockCode::ContactPointMissing,
            ContactPointError::Invalid => BlockCode::ContactPointInvalid,
        }
    }
}

/// `+`/digits after dropping separators; `None` when a character is neither or it is too long.
struct Normalised {
    bytes: [u8; CAPACITY],
    len: usize,
    plus: bool,
}

impl Normalised {
    fn of(raw: &str) -> Option<Normalised> {
        let mut out = Normalised {
            bytes: [0; CAPACITY],
            len: 0,
            plus: false,
        };
        // Leading zeros seen before any other digit, to turn a leading `00` into `+`.
        let mut pending_zeros = 0usize;
        // Bytes, not chars: every accepted character is ASCII, and any other byte (including
        // a part of a multi-byte character) is rejected unless it is Unicode whitespace.
        let bytes = raw.as_bytes();
        let mut index = 0;
        while let Some(&byte) = bytes.get(index) {
            index += 1;
            match byte {
                b' ' | b'-' | b'.' | b'(' | b')' | b'\t' | b'\n' | b'\r' => {}
                b'+' if out.len == 0 && pending_zeros == 0 => {
                    out.push(b'+')?;
                    out.plus = true;
                }
                b'0' if out.len == 0 && pending_zeros < 2 => {
                    pending_zeros += 1;
                    if pending_zeros == 2 {
                        out.push(b'+')?;
                        out.plus = true;
                    }
                }
                b'0'..=b'9' => {
                    if pending_zeros == 1 {
                        // A single leading zero (a national number): kept, so it is invalid.
                        out.push(b'0')?;
                    }
                    pending_zeros = 0;
                    out.push(byte)?;
                }
                byte if byte.is_ascii() => return None,
                _ => {
                    // A multi-byte character: allowed only if it is whitespace.
                    let rest = raw.get(index - 1..)?;
                    let c = rest.chars().next()?;
                    if !c.is_whitespace() {
                        return None;
                    }
                    index += c.len_utf8() - 1;
                }
            }
        }
        if pending_zeros == 1 {
            out.push(b'0')?;
        }
        Some(out)
    }

    fn push(&mut self, byte: u8) -> Option<()> {
        let slot = self.bytes.get_mut(self.len)?;
        *slot = byte;
        self.len += 1;
        Some(())
    }

    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    fn into_contact_point(self) -> ContactPoint {
        ContactPoint {
            bytes: self.bytes,
            // At most CAPACITY (16), so it fits.
            len: u8::try_from(self.len).unwrap_or(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<String, ContactPointError> {
        ContactPoint::parse(Some(raw)).map(|c| c.as_str().to_owned())
    }

    #[test]
    fn separators_are_dropped_and_a_leading_00_becomes_plus() {
        let cases = [
            ("+1 (312) 555-0100", "+13125550100"),
            ("+1.312.555.0100", "+13125550100"),
            ("0044 20 7946 0958", "+442079460958"),
            ("00 1-212-555-0100", "+12125550100"),
            ("+12345678", "+12345678"),
            ("+123456789012345", "+123456789012345"),
            ("\t+33 1 23 45 67 89 ", "+33123456789"),
            ("+33\u{a0}1\u{2009}23 45 67 89", "+33123456789"),
        ];
        for (raw, expected) in cases {
            assert_eq!(parse(raw), Ok(expected.to_owned()), "{raw}");
        }
    }

    #[test]
    fn anything_else_is_invalid_and_blank_is_missing() {
        for raw in [
            "3125550100",
            "0312 555 0100",
            "+1234567",
            "+1234567890123456",
            "+1 312 555 010O",
            "+1/312/5550100",
            "+1 312 555 01０0",
            "++13125550100",
            "+1 312 +555 0100",
            "()",
            "+",
        ] {
            assert_eq!(parse(raw), Err(ContactPointError::Invalid), "{raw}");
        }
        assert_eq!(parse(""), Err(ContactPointError::Missing));
        assert_eq!(parse("   "), Err(ContactPointError::Missing));
        assert_eq!(
            ContactPoint::parse(None).map(|c| c.as_str().to_owned()),
            Err(ContactPointError::Missing)
        );
    }

    #[test]
    fn prefixes_are_normalised_before_comparing() {
        let number = ContactPoint::parse(Some("+1 212 555 0100")).unwrap();
        assert!(number.starts_with_prefix("+1212"));
        assert!(number.starts_with_prefix("+1 (212)"));
        assert!(number.starts_with_prefix("001212"));
        assert!(!number.starts_with_prefix("+1312"));
        assert!(!number.starts_with_prefix(""));
        assert!(!number.starts_with_prefix("1212"));
    }
}
