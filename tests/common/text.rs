//! Assertions on output text: its lines, and a block of lines that must appear together.

/// The lines of `s`, without their line ends.
pub fn lines(s: &str) -> Vec<&str> {
    s.lines().collect()
}

/// The lines of `stdout`, in order, must include `expected` as a contiguous block.
pub fn assert_block(stdout: &str, expected: &[&str], what: &str) {
    let got = lines(stdout);
    let found = got.windows(expected.len()).any(|w| {
        w.iter()
            .map(|l| l.trim_end())
            .eq(expected.iter().map(|l| l.trim_end()))
    });
    assert!(
        found,
        "{what}: expected the block\n{}\nin stdout:\n{stdout}",
        expected.join("\n")
    );
}
