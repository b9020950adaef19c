"""Files embedded in the report PDF (the machine-readable annex), added before the PDF is signed."""

from __future__ import annotations

import io
from dataclasses import dataclass

from pyhanko.pdf_utils.embed import EmbeddedFileObject, FileSpec, embed_file
from pyhanko.pdf_utils.generic import NameObject
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter


@dataclass(frozen=True)
class Attachment:
    name: str  # e.g. "annex.json"
    data: bytes
    mime_type: str
    description: str


def embed_files(pdf: bytes, attachments: list[Attachment]) -> bytes:
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
    output = io.BytesIO()
    writer.write(output)  # type: ignore[no-untyped-call]  # pyHanko leaves this one unannotated
    return output.getvalue()
