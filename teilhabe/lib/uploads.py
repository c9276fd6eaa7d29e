"""Upload guard, called by every importer *before* the shared table reader (``teilhabe.lib.tabular``).

``check_upload(data, file_name, kind)`` (or ``check_upload_file(path, ...)`` for a file on disk) refuses, with a German message (``UploadRefused``):

* files larger than the cap of their import kind (``UPLOAD_LIMITS_MB``; env ``TEILHABE_UPLOAD_LIMIT_<KIND>_MB``);
* files whose content does not match their name: ``.xlsx``/``.ods`` must be ZIP containers with the
  workbook parts of that format, ``.csv``/``.txt`` must be text (no ZIP, PDF, image or program signature,
  no NUL bytes);
* ZIP bombs: more than ``MAX_MEMBERS`` parts, nested archives, a compression ratio above ``MAX_RATIO``, or
  more than ``UPLOAD_MAX_UNPACKED_MB`` after unpacking. Every part is *streamed* through the decompressor
  in 64 KiB pieces and counted — the sizes the archive declares are not trusted, and nothing is kept in
  memory beyond one piece.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

MAX_MEMBERS = 2_000
MAX_RATIO = 200  # real workbooks compress 5–30 : 1, bombs 1000 : 1 and more
CHUNK = 64 * 1024
_BINARY_SIGNATURES = {
    b"PK\x03\x04": "ZIP-Archiv (z. B. Excel- oder ODS-Datei)",
    b"%PDF": "PDF-Dokument",
    b"\x89PNG": "PNG-Bild",
    b"\xff\xd8\xff": "JPEG-Bild",
    b"GIF8": "GIF-Bild",
    b"MZ": "Windows-Programm",
    b"\x7fELF": "Programm",
    b"\xd0\xcf\x11\xe0": "altes Office-Format (XLS/DOC)",
    b"\x1f\x8b": "gzip-Archiv",
}
_REQUIRED_PARTS = {
    ".xlsx": ("[Content_Types].xml", "xl/workbook.xml"),
    ".ods": ("mimetype", "content.xml"),
}
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


class UploadRefused(ValueError):
    """The upload is refused; ``str(error)`` is the German message for the user."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_unpacked_bytes: int


def limits_for(kind: str) -> Limits:
    megabytes = settings.UPLOAD_LIMITS_MB.get(kind, settings.UPLOAD_LIMITS_MB["default"])
    return Limits(megabytes * 1024 * 1024, settings.UPLOAD_MAX_UNPACKED_MB * 1024 * 1024)


def _suffix(file_name: str) -> str:
    name = file_name.lower()
    return name[name.rfind(".") :] if "." in name else ""


def _check_zip(data: bytes, suffix: str, limits: Limits) -> None:
    label = suffix.lstrip(".").upper()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UploadRefused(f"Die Datei heißt .{label.lower()}, ist aber keine gültige {label}-Datei.") from exc
    if len(members) > MAX_MEMBERS:
        raise UploadRefused(
            f"Die {label}-Datei besteht aus {len(members)} Teilen; erlaubt sind höchstens {MAX_MEMBERS}."
        )
    names = {member.filename for member in members}
    missing = [part for part in _REQUIRED_PARTS[suffix] if part not in names]
    if missing:
        raise UploadRefused(
            f"Die Datei heißt .{label.lower()}, enthält aber keine {label}-Arbeitsmappe ({missing[0]} fehlt)."
        )
    total = 0
    for member in members:
        if _suffix(member.filename) in {".zip", ".xlsx", ".ods", ".gz", ".7z", ".rar"}:
            raise UploadRefused(
                f"Die {label}-Datei enthält ein weiteres Archiv ({member.filename}); das wird nicht angenommen."
            )
        unpacked = 0
        try:
            with archive.open(member) as stream:
                while piece := stream.read(CHUNK):
                    unpacked += len(piece)
                    total += len(piece)
                    if total > limits.max_unpacked_bytes:
                        raise UploadRefused(
                            f"Die {label}-Datei wäre entpackt größer als {limits.max_unpacked_bytes // (1024 * 1024)} MB "
                            "(mögliche ZIP-Bombe); sie wird nicht gelesen."
                        )
                    if unpacked > CHUNK * 16 and unpacked > MAX_RATIO * max(member.compress_size, 1):
                        raise UploadRefused(
                            f"Ein Teil der {label}-Datei ist auffällig stark gepackt (über {MAX_RATIO} : 1, "
                            "mögliche ZIP-Bombe); sie wird nicht gelesen."
                        )
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
            raise UploadRefused(f"Die {label}-Datei ist beschädigt ({member.filename}).") from exc
    if suffix == ".ods" and archive.read("mimetype").strip() != _ODS_MIMETYPE:
        raise UploadRefused("Die Datei heißt .ods, ist aber keine OpenDocument-Tabelle.")


def _check_text(data: bytes) -> None:
    head = data[:8192]
    for signature, what in _BINARY_SIGNATURES.items():
        if head.startswith(signature):
            raise UploadRefused(
                f"Die Datei heißt .csv, ist aber ein {what}. Bitte als CSV-Text speichern oder mit passender Endung hochladen."
            )
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UploadRefused("Die Datei heißt .csv, enthält aber Binärdaten statt Text.")


def check_upload(data: bytes, file_name: str, kind: str = "default") -> None:
    """Raise ``UploadRefused`` (German message) unless the upload may be handed to the table reader."""
    limits = limits_for(kind)
    suffix = _check_size_and_suffix(len(data), file_name, limits)
    if suffix in _REQUIRED_PARTS:
        _check_zip(data, suffix, limits)
    else:
        _check_text(data)


def check_upload_file(path: Path, file_name: str, kind: str = "default") -> None:
    """``check_upload`` for a file on disk (the CLI imports): the size comes from the file system and a text
    file is not read beyond its first 8 KiB, so a large extract is not loaded into memory just to be checked."""
    limits = limits_for(kind)
    suffix = _check_size_and_suffix(path.stat().st_size, file_name, limits)
    if suffix in _REQUIRED_PARTS:
        _check_zip(path.read_bytes(), suffix, limits)
    else:
        with path.open("rb") as handle:
            _check_text(handle.read(8192))


def _check_size_and_suffix(size: int, file_name: str, limits: Limits) -> str:
    if size > limits.max_bytes:
        raise UploadRefused(
            f"Die Datei ist {size / (1024 * 1024):.1f} MB groß; für diesen Import sind höchstens "
            f"{limits.max_bytes // (1024 * 1024)} MB erlaubt.".replace(".", ",", 1)
        )
    suffix = _suffix(file_name)
    if suffix not in _REQUIRED_PARTS and suffix not in {".csv", ".txt", ".tsv"}:
        raise UploadRefused(
            f"Dateien mit der Endung „{suffix or 'ohne'}“ werden nicht angenommen (CSV, XLSX oder ODS)."
        )
    return suffix
