"""User copies of templates override the shipped ones; a broken copy is reported and the shipped one used."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from renewaltracker.domain.drafts import DraftFacts, DraftKind, Tone
from renewaltracker.domain.errors import ValidationError
from renewaltracker.services import draft_templates
from renewaltracker.services.draft_templates import TemplateLibrary, user_template_dir
from renewaltracker.services.drafts import compose_from_facts
from tests.factories import make_subscription

FACTS = DraftFacts(make_subscription(id=1, vendor="Acme", support_email="help@acme.example"), date(2026, 3, 10))


def test_user_templates_live_in_the_config_dir(tmp_path: Path) -> None:
    assert user_template_dir() == tmp_path / "home" / "config" / "renewaltracker" / "templates"


def test_a_user_copy_overrides_the_shipped_template(tmp_path: Path) -> None:
    library = TemplateLibrary(tmp_path / "templates")
    path = library.copy_to_user_dir("cancel.txt.j2")
    path.write_text("Subject: Stop {{ vendor }}\n\nPlease stop, {{ vendor }}.\n", encoding="utf-8")
    composed = compose_from_facts(library, DraftKind.CANCEL, Tone.NEUTRAL, FACTS)
    assert composed.problems == []
    assert composed.draft == ("help@acme.example", "Stop Acme", "Please stop, Acme.\n")
    assert library.overridden() == ["cancel.txt.j2"]
    # Other kinds still come from the shipped templates.
    assert compose_from_facts(library, DraftKind.REFUND, Tone.NEUTRAL, FACTS).draft.subject.startswith("Refund request")


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("Subject: Hi\n\nLine two\n{% if vendor %}\nno end\n", 5, "endif"),  # syntax error
        ("Subject: Hi\n\nOK\n{{ no_such_variable }}\n", 4, "no_such_variable"),  # unknown name
        ("Subject: Hi\n\n{{ vendor.__class__.__mro__ }}\n", 3, "unsafe"),  # the sandbox refuses
        ("No subject line\n", None, "Subject"),  # not an email
        ("Subject: Hi\n\n{{ 1 / 0 }}\n", 3, "division by zero"),  # errors while rendering, not only Jinja's own
        ("Subject: Hi\n\n{{ 1 + vendor }}\n", 3, "unsupported operand"),
    ],
)
@pytest.mark.expect_log_warnings
def test_a_broken_user_template_falls_back_and_names_file_and_line(
    tmp_path: Path, source: str, line: int | None, message: str
) -> None:
    library = TemplateLibrary(tmp_path / "templates")
    library.copy_to_user_dir("refund.txt.j2").write_text(source, encoding="utf-8")
    composed = compose_from_facts(library, DraftKind.REFUND, Tone.NEUTRAL, FACTS)
    shipped = compose_from_facts(TemplateLibrary(tmp_path / "none"), DraftKind.REFUND, Tone.NEUTRAL, FACTS)
    assert composed.draft == shipped.draft
    [problem] = composed.problems
    assert problem.template.endswith("refund.txt.j2")
    assert problem.line == line
    assert message in problem.message
    assert "shipped template was used" in str(problem)


@pytest.mark.expect_log_warnings
def test_a_broken_user_partial_is_named(tmp_path: Path) -> None:
    library = TemplateLibrary(tmp_path / "templates")
    library.copy_to_user_dir("_closing.txt.j2").write_text("{{ sign_off }}\n{{ oops }}\n", encoding="utf-8")
    composed = compose_from_facts(library, DraftKind.CANCEL, Tone.NEUTRAL, FACTS)
    [problem] = composed.problems
    assert problem.template.endswith("_closing.txt.j2") and problem.line == 2
    assert "Kind regards," in composed.draft.body


def test_copy_keeps_an_existing_user_copy(tmp_path: Path) -> None:
    library = TemplateLibrary(tmp_path / "templates")
    path = library.copy_to_user_dir("cancel.txt.j2")
    path.write_text("Subject: mine\n\nmine\n", encoding="utf-8")
    assert library.copy_to_user_dir("cancel.txt.j2").read_text(encoding="utf-8") == "Subject: mine\n\nmine\n"
    assert "cancel.txt.j2" in library.names() and "_details.txt.j2" in library.names()


HOSTILE_INCLUDES = ["/etc/passwd", "../../../../etc/passwd", "/proc/self/environ", "shipped/../../x.txt.j2"]


@pytest.mark.parametrize("target", HOSTILE_INCLUDES)
@pytest.mark.expect_log_warnings
def test_a_user_template_cannot_include_files_outside_the_two_template_folders(tmp_path: Path, target: str) -> None:
    library = TemplateLibrary(tmp_path / "templates")
    library.copy_to_user_dir("cancel.txt.j2").write_text(
        f"Subject: Hi\n\n{{% include '{target}' %}}\n", encoding="utf-8"
    )
    composed = compose_from_facts(library, DraftKind.CANCEL, Tone.NEUTRAL, FACTS)
    [problem] = composed.problems
    assert "may include only the shipped templates" in problem.message
    assert "root:" not in composed.draft.body and composed.draft.subject != "Hi"


@pytest.mark.expect_log_warnings
def test_a_symbolic_link_out_of_the_template_folder_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt.j2"
    secret.write_text("CALDAV_PASSWORD=hunter2\n", encoding="utf-8")
    library = TemplateLibrary(tmp_path / "templates")
    library.copy_to_user_dir("cancel.txt.j2").write_text("Subject: Hi\n\n{% include 'leak.txt.j2' %}\n")
    (tmp_path / "templates" / "leak.txt.j2").symlink_to(secret)
    composed = compose_from_facts(library, DraftKind.CANCEL, Tone.NEUTRAL, FACTS)
    assert composed.problems and "hunter2" not in composed.draft.body


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}", "longer than"),
        ("{% for a in range(100000) %}{% for b in range(100000) %}xxxx{% endfor %}{% endfor %}", "characters"),
        ("{{ 'x' * 1000000000 }}", "characters"),
        ("{{ ['x'] * 1000000000 }}", "characters"),
        ("{{ 'x'|center(1000000000) }}", "too large"),
        ("{{ 'x'|indent(width=1000000000) }}", "too large"),
        ("{{ 7 ** 100000000 }}", "too large"),
    ],
)
@pytest.mark.expect_log_warnings
def test_a_runaway_user_template_is_stopped_and_the_shipped_one_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, message: str
) -> None:
    if message == "longer than":  # only the time limit is shortened: under load a size limit must still win
        monkeypatch.setattr(draft_templates, "RENDER_SECONDS", 0.3)
    library = TemplateLibrary(tmp_path / "templates")
    library.copy_to_user_dir("cancel.txt.j2").write_text(f"Subject: Hi\n\n{body}\n", encoding="utf-8")
    started = time.monotonic()
    composed = compose_from_facts(library, DraftKind.CANCEL, Tone.NEUTRAL, FACTS)
    assert time.monotonic() - started < 5
    [problem] = composed.problems
    assert message in problem.message and "shipped template was used" in str(problem)
    assert composed.draft.subject != "Hi"


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_templates_compiled_ahead_render_the_same_letters_and_compile_nothing_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    facts = replace(FACTS, language=language)

    def letters(library: TemplateLibrary) -> list[object]:
        """Each kind's letter (draft and problems), or why it is refused for these facts."""
        out: list[object] = []
        for kind in DraftKind:
            try:
                composed = compose_from_facts(library, kind, Tone.NEUTRAL, facts)
            except ValidationError as error:
                out.append(str(error))
            else:
                out.append((composed.draft, composed.problems))
        return out

    cold = letters(TemplateLibrary(tmp_path / "a"))
    library = TemplateLibrary(tmp_path / "b")
    library.prepare(language)
    compiled: list[str] = []
    original = draft_templates.LimitedSandbox.compile

    def counting(self: draft_templates.LimitedSandbox, source: str, name: str | None = None, *a: object) -> object:
        compiled.append(str(name))
        return original(self, source, name, *a)  # type: ignore[arg-type]

    monkeypatch.setattr(draft_templates.LimitedSandbox, "compile", counting)
    assert letters(library) == cold
    assert sum(isinstance(letter, tuple) for letter in cold) >= 3  # most kinds are written for these facts
    assert compiled == []


@pytest.mark.expect_log_warnings
def test_a_broken_user_copy_compiled_ahead_is_still_named_when_a_draft_renders_it(tmp_path: Path) -> None:
    library = TemplateLibrary(tmp_path / "templates")
    library.copy_to_user_dir("refund.txt.j2").write_text("Subject: Hi\n{% if vendor %}\n", encoding="utf-8")
    library.prepare()  # nothing raised, nothing reported yet
    composed = compose_from_facts(library, DraftKind.REFUND, Tone.NEUTRAL, FACTS)
    [problem] = composed.problems
    assert problem.template.endswith("refund.txt.j2") and "shipped template was used" in str(problem)
