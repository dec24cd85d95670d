"""The Indonesian cleaning steps: one small function per kind of noise.

Two kinds of steps:

* tree steps prune elements of the article container before its text is read
  (`prune_markup`, `prune_captions`, `prune_noise_blocks`, `prune_selectors`);
* block steps drop or trim paragraphs by what their text says ('Baca Juga: …',
  'Editor: …', '(mdk/rka)', 'ADVERTISEMENT', …).

Every step reports how many blocks it removed under its rule name; `core.py` adds those up
in the record's `removed` audit trail. Steps that read credits ('Editor: X') hand the names
to a `Credits` collector instead of losing them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache

from lxml import etree
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

from crawler.extraction.blocks import BLOCK_TAGS, Block
from crawler.extraction.byline import Credits, find_credits, split_names, wire_source
from crawler.extraction.dates import parse_date
from crawler.extraction.places import PLACES
from crawler.extraction.text import WORD, normalize_space, words_in

Removed = Counter  # rule name -> blocks removed

# ---------------------------------------------------------------------------------------------
# Tree steps
# ---------------------------------------------------------------------------------------------

NON_CONTENT_TAGS = (
    "script", "style", "noscript", "iframe", "form", "button", "svg", "template", "object",
    "embed", "video", "audio", "select", "input", "textarea", "canvas", "link", "meta", "ins",
)

# Class/id words that mark a block as noise, by rule name. A class like 'read__tagging' or
# 'box-terkait' is split into words ('read', 'tagging') and each word is looked up here.
NOISE_CLASS_WORDS: dict[str, frozenset[str]] = {
    "related": frozenset(
        "related terkait bacajuga baca-juga readmore read-also readalso rekomendasi recommend "
        "recommended recommendation pilihan populer popular terpopuler terkini trending "
        "lainnya relatedposts yarpp crp lihatjuga read-more more-news".split()
    ),
    "share": frozenset("share sharing social sosmed socmed addthis sharedaddy sharethis".split()),
    "ads": frozenset(
        "ad ads adv advert advertisement advertising iklan banner sponsor sponsored adsbygoogle "
        "dfp gpt parallax billboard".split()
    ),
    "tags": frozenset("tag tags tagging topik topic topics keyword keywords hashtag".split()),
    "pagination": frozenset("paging pagination pager pagenav halaman".split()),
    "comments": frozenset("comment comments komentar disqus".split()),
    "prompts": frozenset("newsletter subscribe gnews googlenews whatsapp".split()),
    "navigation": frozenset("nav navbar navigation breadcrumb breadcrumbs menu footer".split()),
    "embeds": frozenset(
        "instagram-media twitter-tweet tiktok-embed embed embedded youtube-player fb-post".split()
    ),
}
# Rules whose class names are unambiguous: removed whatever their size (a long tweet is still
# a tweet). The other rules keep the size/link guard below.
UNGUARDED_RULES = frozenset({"embeds"})
# Headings are never pruned by class name: a story's subheading can carry a class like
# 'title-dt-paging' (merdeka); a related box's heading goes with its box.
_NEVER_BY_CLASS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CLASS_WORD_SPLIT = re.compile(r"[\s_\-]+")
# Without this guard, a story container named e.g. 'paging-content' (merdeka) or
# 'author-and-share' (okezone) would be thrown away with its story.
_MAX_NOISE_WORDS = 40


def class_words(el: HtmlElement) -> set[str]:
    """Words of an element's class and id: 'read__tagging' -> {'read', 'tagging', 'read__tagging'}."""
    class_, id_ = el.get("class"), el.get("id")
    if not class_ and not id_:
        return set()
    raw = f"{class_ or ''} {id_ or ''}".lower()
    words = set(_CLASS_WORD_SPLIT.split(raw))
    words.update(raw.split())
    words.discard("")
    return words


def _link_density(el: HtmlElement) -> float:
    text = normalize_space(el.text_content())
    if not text:
        return 1.0
    links = sum(len(normalize_space(a.text_content())) for a in el.iter("a"))
    return links / len(text)


def _is_removable(el: HtmlElement) -> bool:
    """Noise by name only if it does not look like story text (short or mostly links)."""
    words = len(WORD.findall(el.text_content()))
    return words <= _MAX_NOISE_WORDS or _link_density(el) > 0.5


def _is_caption_sized(el: HtmlElement) -> bool:
    return len(WORD.findall(el.text_content())) <= _MAX_CAPTION_WORDS or _link_density(el) > 0.5


def _attached(el: HtmlElement, root: HtmlElement) -> bool:
    """Still in the tree under `root` (not inside a box removed a moment ago)."""
    return any(ancestor is root for ancestor in el.iterancestors())


def _drop(el: HtmlElement) -> None:
    """Remove an element but keep its tail text, which belongs to the parent. The text before
    and after a removed block must not run together ('banjir<p>…</p>warga' is two runs, not
    'banjirwarga'): a block leaves a line break behind, an inline element a space."""
    if isinstance(el.tag, str):
        if el.tag in BLOCK_TAGS:
            marker = etree.Element("br")
            marker.tail, el.tail = el.tail, None
            el.addnext(marker)
        elif not (el.tail or "")[:1].isspace():
            el.tail = " " + (el.tail or "")
    el.drop_tree()


def prune_markup(root: HtmlElement) -> int:
    """Remove scripts, styles, forms, embeds and comments: never story text."""
    count = 0
    for el in list(root.iter(*NON_CONTENT_TAGS)):
        if el is not root and el.getparent() is not None:
            _drop(el)
            count += 1
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        if node.getparent() is not None:
            _drop(node)
    return count


_CAPTION_WORDS = frozenset(
    "caption captions figcaption keterangan photo-caption img-caption wp-caption-text "
    "credit credits photo-credit foto-credit copyright imageinfo image-info img-info "
    "photoinfo fotoinfo gallery galeri photo foto".split()
)
# A caption can be long (a full sentence with names and places); a story is longer.
_MAX_CAPTION_WORDS = 80


def prune_captions(root: HtmlElement) -> int:
    """Remove figures and image captions: their text repeats what the photo shows, not the story."""
    count = 0
    for el in list(root.iter("figure", "figcaption")):
        if _attached(el, root) and _is_caption_sized(el):
            _drop(el)
            count += 1
    for el in list(root.iter(etree.Element)):
        # the cheap tests first: most elements have no caption class
        if el is root or el.tag in _NEVER_BY_CLASS or not class_words(el) & _CAPTION_WORDS:
            continue
        if _attached(el, root) and _is_caption_sized(el):
            _drop(el)
            count += 1
    return count


def prune_noise_blocks(root: HtmlElement, removed: Removed) -> None:
    """Remove related boxes, share bars, ads, tag lists, pagination, comments, nav, embeds."""
    for el in list(root.iter(etree.Element)):
        if el is root or el.tag in _NEVER_BY_CLASS:
            continue
        words = class_words(el)
        # the cheap tests first: most elements have no noise class (and then whether they are
        # still attached does not matter)
        if not words or not any(words & names for names in NOISE_CLASS_WORDS.values()):
            continue
        if not _attached(el, root):
            continue
        for rule, names in NOISE_CLASS_WORDS.items():
            if words & names and (rule in UNGUARDED_RULES or _is_removable(el)):
                _drop(el)
                removed[rule] += 1
                break


def prune_selectors(root: HtmlElement, selectors: Iterable[CSSSelector], removed: Removed) -> None:
    """Remove a site profile's own noise selectors (counted as 'site_noise')."""
    for selector in selectors:
        for el in selector(root):
            if el is not root and el.getparent() is not None:
                _drop(el)
                removed["site_noise"] += 1


def prune_tree(root: HtmlElement, removed: Removed, site_noise: Iterable[CSSSelector] = ()) -> None:
    """All tree steps, in order, for the profile path and the generic path alike: markup, the
    site profile's own noise, captions, then noise blocks named by their class words."""
    removed["markup"] += prune_markup(root)
    prune_selectors(root, site_noise, removed)
    removed["caption"] += prune_captions(root)
    prune_noise_blocks(root, removed)


# ---------------------------------------------------------------------------------------------
# Block steps
# ---------------------------------------------------------------------------------------------

# 'Baca Juga:', 'Baca juga', 'Simak juga', 'Lihat juga', 'Baca Selanjutnya', 'Berita Terkait',
# 'Baca: …', 'Baca berita lainnya', 'Tonton juga', 'Saksikan video pilihan di bawah ini'
READ_ALSO = re.compile(
    r"^\W{0,3}(?:"
    r"(?:baca|simak|lihat|tonton|cek|klik|saksikan|dengarkan)\s+(?:juga|pula|selengkapnya|"
    r"selanjutnya|berita|artikel|video|info|informasi|di\s*sini)\b"
    r"|baca\s*[:：]"
    r"|jangan\s+lewatkan\b|wajib\s+baca\b|artikel\s+menarik\b"
    r"|read\s+(?:also|more)\b"
    r")",
    re.I,
)
# 'Berita Terkait: …' only as a label (with a colon) or a short line: 'Info terkini dari BMKG
# menyebutkan …' is a story sentence.
READ_ALSO_LABEL = re.compile(
    r"^\W{0,3}(?:berita|artikel|info)\s+(?:terkait|lainnya|menarik|pilihan|terpopuler|terkini)\b(?P<colon>\s*[:：])?",
    re.I,
)
_MAX_READ_ALSO_WORDS = 60


@lru_cache(maxsize=1024)  # asked again of the same text on every pass over the blocks
def _is_read_also(text: str) -> bool:
    if words_in(text) > _MAX_READ_ALSO_WORDS:
        return False
    if READ_ALSO.match(text):
        return True
    label = READ_ALSO_LABEL.match(text)
    return bool(label and (label["colon"] or words_in(text) <= 6))


AD_LABEL = re.compile(
    r"^\W*(?:advertisement|advertising|iklan|sponsored|ads|ad|konten\s+(?:berbayar|bersponsor)|"
    r"scroll(?:\s+down)?\s+(?:to\s+continue(?:\s+with\s+content)?|untuk\s+(?:melanjutkan|lanjut)(?:\s+membaca)?)|"
    r"perbesar|zoom|tutup|close|lihat\s+foto|lihat\s+galeri|bagikan|share|putar\s+video|play|"
    r"lanjutkan\s+membaca|continue\s+reading)\W*$",
    re.I,
)
_PLATFORMS = (
    r"(?:google\s*news|whats\s*app|telegram|(?:whatsapp\s+)?channel|saluran|instagram|twitter|tiktok|"
    r"youtube|facebook|newsletter|notifikasi|ponsel(?:mu)?)"
)
PROMPT = re.compile(
    # 'Ikuti berita … di Google News', 'Follow … WhatsApp Channel': a call to follow elsewhere
    rf"(?:^\W*(?:ikuti|gabung|follow|join|download|unduh|klik|yuk|jangan\s+lupa|simak|cek|lihat)\b.{{0,160}}\b{_PLATFORMS})"
    # 'Dapatkan berita terbaru …', 'Dapatkan update berita pilihan …'
    r"|^\W*dapatkan\s+(?:update\s+|informasi\s+|info\s+)?(?:berita|artikel|info|informasi|update)\b"
    r"|^\W*pilih\s+saluran\s+andalanmu"
    r"|^\W*(?:copyright|hak\s+cipta|©)"
    r"|^\W*dilarang\s+(?:keras\s+)?(?:mengambil|mengutip|menyalin)"
    r"|^\W*\[\s*gambas\s*:[^\]]*\]\W*$",
    re.I,
)
_MAX_PROMPT_WORDS = 45


PAGINATION = re.compile(
    r"^\W*(?:(?:halaman|hal\.?|page)\s*[:：]?\s*(?:\d+\W*)+(?:selanjutnya|berikutnya|next)?|"
    r"(?:halaman\s+)?(?:selanjutnya|sebelumnya|berikutnya)|next|prev(?:ious)?|"
    r"(?:lihat|tampilkan|show)\s+(?:semua|all)|(?:\d+\s+){1,20}\d+\s*(?:selanjutnya|next)?|"
    r"\d+\s+(?:dari|of)\s+\d+\s+(?:halaman|page)s?)\W*$",
    re.I,
)
# Headings that open the blocks after a story: everything from them on is not the story.
FOOTER_HEADING = re.compile(
    r"^\W*(?:tags?|topik(?:\s+terkait)?|topics?|artikel\s+(?:pilihan|terkait|terkini|terpopuler|lainnya)|"
    r"berita\s+(?:terkait|pilihan|terkini|terpopuler|lainnya|rekomendasi)|terkait|terkini|"
    r"terpopuler|populer|kabar\s+daerah|rekomendasi(?:\s+untuk\s+anda)?|pilihan\s+(?:editor|redaksi)|"
    r"baca\s+berikutnya|video\s+(?:pilihan|terkait)|komentar|rekomendasi\s+berita|"
    r"komentar\s+pembaca|rate\s+artikel\s+ini|popular\s+(?:videos?|photos?)|"
    r"most\s+popular|related\s+(?:news|articles?|posts?))\W*$",
    re.I,
)
PHOTO_CREDIT = re.compile(
    r"^\W*(?:\(?\s*(?:foto|ilustrasi|dok(?:umentasi)?|sumber\s+foto|photo|image|gambar|"
    r"kredit\s+foto)\s*[:.]|\(\s*foto\s*:)|\((?:foto|dok|ist)\b[^)]{0,60}\)\s*$",
    re.I,
)
_CREDITISH = re.compile(r"[/©]|\b(?:foto|dok|ist|photo|sumber|kredit)\b|^\W*\(", re.I)
SOURCE_IN_PARENS = re.compile(r"\((?:sumber|source)\s*:[^)]{1,60}\)\s*$", re.I)
END_MARK = re.compile(r"\s*(?:\(\s*\*{1,3}\s*\)|\*{2,3}|#{2,3}|-{3,}|\(\s*[-–]\s*\))\s*$")
# '(mdk/rka)', '(kpl/sry)', '(Dio/Ysl)', '(ant)', '(Antara)', '(ANT/Reuters)', '(*)'
# ... and the Tribun network's '(Tribunjogja.com)', '(Tribunjogja.com/Han)'
SIGN_OFF = re.compile(
    r"\s*\(\s*(?P<codes>[A-Za-z][\w.-]{0,24}(?:\s*[/\\,]\s*[A-Za-z][\w.-]{0,24}){0,4}|\*)\s*\)\s*$"
)
_OUTLET_CODE = re.compile(r"^[A-Za-z][\w-]*\.(?:com|co\.id|id|net)$", re.I)
SENTENCE_END = re.compile(r"[.!?\"”'’)…*]\s*$")


def drop_empty(blocks: list[Block], removed: Removed) -> list[Block]:
    """Drop blocks with no word characters (lone bullets, '&nbsp;', separators)."""
    kept = [b for b in blocks if WORD.search(b.text)]
    removed["empty"] += len(blocks) - len(kept)
    return kept


def _drop_matching(
    blocks: list[Block], removed: Removed, rule: str, test: Callable[[Block], bool]
) -> list[Block]:
    kept = []
    for block in blocks:
        if test(block):
            removed[rule] += 1
        else:
            kept.append(block)
    return kept


def drop_read_also(blocks: list[Block], removed: Removed) -> list[Block]:
    """'Baca Juga: <headline>' and friends: links to other stories placed inside the body."""
    return _drop_matching(blocks, removed, "baca_juga", lambda b: _is_read_also(b.text))


def drop_related_links(blocks: list[Block], removed: Removed) -> list[Block]:
    """A short paragraph that is all link is a related headline ('• <a>…</a>'), not story."""
    return _drop_matching(
        blocks,
        removed,
        "related_link",
        lambda b: b.link_ratio >= 0.8 and words_in(b.text) <= 30,
    )


def drop_ad_labels(blocks: list[Block], removed: Removed) -> list[Block]:
    """'ADVERTISEMENT', 'SCROLL TO CONTINUE WITH CONTENT', 'Iklan'."""
    return _drop_matching(blocks, removed, "ad_label", lambda b: bool(AD_LABEL.match(b.text)))


def drop_prompts(blocks: list[Block], removed: Removed) -> list[Block]:
    """'Dapatkan berita terbaru … Google News', 'Ikuti saluran WhatsApp …', copyright lines."""
    return _drop_matching(
        blocks,
        removed,
        "prompt",
        lambda b: words_in(b.text) <= _MAX_PROMPT_WORDS and bool(PROMPT.search(b.text)),
    )


TAG_LINE = re.compile(r"^\W*(?:tags?|topik|kata\s+kunci|keywords?)\s*[:：]\s*\S", re.I)
# 'Artikel ini telah tayang di Tribunnews.com dengan judul …': a syndication credit.
SYNDICATION = re.compile(
    r"^\W*(?:artikel|berita|tulisan)\s+ini\s+(?:telah\s+|juga\s+|sudah\s+)?(?:tayang|terbit|dimuat|diterbitkan)\s+"
    r"(?:di|pada|dalam)\s+(?P<source>[\w.\- ]{2,40}?)\s*(?:dengan\s+judul|berjudul|pada\b|,|\.(?:\s|$)|$)",
    re.I,
)
# A story sentence may say where a report ran ('Berita ini dimuat di harian Kompas pada 1998 dan
# memicu protes'): a syndication note says 'telah'/'juga' or gives the title.
_SYNDICATION_MARK = re.compile(r"\b(?:telah|juga|sudah)\s+(?:tayang|terbit|dimuat|diterbitkan)\b|\bjudul\b", re.I)


def drop_tag_lines(blocks: list[Block], removed: Removed) -> list[Block]:
    """'Tags: banjir, Bandung' written inside the body."""
    return _drop_matching(blocks, removed, "tags", lambda b: len(b.text) < 300 and bool(TAG_LINE.match(b.text)))


def drop_syndication_notes(blocks: list[Block], removed: Removed, credits: Credits) -> list[Block]:
    """'Artikel ini telah tayang di Tribunnews.com dengan judul …': dropped, its origin kept as
    a source."""
    kept = []
    for block in blocks:
        match = SYNDICATION.match(block.text)
        if match and len(block.text) < 400 and (
            _SYNDICATION_MARK.search(block.text) or words_in(block.text) <= 10
        ):
            credits.add("sources", [normalize_space(match["source"])])
            removed["syndication"] += 1
        else:
            kept.append(block)
    return kept


CONTACT_LINE = re.compile(r"^\W*(?:kontak|contact|media\s+contact|narahubung|info\s+lebih\s+lanjut)\s*[:：]", re.I)
HASHTAG_LINE = re.compile(r"^\s*(?:#\w+\s*)+(?:[\s\w]{0,40})$")


def drop_contact_lines(blocks: list[Block], removed: Removed) -> list[Block]:
    """'KONTAK: info@…' closing press releases: for the press, not for readers."""
    return _drop_matching(blocks, removed, "contact", lambda b: bool(CONTACT_LINE.match(b.text)))


def drop_hashtag_lines(blocks: list[Block], removed: Removed) -> list[Block]:
    """Campaign hashtags on a line of their own ('#ChangeMaker with FIMELA')."""
    return _drop_matching(blocks, removed, "hashtag", lambda b: bool(HASHTAG_LINE.match(b.text)))


_BULLET = re.compile(r"^(?:[\s•·▪►▸◦●○■□✓✔→»*]|-\s)+(?=\w|[\"“'(])")


def strip_bullets(blocks: list[Block]) -> list[Block]:
    """List bullets typed as characters ('• Perjalanan …') are layout, not text."""
    out = []
    for block in blocks:
        text = _BULLET.sub("", block.text)
        out.append(block if text == block.text else Block(text, block.tag, min(block.link_chars, len(text))))
    return out


def drop_pagination(blocks: list[Block], removed: Removed) -> list[Block]:
    """'Halaman 1 2 3 Selanjutnya', 'Halaman selanjutnya', bare page numbers."""
    return _drop_matching(blocks, removed, "pagination", lambda b: bool(PAGINATION.match(b.text)))


def drop_photo_credits(blocks: list[Block], removed: Removed, captions: Iterable[str] = ()) -> list[Block]:
    """Photo credits ('Foto: …', '(Foto: Dok. X)') and captions repeated in the text."""
    known = [c for c in (normalize_space(c).casefold() for c in captions) if len(c) > 20]

    def is_caption(block: Block) -> bool:
        text = block.text.casefold()
        words = words_in(block.text)
        if words < 25 and PHOTO_CREDIT.search(block.text):
            return True
        # 'Tanda Pria Jatuh Cinta (Sumber: Pixabay)': a picture's label, not a sentence
        if words <= 8 and SOURCE_IN_PARENS.search(block.text):
            return True
        for caption in known:
            if text == caption or (len(text) > 30 and caption.startswith(text)):
                return True
            # the caption with its credit glued on; a lead that merely starts like the caption
            # and goes on with the story stays
            rest = text[len(caption) :]
            if text.startswith(caption) and len(WORD.findall(rest)) <= 8 and _CREDITISH.search(rest):
                return True
        return False

    return _drop_matching(blocks, removed, "caption", is_caption)


def drop_title_repeats(blocks: list[Block], removed: Removed, title: str | None) -> list[Block]:
    """The headline or sub-headline repeated at the top of the container."""
    if not title:
        return blocks
    folded = title.casefold()
    return _drop_matching(blocks, removed, "title", lambda b: b.text.casefold() == folded)


def drop_credit_lines(blocks: list[Block], removed: Removed, credits: Credits) -> list[Block]:
    """'Editor: …', 'Penulis: …', 'Reporter: …', 'Sumber: …' lines: harvested, then removed."""
    kept = []
    for block in blocks:
        parsed = _parse_credit_block(block.text)
        if parsed is None:
            kept.append(block)
            continue
        for field_name, names in parsed:
            credits.add(field_name, names)
        removed["credit_line"] += 1
    return kept


def _parse_credit_block(text: str) -> list[tuple[str, list[str]]] | None:
    # 'Penulis: X | Editor: Y' or 'Redaktur : X Sumber : Y' on one line
    if len(text) > 200:
        return None
    found = find_credits(text)
    return found or None


def truncate_at_footer_heading(blocks: list[Block], removed: Removed) -> list[Block]:
    """A 'Tags' / 'Artikel Pilihan' / 'Berita Terkait' heading in the second half of the
    blocks opens the page furniture after the story: drop it and everything after it, and any
    such headings left at the end (so that cleaning a clean body changes nothing)."""
    start = len(blocks) // 2
    for i in range(start, len(blocks)):
        if FOOTER_HEADING.match(blocks[i].text):
            removed["footer"] += len(blocks) - i
            blocks = blocks[:i]
            break
    while blocks and FOOTER_HEADING.match(blocks[-1].text):
        removed["footer"] += 1
        blocks = blocks[:-1]
    return blocks


def strip_end_marks(blocks: list[Block], removed: Removed) -> list[Block]:
    """Trailing end marks '***', '(***)' that close a story."""
    while blocks:
        last = blocks[-1]
        trimmed = END_MARK.sub("", last.text).rstrip()
        if trimmed == last.text:
            break
        removed["end_mark"] += 1
        if WORD.search(trimmed):
            blocks[-1] = Block(trimmed, last.tag, min(last.link_chars, len(trimmed)))
            break
        blocks = blocks[:-1]
    return blocks


def _is_sign_off_code(codes: str) -> bool:
    """'mdk/rka', 'Dio/Ysl', 'ant', 'DRY', 'Antara', '*' are sign-offs; a single capitalised word
    like '(Settings)' after a sentence is a gloss."""
    parts = [c.strip() for c in re.split(r"[/\\,]", codes) if c.strip()]
    if codes == "*":
        return True
    if len(parts) > 1:  # 'mdk/rka', 'Tribunjogja.com/Han': initials or an outlet, not words
        return all(len(p) <= 5 or _OUTLET_CODE.match(p) or wire_source(p) for p in parts)
    code = parts[0] if parts else ""
    return (
        bool(wire_source(code))
        or bool(_OUTLET_CODE.match(code))
        or (code.isalpha() and (code.islower() or code.isupper()) and len(code) <= 5)
    )


def _sign_off_at(text: str) -> re.Match[str] | None:
    """The sign-off closing `text`, if any; '(AS)' inside a sentence is not one."""
    if not text.rstrip().endswith(")"):  # SIGN_OFF ends in ')' and whitespace: skip the search
        return None
    match = SIGN_OFF.search(text)
    if not match or not _is_sign_off_code(match["codes"]):
        return None
    before = text[: match.start()].rstrip()
    if WORD.search(before) and not SENTENCE_END.search(before):
        return None
    return match


def strip_sign_off(blocks: list[Block], removed: Removed, credits: Credits) -> list[Block]:
    """Reporter initials closing a story, '(mdk/rka)', '(ant)': the story ends there, so the
    sign-off and any promo blocks after it go. A wire service named in it ('(Antara)',
    '(ant/Reuters)') is recorded as a source. Sign-offs on lines of their own in a row go too."""
    while True:
        stripped = _strip_sign_off_once(blocks, removed, credits)
        if stripped is blocks:
            return blocks
        blocks = stripped


def _strip_sign_off_once(blocks: list[Block], removed: Removed, credits: Credits) -> list[Block]:
    """Reporter initials closing a story, '(mdk/rka)', '(ant)': the story ends there, so the
    sign-off and any promo blocks after it go. A wire service named in it ('(Antara)',
    '(ant/Reuters)') is recorded as a source."""
    for i in range(len(blocks) - 1, len(blocks) // 2 - 1, -1):
        match = _sign_off_at(blocks[i].text)
        if match is None:
            continue
        removed["after_sign_off"] += len(blocks) - i - 1
        before = blocks[i].text
        while match is not None:  # '(ant/rka) (ant)': several sign-offs in a row
            for code in re.split(r"[/\\,]", match["codes"]):
                wire = wire_source(code)
                if wire:
                    credits.add("sources", [wire])
            removed["sign_off"] += 1
            before = END_MARK.sub("", before[: match.start()].rstrip()).rstrip()
            match = _sign_off_at(before) if before else None
        kept = blocks[:i]
        if WORD.search(before):
            kept.append(Block(before, blocks[i].tag, min(blocks[i].link_chars, len(before))))
        return kept
    return blocks


def drop_header_lines(blocks: list[Block], removed: Removed, title: str | None) -> list[Block]:
    """The article header read along with the story (generic path): everything up to the
    headline, and short date lines ('Senin, 15 Mei 2017 18:43 WIB | 699 Views') at the top."""
    if title:
        folded = title.casefold()
        for i, block in enumerate(blocks[: max(3, len(blocks) // 3)]):
            if block.text.casefold() == folded:
                removed["header"] += i + 1
                blocks = blocks[i + 1 :]
                break
    while blocks and _is_date_line(blocks[0].text):
        removed["date_line"] += 1
        blocks = blocks[1:]
    return blocks


def _is_date_line(text: str) -> bool:
    if re.search(r"[-–—]\s*$", text):  # 'ISTANBUL, 23 Februari 2016 (Antara) --' is a lead-in
        return False
    if words_in(text) > 14 or (SENTENCE_END.search(text) and not text.rstrip().endswith(("WIB", "WITA", "WIT"))):
        return False
    return parse_date(text) is not None


# Shorter repeats are the story's own: a step of a prayer guide ('Setelah selesai sholat dzuhur, …
# bacaan niat:' twice), an interview's recurring question, a recipe's recurring line.
_MIN_DUPLICATE_CHARS = 100


def drop_duplicates(blocks: list[Block], removed: Removed) -> list[Block]:
    """A paragraph repeated verbatim (a mobile and a desktop copy of the story) is kept once."""
    seen: set[str] = set()
    kept = []
    for block in blocks:
        key = block.text.casefold()
        if key in seen and len(key) >= _MIN_DUPLICATE_CHARS:
            removed["duplicate"] += 1
            continue
        seen.add(key)
        kept.append(block)
    return kept


# ---------------------------------------------------------------------------------------------
# Dateline
# ---------------------------------------------------------------------------------------------

# the dash after a lead-in: ' - ', ' -- ', '--' glued to the first word, '–', '—'
_DATELINE = re.compile(r"^(?P<dl>[^\n]{2,90}?)\s*(?:(?:--|–|—|-\s-)\s*|-\s+|-\s*$)")
_OUTLET = r"(?:[A-Za-z][\w-]*\.(?:com|co\.id|id|net|tv|news)|PR\s+[A-Z]{3,}(?:\s+[A-Z]{3,})?|ANTARA(?:\s+News)?)"
_CAPS_PLACE = r"[A-Z][A-Z.'-]+(?:\s+[A-Z][A-Z.'-]+){0,3}"
_TITLE_PLACE = r"[A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+){0,2}"
_PLACE = rf"(?:{_CAPS_PLACE}|{_TITLE_PLACE})"
_REGION = r"(?:,\s*(?:[A-Z]{2,4}|[A-Z][A-Za-z'-]+(?:\s+[A-Z][A-Za-z'-]+)?))?"
_DATE_PART = r"(?:,\s*\d{1,2}\s+[A-Za-z]+\s+\d{4})?"
# 'Liputan6.com, Jakarta', 'PR DEPOK', 'Merdeka.com'
_OUTLET_FIRST = re.compile(rf"^{_OUTLET}(?:\s*,\s*{_PLACE})?$")
# 'KUTA, KOMPAS.com'
_PLACE_THEN_OUTLET = re.compile(rf"^{_PLACE}\s*,\s*{_OUTLET}$")
# 'Jakarta (ANTARA News)', 'Mataram, NTB (ANTARA News)', 'ISTANBUL, 23 Februari 2016 (Antara/PRNewswire)'
_PLACE_THEN_WIRE = re.compile(rf"^(?P<place>{_PLACE}){_REGION}{_DATE_PART}\s*\([^()]{{2,40}}\)$")
# 'JAKARTA', 'Semarang', 'Mataram, NTB', 'Jakarta, 9 Januari 2022'
_PLACE_ONLY = re.compile(rf"^(?P<place>{_PLACE}){_REGION}{_DATE_PART}$")
_DATELINE_PAREN = re.compile(r"\(([^)]*)\)")


def _is_known_place(place: str) -> bool:
    """Capitals are a dateline's shape; a title-case word must be a known place
    ('Jokowi - Ma'ruf Amin …' is not a dateline)."""
    return place.isupper() or place.lower() in PLACES


def is_dateline(text: str) -> bool:
    """Whether a lead-in (the words before the first dash) is a dateline."""
    if _OUTLET_FIRST.match(text) or _PLACE_THEN_OUTLET.match(text):
        return True
    match = _PLACE_THEN_WIRE.match(text)
    if match:
        return True
    match = _PLACE_ONLY.match(text)
    return bool(match and _is_known_place(match["place"]))


def split_dateline(first: str) -> tuple[str | None, str]:
    """'PR DEPOK - Presiden …' -> ('PR DEPOK', 'Presiden …'); no lead-in -> (None, first).

    A lead-in is an outlet mark ('Liputan6.com, Jakarta', 'Jakarta (ANTARA News)', 'PR DEPOK')
    or a place alone ('JAKARTA', 'Jakarta') followed by a dash."""
    match = _DATELINE.match(first)
    if not match:
        return None, first
    dateline = normalize_space(match["dl"]).rstrip(" ,-")
    rest = first[match.end():].lstrip()
    if len(dateline.split()) > 8:
        return None, first
    return (dateline, rest) if is_dateline(dateline) else (None, first)


_LEAD_SEARCH = 3  # blocks looked at for the dateline
_MAX_BEFORE_DATELINE_WORDS = 60


def cut_dateline(blocks: list[Block], removed: Removed) -> tuple[str | None, list[Block]]:
    """Cut the lead-in from the story's first paragraph. The dateline opens the story, so short
    blocks above it (a pull quote, a caption the pruning missed) are not story either."""
    for i, block in enumerate(blocks[:_LEAD_SEARCH]):
        dateline, rest = split_dateline(block.text)
        if dateline is None:
            if words_in(block.text) > _MAX_BEFORE_DATELINE_WORDS:
                break
            continue
        removed["dateline"] += 1
        removed["before_dateline"] += i
        kept = blocks[i + 1 :]
        if rest.strip():  # else the lead-in stood on a line of its own
            kept.insert(0, Block(rest, block.tag))
        return dateline, kept
    return None, blocks


def dateline_sources(dateline: str, site: str) -> list[str]:
    """Wire credits inside a dateline: 'ISTANBUL (Antara/PRNewswire)' -> ['PRNewswire'] on
    antaranews.com (the outlet's own name is not a source)."""
    sources = []
    own = site.split(".")[-2] if "." in site else site
    for group in _DATELINE_PAREN.findall(dateline):
        for part in re.split(r"[/,]", group):
            name = normalize_space(part)
            if not name:
                continue
            name = wire_source(name.split()[0]) or name  # '(Ant)', '(ANTARA News)' -> Antara
            if own.casefold().startswith(name.casefold()[:5]):
                continue
            sources.extend(split_names(name, keep_outlets=True))
    return sources


_LEAD_IN_TAGS = ("b", "strong")


def mark_bold_lead_in(root: HtmlElement) -> bool:
    """KLY sites print the lead-in in bold with no dash ('<b>Liputan6.com, Jakarta</b> Gemma …').
    Give it the dash that `split_dateline` looks for. True when a lead-in was marked."""
    for el in root.iter(*_LEAD_IN_TAGS):
        text = normalize_space(el.text_content())
        if not text:
            continue
        # only the very first words of the container qualify
        if not normalize_space(root.text_content()).startswith(text):
            return False
        if re.search(r"[-–—]\s*$", text) or not (_OUTLET_FIRST.match(text) or _PLACE_THEN_OUTLET.match(text)):
            return False
        after = normalize_space(el.tail or "")
        if after.startswith(("-", "–", "—")):
            return False
        el.tail = " - " + (el.tail or "").lstrip()
        return True
    return False
