// Package collate orders strings the way JavaScript's
// a.localeCompare(b, "en") does for the paths npm sorts, without ICU.
//
// npm lists workspaces in the order its glob library returns them, which
// sorts with localeCompare in English. That is ICU's root collation, which
// compares in levels: first the letters and digits alone (punctuation
// before digits, digits before letters, case ignored), then case (lowercase
// first), and only then anything else. So "a-b" sorts after "a_b" and
// before "ab", "Cat" after "bat", and "10" before "9" — far from byte order.
//
// Compare is exact for ASCII, which is what package paths are made of, and
// is tested against node's localeCompare on thousands of random ASCII
// strings. Beyond ASCII it is an approximation: other characters sort after
// all of ASCII by code point, case-folded, where ICU interleaves accented
// letters with their base letters. Control characters other than \t \n \v
// \f \r are ignored, as in ICU. Strings ICU calls equal ("a\x01" and "a")
// are ordered bytewise, so the order is total and a sort is deterministic.
//
// The weights live in a fixed table rather than one built at start-up, so
// importing the package costs nothing until Compare runs.
package collate
