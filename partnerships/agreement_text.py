"""The text of an agreement's sections: plain text with a small safe markup, never HTML.

Paragraphs are separated by blank lines, a line starting with "- " is an item of a bullet list, and
**two asterisks** make bold. `agreement_text_problems` is the rule the services apply when the
coordinator saves (anything else that looks like markup is refused with a message, so nothing in an
agreement can fetch a file or a URL when a page or a PDF is made from it); `agreement_text_html` is the
one renderer, escaping everything, used by the pages and by the PDF.
"""

import itertools
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_LENGTH = 20_000
HOW = 'Write plain text: a blank line between paragraphs, "- " at the start of a list item, **bold**.'

_TAG = re.compile(r"<(/?[a-zA-Z][a-zA-Z0-9-]*|!|\?)")
_STYLESHEET = re.compile(r"url\s*\(|@import|expression\s*\(", re.IGNORECASE)
# Only links that run code or embed a file: a web address in prose stays text (it is escaped, never a link).
_SCHEME = re.compile(
    r"\b(javascript|vbscript)\s*:|\bdata\s*:\s*[a-z]+/[a-z0-9.+-]+\s*[;,]|\bfile\s*:\s*/", re.IGNORECASE
)
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def agreement_text_problems(text: str) -> list[str]:
    """What is wrong with a section's text, one message each; empty when it may be saved."""
    problems = []
    if len(text) > MAX_LENGTH:
        problems.append(f"Section text must be {MAX_LENGTH:,} characters or fewer")
    if match := _TAG.search(text):
        tag = match.group(1).replace(" ", "")
        shown = f"<{tag}>" if tag not in "!?" else f"<{tag}"
        problems.append(f"Remove the HTML {shown}: section text cannot contain HTML. {HOW}")
    if match := _STYLESHEET.search(text):
        problems.append(
            f'Remove "{match.group(0).strip()}": section text cannot hold styles or load files or web addresses'
        )
    if match := _SCHEME.search(text):
        scheme = match.group(1) or ("data" if match.group(0).lower().startswith("data") else "file")
        problems.append(
            f'Remove the "{scheme.lower()}:" address: section text cannot hold links that run code or embed files'
        )
    return problems


def _inline(line: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", escape(line))


def agreement_text_html(text: str) -> SafeString:
    """The safe markup as HTML: <p>, <ul><li> and <strong> only, every character of the text escaped."""
    html: list[str] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        # Consecutive "- " lines make one list; consecutive other lines one paragraph.
        for is_item, run in itertools.groupby(lines, key=lambda line: line.startswith("- ")):
            run = list(run)
            if is_item:
                html.append("<ul>" + "".join(f"<li>{_inline(line[2:].strip())}</li>" for line in run) + "</ul>")
            else:
                html.append("<p>" + "<br>".join(_inline(line) for line in run) + "</p>")
    return mark_safe("\n".join(html))  # noqa: S308 - built from escaped text and fixed tags only  # nosec B308 B703
