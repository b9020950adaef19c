"""What is added to the rendered PDF before it is signed: the machine-readable annex as embedded files, and the
bookmarks (outline) a reader shows beside the pages, one per section. Qt's PDF writer makes neither."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from pyhanko.pdf_utils.embed import EmbeddedFileObject, FileSpec, embed_file
from pyhanko.pdf_utils.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NullObject,
    NumberObject,
    pdf_string,
)
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from PySide6.QtGui import QPageLayout

from safecase.services.reports.paginate import PAGE_LAYOUT, Heading


@dataclass(frozen=True)
class Attachment:
    name: str  # e.g. "annex.json"
    data: bytes
    mime_type: str
    description: str


def embed_files(pdf: bytes, attachments: list[Attachment], outline: Sequence[Heading] = ()) -> bytes:
    """``pdf`` with ``attachments`` as document-level embedded files (a PDF reader lists them as attachments).

    Each is an associated file of the document with relationship ``/Data`` (PDF 2.0 / PDF/A-3), so tools that read
    machine-readable data attached to a PDF find it.
    """
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    for attachment in attachments:
        embedded = EmbeddedFileObject.from_file_data(writer, attachment.data, mime_type=attachment.mime_type)
        spec = FileSpec(
            file_spec_string=attachment.name,
            file_name=attachment.name,
            embedded_data=embedded,
            description=attachment.description,
            af_relationship=NameObject("/Data"),
        )
        embed_file(writer, spec)
    if outline:
        _add_outline(writer, outline)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _add_outline(writer: IncrementalPdfFileWriter, outline: Sequence[Heading]) -> None:
    """A flat outline, one entry per heading, each opening its page at the heading; the reader shows it first."""
    root = DictionaryObject({NameObject("/Type"): NameObject("/Outlines")})
    root_ref = writer.add_object(root)
    page_height = float(PAGE_LAYOUT.fullRect(QPageLayout.Unit.Point).height())
    entries, refs = [], []
    for heading in outline:
        page_ref, _resources = writer.find_page_for_modification(heading.page)
        top = FloatObject(page_height - heading.top)  # PDF pages count up from the bottom
        destination = [page_ref, NameObject("/XYZ"), FloatObject(0), top, NullObject()]
        entry = DictionaryObject(
            {
                NameObject("/Title"): pdf_string(heading.title),
                NameObject("/Parent"): root_ref,
                NameObject("/Dest"): ArrayObject(destination),
            }
        )
        entries.append(entry)
        refs.append(writer.add_object(entry))
    for index in range(len(refs) - 1):
        entries[index][NameObject("/Next")] = refs[index + 1]
        entries[index + 1][NameObject("/Prev")] = refs[index]
    root[NameObject("/First")] = refs[0]
    root[NameObject("/Last")] = refs[-1]
    root[NameObject("/Count")] = NumberObject(len(refs))
    writer.root[NameObject("/Outlines")] = root_ref
    writer.root[NameObject("/PageMode")] = NameObject("/UseOutlines")
    writer.update_root()
