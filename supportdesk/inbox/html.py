"""HTML email made into plain text, and kept sanitised.

The text is what the thread shows and models read: block elements become line breaks,
links keep their address, quoted history (`<blockquote>`) is marked with "> " so the reply
parser drops it as it does in plain-text mail. The HTML kept for audit is cleaned by nh3:
no scripts, styles, event handlers or remote images survive it."""

import re
from html.parser import HTMLParser

import nh3

BLOCKS = {
    "address", "article", "blockquote", "br", "div", "dl", "dt", "dd", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre", "section",
    "table", "tr", "ul",
}  # fmt: skip
HIDDEN = {"head", "script", "style", "title", "template"}
SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
BLANK_RUNS = re.compile(r"\n{3,}")
# No inline images from elsewhere (a tracking pixel tells the sender it was read); our
# own inline images are `cid:` parts of the email.
URL_SCHEMES = {"http", "https", "mailto", "cid"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.quote_depth = 0
        self.hidden = 0
        self.link: str | None = None

    def _break(self) -> None:
        self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self.hidden += 1
        elif tag in BLOCKS:
            self._break()
            if tag == "blockquote":
                self.quote_depth += 1
            elif tag == "li":
                self.lines[-1] = "• "
        elif tag == "a":
            self.link = dict(attrs).get("href")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.handle_data(f"[{alt}]")

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCKS:
            if tag == "blockquote":
                self.quote_depth = max(0, self.quote_depth - 1)
            self._break()
        elif tag == "a":
            self.link = None

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        text = SPACES.sub(" ", data.replace("\n", " "))
        if self.link and self.link.startswith(("http://", "https://")) and self.link != text:
            text = f"{text} ({self.link})"
            self.link = None
        if not self.lines[-1] and self.quote_depth:
            self.lines[-1] = "> " * self.quote_depth
        self.lines[-1] += text


def html_to_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in parser.lines]
    lines = [line if line.strip("> ") else line.strip("> ") for line in lines]
    return BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def _local_images_only(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not value.startswith("cid:"):
        return None
    return value


def sanitised(html: str) -> str:
    return nh3.clean(
        html,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_local_images_only,
    )
