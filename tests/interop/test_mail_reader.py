"""The letters saved as .eml, read by another program's mail parser (postal-mime, as web mail clients parse mail),
not only by Python's: the same addresses, subject and text, whatever the script, for a support address with an
international domain too."""

from __future__ import annotations

import json
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from renewaltracker.domain.drafts import Draft
from renewaltracker.services.mail import ascii_domain, eml_bytes
from tests.interop.clients import Client, postal_mime_modules

HERE = Path(__file__).parent
WHEN = datetime(2026, 3, 10, 8, 30, tzinfo=UTC)
words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=90)
subjects = words.map(lambda value: " ".join(value.split())).filter(bool)
bodies = st.lists(words.map(str.rstrip), min_size=1, max_size=8).map("\n".join)
recipients = st.sampled_from(["help@vendor.example", "kundendienst@bücher.example", "o'neil+refunds@x.example", ""])
senders = st.sampled_from(["jane@example.com", "jürgen@müller.example", "sam.lee@example.org"])
letters = st.lists(st.tuples(recipients, senders, subjects, bodies), min_size=20, max_size=20)


def read_with_postal_mime(files: list[Path]) -> list[dict[str, object]]:
    modules = postal_mime_modules()
    assert modules is not None
    done = subprocess.run(
        ["node", str(HERE / "read_mail.mjs"), modules, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    read: list[dict[str, object]] = json.loads(done.stdout)
    return read


@settings(max_examples=5, deadline=None)
@given(letters)
def test_a_saved_letter_reads_the_same_in_another_mail_parser(
    interop_tools: tuple[Client, ...], chosen: list[tuple[str, str, str, str]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for number, (to, sender, subject, body) in enumerate(chosen):
            file = Path(folder) / f"letter-{number}.eml"
            file.write_bytes(eml_bytes(Draft(to, subject, body), sender, WHEN))
            files.append(file)
        read = read_with_postal_mime(files)
    for (to, sender, subject, body), found in zip(chosen, read, strict=True):
        assert found["from"] == ascii_domain(sender)
        assert found["to"] == ([ascii_domain(to)] if to else [])
        assert found["subject"] == subject
        text = found["text"]
        assert isinstance(text, str)
        assert text.replace("\r\n", "\n").rstrip("\n") == body.rstrip("\n")
