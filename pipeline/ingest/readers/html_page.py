"""Reader for HTML pages: block elements become blocks; navigation and scripts are skipped.

Uses only the standard library parser: h1 is the title, h2-h6 headings, p/li/td body
text, figcaption captions; an ordered list after a "References" heading is the reference
list (numbered in order). Text is then cleaned by the same furniture rules as plain text.
"""

from __future__ import annotations

from html.parser import HTMLParser

from pipeline.ingest.draft import Draft, RefSlot
from pipeline.ingest.furniture import furniture_rule

_SKIP = {"script", "style", "nav", "header", "footer", "aside", "form", "button", "noscript", "svg"}
_BLOCK = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "figcaption", "td", "th", "title", "div"}


def looks_like_html(text: str) -> bool:
    head = text[:4000].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head and "</p>" in text)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_depth = 0
        self.stack: list[str] = []
        self.buf: list[str] = []
        self.items: list[tuple[str, str]] = []  # (tag, text)

    def _flush(self) -> None:
        text = " ".join("".join(self.buf).split())
        if text and self.stack:
            self.items.append((self.stack[-1], text))
        self.buf = []

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[override]
        if tag in _SKIP:
            self.skip_depth += 1
        elif tag in _BLOCK and not self.skip_depth:
            self._flush()
            self.stack.append(tag)
        elif tag == "br":
            self.buf.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in _BLOCK and not self.skip_depth:
            self._flush()
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass

    def handle_data(self, data: str) -> None:
        if not self.skip_depth and self.stack:
            self.buf.append(data)


def read_html(text: str) -> Draft:
    d = Draft("html_page")
    parser = _Collector()
    parser.feed(text)
    parser.close()
    section = ""
    in_refs = False
    for tag, content in parser.items:
        if rule := furniture_rule(content):
            d.drop(rule)
            continue
        if tag == "title":
            d.meta.setdefault("title", content)
            continue
        if tag == "h1" and not any(b.kind == "title" for b in d.blocks):
            d.meta["title"] = content
            d.add("title", content, "Title")
        elif tag.startswith("h"):
            section = content
            in_refs = content.strip().lower() in ("references", "bibliography")
            d.add("heading", content, section)
        elif in_refs and tag == "li":
            d.ref_slots.append(RefSlot(len(d.ref_slots) + 1, content))
        elif tag == "figcaption":
            d.add("caption", content, section)
        else:
            kind = "abstract" if section.lower() == "abstract" else "body"
            d.add(kind, content, section)
    return d
