"""Batched analysis: a batch of values split at once (pyarrow) gives every value exactly
the tokens the tokenizer finds in it alone, whatever whitespace, punctuation or line
breaks it holds."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from index.ondisk.analysis import SCAN_RE, FoldStemFilter
from index.ondisk.streams import Analysis, TokenStore

# Characters where splitting on whitespace and tokenising could disagree: Unicode spaces
# that are not ASCII whitespace, control characters, the line-break marker's own \x00,
# apostrophes and dots inside words, combining macrons, dashes.
TRICKY = " \t\n\r\x0b\x0c\x00\x1c\x85\u00a0\u2028\u3000’'.-—“”,ā\u0304é"
WORDS = ["the", "Prime", "Minister", "rugby’s", "U.S.", "Whangārei", "2026", "of", "NZ$4.5m"]


def _expected(analysis: Analysis, value: str) -> list[bytes]:
    vocabulary = analysis.vocabulary
    return [vocabulary.texts[vocabulary[raw]] for raw in SCAN_RE.findall(value)]


def _batched(analysis: Analysis, values: list[str]) -> list[list[bytes]]:
    ids, counts = analysis.ids_many(values)
    texts = [analysis.vocabulary.texts[i] for i in ids.tolist()]
    found, at = [], 0
    for count in counts.tolist():
        found.append(texts[at : at + count])
        at += count
    return found


values = st.lists(
    st.lists(st.sampled_from(WORDS) | st.text(TRICKY, max_size=4), max_size=12).map("".join),
    max_size=20,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_a_batch_gives_each_value_the_tokens_it_has_alone(batch: list[str]) -> None:
    analysis = Analysis(FoldStemFilter())
    assert _batched(analysis, batch) == [_expected(analysis, value) for value in batch]


def test_line_breaks_take_positions_and_no_space_joins_words() -> None:
    analysis = Analysis(FoldStemFilter())
    found = _batched(analysis, ["Title\nStandfirst\u00a0words", "", "  ", "a\x00b\nc"])
    assert found[0] == [b"titl", b"\n", b"standfirst", b"word"]
    assert found[1] == found[2] == []
    assert found[3] == [b"a", b"b", b"\n", b"c"]  # a real \x00 is no line break


def test_a_value_pyarrow_cannot_hold_is_analysed_alone() -> None:
    analysis = Analysis(FoldStemFilter())
    assert _batched(analysis, ["lone \ud800 surrogate", "fine"]) == [
        [b"lone", b"surrog"],
        [b"fine"],
    ]


def test_a_store_keeps_each_documents_value_once_in_runs() -> None:
    store = TokenStore(FoldStemFilter())
    first = store.run(0, "Rugby news")
    assert store.run(0, "Rugby news") == first  # the same value again in one document
    second = store.run(1, "Rugby news")
    starts, lengths = store.run_table()
    assert (first, second) == (0, 1)
    assert lengths.tolist() == [2, 2]
    ids = store.id_array()
    assert ids[starts[0] : starts[0] + 2].tolist() == ids[starts[1] : starts[1] + 2].tolist()


def test_the_web_app_does_not_load_pyarrow() -> None:
    # Only indexing splits texts; a searching process stays ~40 MB smaller without it.
    code = "import sys, web, index.search; web.create_app(); sys.exit('pyarrow' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
