"""The review comment shows every value from the preview as its text: names, tag values, paths, reasons and
messages never become markup, raw HTML or HTML comments, links, emoji or @mentions, and never break a table row
(checked with a CommonMark + GFM-tables parser, property-based over arbitrary text); the CLI prints names holding
rich markup (``bi[/x]``) as they are."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from pulumi_dataprotection.cli import main
from pulumi_dataprotection.cli.common import console
from pulumi_dataprotection.review.markdown import WORD_JOINER, code, one_line, text
from pulumi_dataprotection.review.render import MARKER
from tests.cli.test_review import BASE, VAULT, step

MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")
HOSTILE = (
    "x |\n| injected | row |\n\n**LGTM: no backup changes** @org/backup-team :+1: [ok](https://evil.example) "
    "www.evil.example <img src=x onerror=alert(1)> `code` <!-- the rest is hidden"
)
GITHUB_AUTO = re.compile(r"@\w|#\w|://|(?i:www)\.|:\w+:")


def _inline(tokens: list[Token]) -> list[Token]:
    return [c for t in tokens if t.type == "inline" for c in t.children or []]


def _plain(children: list[Token]) -> str:
    assert {c.type for c in children} <= {"text"}, [c.type for c in children]
    return "".join(c.content for c in children)


def _no_github_autolinks(shown: str) -> None:
    assert not GITHUB_AUTO.search(shown), shown


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_text_renders_as_exactly_its_characters(value: str) -> None:
    tokens = MD.parse(f"x {text(value)} y")
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    shown = _plain(_inline(tokens))
    assert shown.replace(WORD_JOINER, "") == f"x {one_line(value)} y"
    _no_github_autolinks(shown)


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text())
def test_a_table_row_keeps_its_cells_whatever_they_hold(value: str, other: str) -> None:
    row = f"| {code(value, cell=True)} | {text(other)} |"
    tokens = MD.parse(f"| a | b |\n|---|---|\n{row}\n")
    assert [t.type for t in tokens].count("td_open") == 2 and [t.type for t in tokens].count("tr_open") == 2
    cells = [t for t in tokens if t.type == "inline"][2:]
    (span,) = cells[0].children or []
    assert span.type == "code_inline" and span.content.strip(" ") == one_line(value).strip(" ")
    assert _plain(cells[1].children or []).replace(WORD_JOINER, "") == one_line(other).strip()


def _review(tmp_path: Path, steps: list[dict[str, Any]], *extra: str) -> tuple[int, str]:
    preview = tmp_path / "preview.json"
    preview.write_text(json.dumps({"steps": steps}), encoding="utf-8")
    out = tmp_path / "review.md"
    code_ = main(["review", str(preview), "-o", str(out), *extra])
    return code_, out.read_text(encoding="utf-8")


def test_a_hostile_tag_value_and_name_stay_text_in_the_comment(tmp_path: Path) -> None:
    old = {**BASE, "arm_id": VAULT, "tags": {"team": "platform"}}
    changed = step("update", "BackupVault", f"vault {HOSTILE}", old, {**BASE, "tags": {"team": HOSTILE}})
    gone = {"name": "bi", "vault_id": VAULT, "on_delete": "Delete", "datasource_kind": "aks"}
    deleted = step("delete", "BackupInstance", f"bi {HOSTILE}", gone, None)
    code_, comment = _review(tmp_path, [changed, deleted], "--fail-on", "none")
    assert code_ == 0
    tokens = MD.parse(comment)
    html = [t for t in tokens if t.type.startswith("html")]
    assert [t.content.strip() for t in html] == [MARKER]  # only the marker: no raw HTML, no comment
    children = _inline(tokens)
    assert not [c for c in children if c.type in ("html_inline", "link_open", "image")]
    types = "".join(
        "<" if t.type == "tr_open" else ">" if t.type == "tr_close" else "c" if t.type in ("td_open", "th_open") else ""
        for t in tokens
    )
    assert types == "<ccc>" * 3  # the header, on_delete and tags.team: the tag value stays in its cell
    strong = [children[i + 1].content for i, c in enumerate(children) if c.type == "strong_open"]
    assert all("LGTM" not in s for s in strong)
    for child in children:
        if child.type == "text":
            _no_github_autolinks(child.content)
    assert comment.startswith(MARKER + "\n")


def test_a_name_with_rich_markup_does_not_crash_the_command(tmp_path: Path, capsys: Any) -> None:
    gone = {"name": "bi", "vault_id": VAULT, "on_delete": "Delete", "datasource_kind": "aks"}
    code_, _ = _review(tmp_path, [step("delete", "BackupInstance", "bi[/x]", gone, None)])
    assert code_ == 1  # a high warning: the instance's backups are deleted
    assert "BackupInstance 'bi[/x]'" in capsys.readouterr().err


def test_consoles_print_markup_and_emoji_codes_as_text() -> None:
    stream = io.StringIO()
    console(stream).print("[bold]x[/x] :thumbs_up: [link=https://e]y[/link]")
    assert stream.getvalue() == "[bold]x[/x] :thumbs_up: [link=https://e]y[/link]\n"
