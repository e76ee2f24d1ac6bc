"""Builders for WordprocessingML packages written in tests (no third-party documents)."""

from __future__ import annotations

import io
import zipfile

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def ref(kind: str, note_id: int, custom: str = "") -> str:
    attr = ' w:customMarkFollows="1"' if custom else ""
    mark = f"<w:t>{custom}</w:t>" if custom else ""
    return f'<w:r><w:{kind}Reference{attr} w:id="{note_id}"/>{mark}</w:r>'


def field(instruction: str, result: str) -> str:
    half = len(instruction) // 2
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{instruction[:half]}</w:instrText></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{instruction[half:]}</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{run(result)}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def part(root: str, body: str) -> str:
    return f'{HEAD}<w:{root} xmlns:w="{W_NS}" xmlns:r="{R_NS}">{body}</w:{root}>'


def rels(*items: tuple[str, str, str, bool]) -> str:
    rows = "".join(
        f'<Relationship Id="{rid}" Type="{TYPE}{kind}" Target="{target}"'
        + (' TargetMode="External"/>' if external else "/>")
        for rid, kind, target, external in items
    )
    return f'{HEAD}<Relationships xmlns="{RELS_NS}">{rows}</Relationships>'


def note(kind: str, note_id: int, body: str) -> str:
    ref = f"<w:r><w:{kind}Ref/></w:r>"
    return f'<w:{kind} w:id="{note_id}"><w:p>{ref}{body}</w:p></w:{kind}>'


def zip_parts(parts: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()
