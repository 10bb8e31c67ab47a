"""Submission stage: check uploaded files by content, store them, find them again.

Imports the models, the domain and pypdf. Files live under UPLOAD_FOLDER (outside static/)
under random names; a file replaced or deleted in a transaction leaves the disk only once the
transaction commits, and a file written in a transaction that rolls back is removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import secrets
import warnings
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, object_session

from trophies.domain.errors import DomainError
from trophies.domain.filetypes import KINDS, mime_type, safe_filename, sniff, with_extension
from trophies.models import Attachment, Dossier, Question, db

__all__ = [
    "FILE_MAX_BYTES_DEFAULT", "REASONS", "FileRejected", "UnsafeStoredName", "allowed_kinds",
    "check_upload", "delete_attachment", "path_of", "read", "size_limit", "store_upload",
]

#: Size limit for a question that sets none (config FILE_MAX_BYTES_DEFAULT overrides it).
FILE_MAX_BYTES_DEFAULT = 20 * 1024 * 1024
REASONS = ("empty", "too_large", "wrong_type", "encrypted", "scripted", "malformed")


class FileRejected(DomainError):
    """The upload was refused; `details["reason"]` is one of REASONS, with `details["limit"]`
    (bytes) for "too_large" and `details["allowed"]` (kinds) for "wrong_type"."""

    code = "file_rejected"


class UnsafeStoredName(DomainError):
    """An attachment row whose stored name is not 32 hex characters: never opened."""

    code = "unsafe_stored_name"


# --- checking -----------------------------------------------------------------------------


def check_upload(data: bytes, *, allowed: Iterable[str], max_bytes: int) -> str:
    """The kind of `data` ("pdf", "png" or "jpeg") if it may be stored.

    The kind comes from the content only. A PDF must parse, have at least one page, be
    unencrypted and carry no script, launch action, additional actions or embedded file.
    Raises FileRejected with reason "empty", "too_large", "wrong_type", "encrypted",
    "scripted" or "malformed". Pure: reads nothing but its arguments.
    """
    allowed = list(allowed)
    if not data:
        raise FileRejected("empty", reason="empty")
    if len(data) > max_bytes:
        raise FileRejected("too_large", reason="too_large", limit=max_bytes)
    kind = sniff(data)
    if kind is None or kind not in allowed:
        raise FileRejected("wrong_type", reason="wrong_type", allowed=allowed)
    if kind == "pdf":
        _check_pdf(data)
    elif kind == "png" and data[12:16] != b"IHDR":
        raise FileRejected("malformed", reason="malformed")
    return kind


#: Action types that run code, open other programs or reach into embedded files.
_ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/RichMediaExecute", "/GoToE"})
#: Annotations that carry a file or an interactive player.
_ACTIVE_ANNOTATIONS = frozenset({"/FileAttachment", "/RichMedia"})
#: Dictionaries visited in the document structure before we stop looking (keeps huge
#: documents fast; the raw scan below still covers the whole file).
_VISIT_BUDGET = 20_000
_MAX_ACTION_CHAIN = 32

_DELIMITER = rb"(?![^\s\x00/<>\[\]()%{}])"
#: Names searched in the whole file: long enough never to turn up by chance in binary data.
_RAW_NAMES = re.compile(rb"/(?:JavaScript|Launch|EmbeddedFiles?|RichMedia|XFA)" + _DELIMITER)
#: Names written with #xx escapes (e.g. /J#61vaScript) are decoded then compared.
_ESCAPED_NAME = re.compile(rb"/[^\s\x00/<>\[\]()%{}#]*#[0-9A-Fa-f]{2}[^\s\x00/<>\[\]()%{}]*")
_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
#: In decompressed object streams (dictionaries only, no binary data) short names are safe.
_OBJSTM_NAMES = re.compile(
    rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|AA)" + _DELIMITER
)
_ACTIVE_NAMES = frozenset({b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles",
                           b"RichMedia", b"XFA", b"AA"})
_OBJSTM = re.compile(rb"/Type\s*/ObjStm" + _DELIMITER)
_OBJSTM_WINDOW = 1024
_OBJSTM_MAX_INFLATED = 32 * 1024 * 1024


def _check_pdf(data: bytes) -> None:
    """Parse with pypdf (lenient, warnings silenced) then look for active content."""
    from pypdf import PdfReader  # imported here: only uploads need it

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise FileRejected("encrypted", reason="encrypted")
            if len(reader.pages) == 0:
                raise FileRejected("malformed", reason="malformed")
            scripted = _structure_is_active(reader)
        except FileRejected:
            raise
        except Exception as error:  # pypdf raises many types on hostile input
            if b"/Encrypt" in data:  # e.g. AES needs a crypto library we do not install
                raise FileRejected("encrypted", reason="encrypted") from error
            raise FileRejected("malformed", reason="malformed") from error
    if scripted or _raw_is_active(data):
        raise FileRejected("scripted", reason="scripted")


def _structure_is_active(reader: Any) -> bool:
    """Catalog (/OpenAction, /AA, /Names, /AcroForm), pages (/AA, annotations), outlines
    and form fields, within a visit budget."""
    budget = [_VISIT_BUDGET]
    catalog = _resolve(reader.trailer.get("/Root"))
    if not isinstance(catalog, dict):
        raise ValueError("no catalog")
    if "/AA" in catalog or _action_is_active(catalog.get("/OpenAction")):
        return True
    names = _resolve(catalog.get("/Names"))
    if isinstance(names, dict) and ("/JavaScript" in names or "/EmbeddedFiles" in names):
        return True
    form = _resolve(catalog.get("/AcroForm"))
    if isinstance(form, dict):
        if "/XFA" in form:
            return True
        if _tree_is_active(form.get("/Fields"), ("/Kids",), budget):
            return True
    for page in reader.pages:
        if "/AA" in page:
            return True
        for annotation in _array(page.get("/Annots")):
            if _spend(budget):
                return False
            annotation = _resolve(annotation)
            if isinstance(annotation, dict) and (
                annotation.get("/Subtype") in _ACTIVE_ANNOTATIONS or _node_is_active(annotation)
            ):
                return True
    outlines = _resolve(catalog.get("/Outlines"))
    return isinstance(outlines, dict) and _outline_is_active(outlines.get("/First"), budget)


def _node_is_active(node: dict[str, Any]) -> bool:
    return "/AA" in node or _action_is_active(node.get("/A"))


def _tree_is_active(nodes: Any, children: tuple[str, ...], budget: list[int]) -> bool:
    stack = list(_array(nodes))
    while stack:
        if _spend(budget):
            return False
        node = _resolve(stack.pop())
        if isinstance(node, dict):
            if _node_is_active(node):
                return True
            for key in children:
                stack.extend(_array(node.get(key)))
    return False


def _outline_is_active(first: Any, budget: list[int]) -> bool:
    stack = [first]
    seen: set[int] = set()
    while stack:
        if _spend(budget):
            return False
        node = _resolve(stack.pop())
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        if _node_is_active(node):
            return True
        stack.extend(item for item in (node.get("/Next"), node.get("/First")) if item is not None)
    return False


def _action_is_active(action: Any) -> bool:
    """An action (dictionary) or its /Next chain runs a script or a program. A destination
    (array) is harmless."""
    pending = [action]
    for _ in range(_MAX_ACTION_CHAIN):
        if not pending:
            return False
        item = _resolve(pending.pop())
        if isinstance(item, dict):
            if item.get("/S") in _ACTIVE_ACTIONS or "/JS" in item:
                return True
            following = _resolve(item.get("/Next"))
            pending.extend(following if isinstance(following, list) else [following])
    return bool(pending)  # a chain that long is not a real document's


def _resolve(value: Any) -> Any:
    return value.get_object() if hasattr(value, "get_object") else value


def _array(value: Any) -> list[Any]:
    value = _resolve(value)
    return list(value) if isinstance(value, list) else []


def _spend(budget: list[int]) -> bool:
    budget[0] -= 1
    return budget[0] < 0


def _raw_is_active(data: bytes) -> bool:
    """A scan of the bytes that does not trust the parser: long active names anywhere,
    escaped names, and every name inside Flate-compressed object streams."""
    if _RAW_NAMES.search(data):
        return True
    for match in _ESCAPED_NAME.finditer(data):
        if _HEX.sub(lambda m: bytes([int(m[1], 16)]), match[0][1:]) in _ACTIVE_NAMES:
            return True
    inflated_total = 0
    for match in _OBJSTM.finditer(data):
        start = data.find(b"stream", match.end(), match.end() + _OBJSTM_WINDOW)
        if start < 0:
            continue
        body = start + len(b"stream")
        body += 2 if data[body:body + 2] == b"\r\n" else 1
        inflater = zlib.decompressobj()
        try:
            text = inflater.decompress(data[body:], _OBJSTM_MAX_INFLATED - inflated_total)
        except zlib.error:
            continue  # not Flate (or damaged): the parser's view above is what we have
        inflated_total += len(text)
        if _OBJSTM_NAMES.search(text) or any(
            _HEX.sub(lambda m: bytes([int(m[1], 16)]), found[0][1:]) in _ACTIVE_NAMES
            for found in _ESCAPED_NAME.finditer(text)
        ):
            return True
        if inflated_total >= _OBJSTM_MAX_INFLATED:
            break
    return False


# --- storing ------------------------------------------------------------------------------


def allowed_kinds(question: Question) -> list[str]:
    """The kinds `question` accepts (known ones only; "jpg" means "jpeg"); PDF by default."""
    kinds = []
    for raw in question.file_types or []:
        kind = {"jpg": "jpeg"}.get(str(raw).lower(), str(raw).lower())
        if kind in KINDS and kind not in kinds:
            kinds.append(kind)
    return kinds or ["pdf"]


def size_limit(question: Question) -> int:
    """The question's limit in bytes, else config FILE_MAX_BYTES_DEFAULT (20 MiB)."""
    if question.max_file_bytes:
        return question.max_file_bytes
    return int(current_app.config.get("FILE_MAX_BYTES_DEFAULT", FILE_MAX_BYTES_DEFAULT))


def store_upload(dossier: Dossier, question: Question, *, filename: str,
                 data: bytes) -> Attachment:
    """Check `data` against the question, write it to disk and attach it to `dossier`.

    The file gets a random 32-hex name, mode 0600, and is fsynced before this returns; the row
    records the cleaned original name (with an extension matching the content), the MIME type
    of the sniffed kind (never the client's), the size and the SHA-256. A previous attachment
    of the dossier for the same question is deleted; its file goes when the transaction
    commits, and the new file goes if it rolls back. Flushes, never commits.
    Raises FileRejected (nothing written).
    """
    kind = check_upload(data, allowed=allowed_kinds(question), max_bytes=size_limit(question))
    session = object_session(dossier) or db.session()
    stored_name = secrets.token_hex(16)
    path = _write_file(_upload_folder(), stored_name, data)
    try:
        attachment = Attachment(
            question_id=question.id,
            original_name=with_extension(safe_filename(filename), kind),
            stored_name=stored_name,
            content_type=mime_type(kind),
            size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )
        previous = [a for a in dossier.attachments if a.question_id == question.id]
        for old in previous:
            dossier.attachments.remove(old)  # delete-orphan: the row goes at flush
        dossier.attachments.append(attachment)
        session.flush()
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    _track(session, path, keep_on_commit=True)
    for old in previous:
        _track_old(session, old)
    return attachment


def delete_attachment(attachment: Attachment) -> None:
    """Delete the row now (in the caller's transaction) and its file once that commits."""
    session = object_session(attachment) or db.session()
    _track_old(session, attachment)
    session.delete(attachment)


def path_of(attachment: Attachment) -> Path:
    """Where the attachment's bytes live. Raises UnsafeStoredName unless the stored name is
    exactly 32 lowercase hex characters (so a tampered row cannot point elsewhere)."""
    name = attachment.stored_name
    if not isinstance(name, str) or not _STORED_NAME.fullmatch(name):
        raise UnsafeStoredName(stored_name=str(name)[:64])
    return _upload_folder() / name


def read(attachment: Attachment) -> bytes:
    """The attachment's bytes. Raises UnsafeStoredName, or OSError if the file is missing."""
    return path_of(attachment).read_bytes()


_STORED_NAME = re.compile(r"[0-9a-f]{32}")


def _upload_folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def _write_file(folder: Path, name: str, data: bytes) -> Path:
    """Create `folder/name` (never overwriting), owner-only, and make it durable."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / name
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    _fsync_directory(folder)
    return path


def _fsync_directory(folder: Path) -> None:
    """Make the new directory entry durable too (POSIX; a no-op where unsupported)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


# --- files follow the transaction ---------------------------------------------------------

_PENDING_KEY = "trophies.files.pending"
_COMMITTED_KEY = "trophies.files.committed"


@dataclass(frozen=True)
class _Pending:
    path: Path
    #: True for a new file (kept if the transaction commits, removed otherwise); False for an
    #: old file (removed once the transaction commits, kept otherwise).
    keep_on_commit: bool
    transaction: SessionTransaction


def _track(session: Session, path: Path, *, keep_on_commit: bool) -> None:
    if not session.in_transaction():
        session.begin()
    transaction = session.get_nested_transaction() or session.get_transaction()
    assert transaction is not None
    session.info.setdefault(_PENDING_KEY, []).append(_Pending(path, keep_on_commit, transaction))


def _track_old(session: Session, attachment: Attachment) -> None:
    try:
        path = path_of(attachment)
    except UnsafeStoredName:
        return  # a name we would never open is not a file we would delete either
    _track(session, path, keep_on_commit=False)


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


def _unlink(paths: Iterable[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            current_app.logger.exception("could not remove %s", path.name)


def _after_soft_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    """A rollback (of the whole transaction or of a savepoint) undoes its files' fate: new
    files written inside it go, old files it meant to delete stay."""
    pending: list[_Pending] = session.info.get(_PENDING_KEY, [])
    undone = [p for p in pending if _within(p.transaction, previous_transaction)]
    if undone:
        session.info[_PENDING_KEY] = [p for p in pending if p not in undone]
        _unlink(p.path for p in undone if p.keep_on_commit)


def _after_commit(session: Session) -> None:
    session.info[_COMMITTED_KEY] = True


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    """At the end of the outermost transaction: after a commit old files go; otherwise
    (rollback, or a session closed without committing) new files go."""
    committed = session.info.pop(_COMMITTED_KEY, False)
    if transaction.parent is not None:
        return
    pending: list[_Pending] = session.info.pop(_PENDING_KEY, [])
    _unlink(p.path for p in pending if p.keep_on_commit is not committed)


for _name, _listener in (("after_soft_rollback", _after_soft_rollback),
                         ("after_commit", _after_commit),
                         ("after_transaction_end", _after_transaction_end)):
    if not event.contains(Session, _name, _listener):
        event.listen(Session, _name, _listener)


# --- an edition's rules as a PDF -----------------------------------------------------------

RULES_MAX_BYTES = 10 * 1024 * 1024


def store_rules_pdf(edition: Any, data: bytes) -> None:
    """Check (a clean PDF, 10 MB at most) and store the edition's rules PDF, replacing the
    previous one after commit. Raises FileRejected (nothing written). Flushes, never commits."""
    check_upload(data, allowed=["pdf"], max_bytes=RULES_MAX_BYTES)
    session = object_session(edition) or db.session()
    stored = secrets.token_hex(16)
    path = _write_file(_upload_folder(), stored, data)
    _track(session, path, keep_on_commit=True)  # removed again if the transaction rolls back
    old = rules_pdf_path(edition)
    edition.rules_pdf_stored = stored
    edition.rules_pdf_sha256 = hashlib.sha256(data).hexdigest()
    edition.rules_pdf_size = len(data)
    session.flush()
    if old is not None:
        _track(session, old, keep_on_commit=False)


def remove_rules_pdf(edition: Any) -> None:
    """Forget the rules PDF; its file goes once the transaction commits."""
    old = rules_pdf_path(edition)
    edition.rules_pdf_stored = edition.rules_pdf_sha256 = edition.rules_pdf_size = None
    session = object_session(edition) or db.session()
    session.flush()
    if old is not None:
        _track(session, old, keep_on_commit=False)


def rules_pdf_path(edition: Any) -> Path | None:
    name = edition.rules_pdf_stored
    if not name or not _STORED_NAME.fullmatch(name):
        return None
    return _upload_folder() / name
