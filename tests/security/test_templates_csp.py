"""Templates keep to the content-security policy: no inline code, no inline styles.

The policy allows scripts and styles from the server's own files only, so an inline
``<script>``, an ``onclick=`` or a ``style=`` attribute would silently break a page in the
browser. This test reads every project template and names the offending line.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".venv", "staticfiles", "node_modules", ".git", ".lockenv"}

TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.S)
RULES = [
    (re.compile(r"\son[a-z]+\s*=", re.I), "事件属性 on*=（请改为 static/js 中的 addEventListener）"),
    (re.compile(r"\sstyle\s*=", re.I), "style= 属性（请改为 static/css 中的类）"),
    (re.compile(r"\shx-on[:\-]", re.I), "hx-on 内联代码（CSP 禁止 eval）"),
    (re.compile(r"""\s(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I), "javascript: 地址"),
]
SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)
STYLE_BLOCK = re.compile(r"<style\b", re.I)
DATA_SCRIPT_TYPES = re.compile(r"""type\s*=\s*["'](application/(ld\+)?json|text/template)["']""", re.I)


def project_templates() -> list[Path]:
    found = []
    for folder in ROOT.glob("**/templates"):
        if SKIP_DIRS & set(folder.relative_to(ROOT).parts):
            continue
        found.extend(p for p in folder.rglob("*") if p.is_file() and p.suffix in {".html", ".txt", ".xml"})
    return sorted(found)


def problems_in(text: str) -> list[tuple[int, str]]:
    """Return (line, what) for each CSP violation in a template's source."""
    found = []

    def line_of(pos: int) -> int:
        return text.count("\n", 0, pos) + 1

    for tag in TAG.finditer(text):
        for pattern, what in RULES:
            if pattern.search(tag.group()):
                found.append((line_of(tag.start()), what))
    for script in SCRIPT.finditer(text):
        attrs = script.group(1)
        if "src=" not in attrs.replace(" ", "") and not DATA_SCRIPT_TYPES.search(attrs):
            found.append((line_of(script.start()), "内联 <script>（请改为 static/js 文件）"))
    for block in STYLE_BLOCK.finditer(text):
        found.append((line_of(block.start()), "<style> 块（请改为 static/css 文件）"))
    return found


def test_the_check_finds_what_it_looks_for():
    bad = (
        '<a href="#" onclick="go()">x</a>\n<div style="width: 3px">\n<script>alert(1)</script>\n'
        "<style>p{}</style>\n<button hx-on:click=\"x()\">\n<a href='javascript:void(0)'>"
    )
    assert [line for line, _ in problems_in(bad)] == [1, 2, 5, 6, 3, 4]
    good = (
        '<script src="{% static \'js/dashboard.js\' %}" defer></script>\n'
        '{{ data|json_script:"chart-data" }}\n<script type="application/json" id="x">{}</script>\n'
        '<div class="w-50" data-width="30">设置 onboarding</div>\n<p>style=正文中的文字</p>'
    )
    assert problems_in(good) == []


def test_there_are_templates_to_check():
    assert any(p.name == "base.html" for p in project_templates())


@pytest.mark.parametrize("template", project_templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_template_has_no_inline_code_or_style(template):
    problems = problems_in(template.read_text(encoding="utf-8"))
    assert not problems, "\n".join(
        f"{template.relative_to(ROOT)}:{line}: {what}" for line, what in problems
    )
