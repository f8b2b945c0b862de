//! PostgreSQL's binary formats of scalar types read into text or Rhai values: numbers, network addresses,
//! geometry, times with zones, intervals, UUIDs.

use postgres_protocol::types as pgt;
use rhai::Dynamic;

use super::error::DecodeError;
use crate::value::datetime::{Interval, TimeTz};
use crate::value::format::float_text;

pub(super) type DecodeResult = Result<Dynamic, DecodeError>;

pub(super) fn err(e: impl std::fmt::Display) -> DecodeError {
    DecodeError::format(e)
}

pub(super) fn text(buf: &[u8]) -> DecodeResult {
    Ok(pgt::text_from_sql(buf).map_err(err)?.into())
}

pub(super) fn uuid(b: &[u8; 16]) -> String {
    let mut s = String::with_capacity(36);
    for (i, x) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        s.push_str(&format!("{x:02x}"));
    }
    s
}

pub(super) fn hex_join(b: &[u8], sep: &str) -> String {
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(sep)
}

pub(super) fn read_i16(b: &mut &[u8]) -> Result<i16, DecodeError> {
    let (h, t) = b.split_first_chunk::<2>().ok_or(DecodeError::TooShort)?;
    *b = t;
    Ok(i16::from_be_bytes(*h))
}

pub(super) fn read_u16(b: &mut &[u8]) -> Result<u16, DecodeError> {
    Ok(read_i16(b)? as u16)
}

pub(super) fn read_i32(b: &mut &[u8]) -> Result<i32, DecodeError> {
    let (h, t) = b.split_first_chunk::<4>().ok_or(DecodeError::TooShort)?;
    *b = t;
    Ok(i32::from_be_bytes(*h))
}

pub(super) fn read_u32(b: &mut &[u8]) -> Result<u32, DecodeError> {
    Ok(read_i32(b)? as u32)
}

pub(super) fn read_i64(b: &mut &[u8]) -> Result<i64, DecodeError> {
    let (h, t) = b.split_first_chunk::<8>().ok_or(DecodeError::TooShort)?;
    *b = t;
    Ok(i64::from_be_bytes(*h))
}

pub(super) fn read_f64(b: &mut &[u8]) -> Result<f64, DecodeError> {
    Ok(f64::from_bits(read_i64(b)? as u64))
}

pub(super) fn floats<const N: usize>(buf: &[u8]) -> Result<[String; N], DecodeError> {
    let mut b = buf;
    let mut out: [String; N] = std::array::from_fn(|_| String::new());
    for slot in out.iter_mut() {
        *slot = float_text(read_f64(&mut b)?);
    }
    Ok(out)
}

pub(super) fn points(b: &mut &[u8], n: i32) -> Result<String, DecodeError> {
    let mut out = Vec::new();
    for _ in 0..n {
        let x = read_f64(b)?;
        let y = read_f64(b)?;
        out.push(format!("({},{})", float_text(x), float_text(y)));
    }
    Ok(out.join(","))
}

pub(super) fn path(buf: &[u8]) -> Result<String, DecodeError> {
    let (&closed, mut b) = buf.split_first().ok_or(DecodeError::TooShort)?;
    let closed = closed != 0;
    let n = read_i32(&mut b)?;
    let pts = points(&mut b, n)?;
    Ok(if closed {
        format!("({pts})")
    } else {
        format!("[{pts}]")
    })
}

pub(super) fn polygon(buf: &[u8]) -> Result<String, DecodeError> {
    let mut b = buf;
    let n = read_i32(&mut b)?;
    Ok(format!("({})", points(&mut b, n)?))
}

pub(super) fn timetz(buf: &[u8]) -> Result<TimeTz, DecodeError> {
    let mut b = buf;
    let micros = read_i64(&mut b)?;
    // PostgreSQL stores the zone as seconds *west* of UTC.
    let west = read_i32(&mut b)?;
    Ok(TimeTz {
        micros,
        offset_secs: -west,
    })
}

pub(super) fn interval(buf: &[u8]) -> Result<Interval, DecodeError> {
    let mut b = buf;
    let micros = read_i64(&mut b)?;
    let days = read_i32(&mut b)?;
    let months = read_i32(&mut b)?;
    Ok(Interval {
        months,
        days,
        micros,
    })
}

/// inet/cidr: family, bits, is_cidr, address length, address. The family byte is not trusted: the
/// embedded (WASI) server encodes it with its own AF_INET value, so the address length decides.
pub(super) fn inet(buf: &[u8], cidr: bool) -> Result<String, DecodeError> {
    let [_family, bits, _is_cidr, len, addr @ ..] = buf else {
        return Err(DecodeError::InetTooShort);
    };
    let (ip, full): (std::net::IpAddr, u8) = match (*len, addr.len()) {
        (4, 4) => {
            let a: [u8; 4] = addr.try_into().map_err(err)?;
            (a.into(), 32)
        }
        (16, 16) => {
            let a: [u8; 16] = addr.try_into().map_err(err)?;
            (a.into(), 128)
        }
        _ => return Err(DecodeError::InetLength),
    };
    // psql shows the mask for inet only when it is not a single host; cidr always shows it.
    Ok(if cidr || *bits != full {
        format!("{ip}/{bits}")
    } else {
        ip.to_string()
    })
}

/// PostgreSQL's numeric binary format → its exact decimal text.
pub fn numeric_text(buf: &[u8]) -> Result<String, DecodeError> {
    let mut b = buf;
    let ndigits = read_i16(&mut b)?;
    let weight = read_i16(&mut b)? as i32;
    let sign = read_u16(&mut b)?;
    let dscale = read_u16(&mut b)? as i32;
    match sign {
        0xC000 => return Ok("NaN".into()),
        0xD000 => return Ok("Infinity".into()),
        0xF000 => return Ok("-Infinity".into()),
        _ => {}
    }
    let digits: Vec<i16> = (0..ndigits.max(0))
        .map(|_| read_i16(&mut b))
        .collect::<Result<_, _>>()?;
    let digit = |i: i32| -> i16 {
        if i < 0 {
            0
        } else {
            digits.get(i as usize).copied().unwrap_or(0)
        }
    };
    let mut out = String::new();
    if sign == 0x4000 {
        out.push('-');
    }
    if weight < 0 {
        out.push('0');
    } else {
        for i in 0..=weight {
            if i == 0 {
                out.push_str(&digit(i).to_string());
            } else {
                out.push_str(&format!("{:04}", digit(i)));
            }
        }
    }
    if dscale > 0 {
        out.push('.');
        let mut frac = String::new();
        let mut i = weight + 1;
        while (frac.len() as i32) < dscale {
            frac.push_str(&format!("{:04}", digit(i)));
            i += 1;
        }
        frac.truncate(dscale as usize);
        out.push_str(&frac);
    }
    Ok(out)
}

/// numeric → an exact Rhai decimal when rust_decimal holds it with its scale (at most 28 decimals, and the
/// digits as one whole number at most 2^96 - 1), else its exact text.
pub(super) fn numeric(buf: &[u8]) -> DecodeResult {
    let text = numeric_text(buf)?;
    Ok(match rust_decimal::Decimal::from_str_exact(&text) {
        Ok(d) if d.to_string() == text => Dynamic::from_decimal(d),
        _ => text.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric_bytes(ndigits: &[i16], weight: i16, sign: u16, dscale: u16) -> Vec<u8> {
        let mut v = vec![];
        v.extend((ndigits.len() as i16).to_be_bytes());
        v.extend(weight.to_be_bytes());
        v.extend(sign.to_be_bytes());
        v.extend(dscale.to_be_bytes());
        for d in ndigits {
            v.extend(d.to_be_bytes());
        }
        v
    }

    #[test]
    fn numeric_binary_to_text() {
        assert_eq!(
            numeric_text(&numeric_bytes(&[1, 2345], 1, 0, 0)).unwrap(),
            "12345"
        );
        assert_eq!(
            numeric_text(&numeric_bytes(&[12, 5000], 0, 0, 2)).unwrap(),
            "12.50"
        );
        assert_eq!(
            numeric_text(&numeric_bytes(&[5], -1, 0x4000, 4)).unwrap(),
            "-0.0005"
        );
        assert_eq!(numeric_text(&numeric_bytes(&[], 0, 0, 3)).unwrap(), "0.000");
        assert_eq!(
            numeric_text(&numeric_bytes(&[1], 2, 0, 0)).unwrap(),
            "100000000"
        );
        assert_eq!(
            numeric_text(&numeric_bytes(&[], 0, 0xC000, 0)).unwrap(),
            "NaN"
        );
    }

    #[test]
    fn numeric_too_precise_for_decimal_stays_text() {
        // 1 followed by 32 zeros: more than rust_decimal's 28 digits.
        let v = numeric(&numeric_bytes(&[1], 8, 0, 0)).unwrap();
        assert!(v.is_string());
        assert_eq!(v.into_string().unwrap(), format!("1{}", "0".repeat(32)));
        let d = numeric(&numeric_bytes(&[12, 5000], 0, 0, 2)).unwrap();
        assert!(d.is_decimal());
        assert_eq!(d.to_string(), "12.50");
    }

    #[test]
    fn numeric_fits_a_decimal_by_range_and_scale() {
        // (digits in base 10000, weight, dscale) → stays a decimal?
        let cases: [(&[i16], i16, u16, bool); 5] = [
            // 1e30: 31 digits, above 2^96 - 1.
            (&[100], 7, 0, false),
            // 0.00000000000000000000000000001: 29 decimals.
            (&[1000], -8, 29, false),
            // 0.0000000000000000000000000001: 28 decimals.
            (&[1], -7, 28, true),
            // 79228162514264337593543950335 = 2^96 - 1.
            (&[7, 9228, 1625, 1426, 4337, 5935, 4395, 335], 7, 0, true),
            // 79228162514264337593543950336.
            (&[7, 9228, 1625, 1426, 4337, 5935, 4395, 336], 7, 0, false),
        ];
        for (digits, weight, dscale, fits) in cases {
            let bytes = numeric_bytes(digits, weight, 0, dscale);
            let text = numeric_text(&bytes).unwrap();
            let v = numeric(&bytes).unwrap();
            assert_eq!(v.is_decimal(), fits, "{text}");
            assert_eq!(v.to_string(), text);
        }
    }

    #[test]
    fn uuid_is_canonical() {
        let b: [u8; 16] = [
            0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8, 0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38,
            0x0a, 0x11,
        ];
        assert_eq!(uuid(&b), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    }
}
