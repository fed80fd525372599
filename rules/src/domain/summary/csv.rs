//! CSV as spreadsheet programs on the municipality's desktops open it:
//! UTF-8 with a byte-order mark (without it Excel reads Cyrillic as
//! mojibake), comma-separated, CRLF line ends, and any field holding a
//! comma, a quote or a line break quoted with its quotes doubled (RFC 4180,
//! through the `csv` crate).

/// The UTF-8 byte-order mark that starts every CSV file the kiosk writes.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// `rows` (the first being the header) as CSV bytes.
pub fn to_csv<R, F>(rows: R) -> Vec<u8>
where
    R: IntoIterator<Item = Vec<F>>,
    F: AsRef<str>,
{
    let mut out = BOM.to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Necessary)
            .flexible(true)
            .from_writer(&mut out);
        for row in rows {
            // Writing to a Vec cannot fail; a failure would only lose a row
            // of a file nobody has seen yet, so it is logged, not panicked on.
            if let Err(e) = w.write_record(row.iter().map(|f| f.as_ref().as_bytes())) {
                tracing::warn!("could not write a CSV row: {e}");
            }
        }
        if let Err(e) = w.flush() {
            tracing::warn!("could not finish a CSV file: {e}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read_back(bytes: &[u8]) -> Vec<Vec<String>> {
        assert!(bytes.starts_with(BOM));
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(&bytes[BOM.len()..])
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    }

    #[test]
    fn commas_quotes_and_line_breaks_are_quoted() {
        let rows = vec![
            vec!["a", "b"],
            vec!["едно, две", "той каза \"не\""],
            vec!["ред\nнов", "ред\r\nнов"],
        ];
        let bytes = to_csv(rows.clone());
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        assert!(text.starts_with("a,b\r\n"));
        assert!(text.contains("\"едно, две\",\"той каза \"\"не\"\"\"\r\n"));
        assert!(text.contains("\"ред\nнов\""));
        assert_eq!(read_back(&bytes), rows);
    }

    proptest! {
        #[test]
        fn any_cyrillic_text_round_trips(cells in prop::collection::vec("[а-яА-Я ,\"\n\r.;a-z0-9]{0,12}", 1..6)) {
            let rows = vec![cells.clone()];
            let back = read_back(&to_csv(rows));
            // A single empty field on a line is written as an empty line,
            // which readers skip; every other row comes back as it was.
            if cells.len() > 1 || !cells[0].is_empty() {
                prop_assert_eq!(back, vec![cells]);
            }
        }
    }
}
