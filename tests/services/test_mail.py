"""Services: the mail outbox: rendered in the recipient's language, written in the caller's
transaction, delivered over SMTP (a tiny loopback server here) with retries and backoff.
"""

from __future__ import annotations

import email
import email.policy
import socket
import socketserver
import threading
from datetime import timedelta

import pytest

from tests.factories import make_user
from tests.helpers import count, fr, messages
from trophies.domain.vocabulary import Language, MailStatus
from trophies.models import OutboxMessage, db, utcnow
from trophies.services import accounts, mail


class SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: greeting, EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        self.reply("220 test.local ESMTP ready")
        envelope: dict = {"from": None, "to": []}
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            command = raw.decode("ascii", "replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 test.local")
            elif verb == "MAIL":
                envelope = {"from": command.split(":", 1)[1].strip(), "to": []}
                self.reply("250 OK")
            elif verb == "RCPT":
                envelope["to"].append(command.split(":", 1)[1].strip())
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = b""
                while not data.endswith(b"\r\n.\r\n"):
                    chunk = self.rfile.readline()
                    if not chunk:
                        return
                    data += chunk
                body = data[: -len(b".\r\n")].replace(b"\r\n..", b"\r\n.")
                self.server.received.append({**envelope, "data": body})
                self.reply("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class SMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), SMTPHandler)
        self.received: list[dict] = []


@pytest.fixture
def smtp_server():
    server = SMTPServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def smtp_config(port: int, **extra):
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USE_TLS": False,
            "MAIL_USE_SSL": False, "MAIL_TIMEOUT": 5, **extra}


# --- rendering ------------------------------------------------------------------------------


def test_a_french_user_gets_the_subject_and_body_from_the_french_catalog(app):
    user = make_user("ada@example.org", language=Language.FR, full_name="Ada")
    message = mail.queue_for(user, "verify_email", link="http://trophies.test/account/verify/t")
    assert message.language == Language.FR
    assert message.subject == f"{fr('Confirm your e-mail address')} — Trophies"
    assert message.body_text.startswith(fr("Hello %(name)s,", name="Ada"))
    assert "http://trophies.test/account/verify/t" in message.body_text


def test_an_english_user_gets_english_text(app):
    user = make_user("grace@example.org", language=Language.EN, full_name="Grace")
    message = mail.queue_for(user, "verify_email", link="http://trophies.test/account/verify/t")
    assert message.language == Language.EN
    assert message.subject == "Confirm your e-mail address — Trophies"
    assert message.body_text.startswith("Hello Grace,")
    french = mail.queue_for(make_user(language=Language.FR), "verify_email", link="x")
    assert message.body_text.count("\n") == french.body_text.count("\n")


def test_the_subject_is_the_first_line_and_the_body_ends_with_one_newline(app):
    user = make_user(language=Language.EN)
    subject, body = mail.render_message("reset_password", "en", name="Ada", user=user,
                                        link="http://trophies.test/account/reset/t")
    assert subject == "Choose a new password — Trophies"
    assert "\n" not in subject
    assert body.startswith("Hello Ada,")
    assert body.endswith("\n") and not body.endswith("\n\n")


def test_absolute_links_use_the_configured_base_url(app):
    assert mail.absolute_url("auth.reset_password", token="abc") == (
        "http://trophies.test/account/reset/abc")


def test_absolute_links_keep_a_base_path(app_factory):
    app = app_factory(BASE_URL="https://example.org/concours")
    with app.app_context():
        assert mail.absolute_url("auth.login") == "https://example.org/concours/account/login"


# --- the outbox is transactional ------------------------------------------------------------


def test_a_message_queued_in_a_rolled_back_transaction_is_never_sent(app, app_factory,
                                                                     smtp_server):
    user = make_user("ada@example.org")
    db.session.commit()
    accounts.request_password_reset("ada@example.org")
    db.session.flush()
    assert count(OutboxMessage) == 1  # visible inside the transaction...
    db.session.rollback()
    assert count(OutboxMessage) == 0  # ...and gone with it

    sender = app_factory(**smtp_config(smtp_server.server_address[1]))
    with sender.app_context():
        report = mail.deliver_pending()
        db.session.commit()
    assert report == mail.DeliveryReport()
    assert smtp_server.received == []

    accounts.request_password_reset(user.email)
    db.session.commit()
    with sender.app_context():
        assert mail.deliver_pending().sent == 1
        db.session.commit()
    assert len(smtp_server.received) == 1


# --- delivery -------------------------------------------------------------------------------


def test_without_smtp_messages_are_logged_and_marked_logged(app, caplog):
    user = make_user("ada@example.org")
    mail.queue_for(user, "password_changed", reset_url="http://trophies.test/r")
    db.session.commit()
    with caplog.at_level("INFO", logger="trophies.mail"):
        report = mail.deliver_pending()
    db.session.commit()
    assert report == mail.DeliveryReport(logged=1)
    [message] = messages()
    assert message.status == MailStatus.LOGGED
    assert message.attempts == 1
    assert message.sent_at is not None
    assert "ada@example.org" in caplog.text
    assert mail.deliver_pending() == mail.DeliveryReport()  # nothing left to do


def test_messages_arrive_over_smtp_with_subject_recipient_and_language(app_factory,
                                                                       smtp_server):
    app = app_factory(**smtp_config(smtp_server.server_address[1],
                                    MAIL_SENDER="Trophées <no-reply@trophies.test>"))
    with app.app_context():
        french = make_user("ada@example.org", full_name="Ada Lovelace", language=Language.FR)
        english = make_user("grace@example.org", full_name="Grace Hopper", language=Language.EN)
        mail.queue_for(french, "verify_email", link="http://trophies.test/account/verify/a")
        mail.queue_for(english, "verify_email", link="http://trophies.test/account/verify/b")
        db.session.commit()
        report = mail.deliver_pending()
        db.session.commit()
        assert report == mail.DeliveryReport(sent=2)
        assert [m.status for m in messages()] == [MailStatus.SENT, MailStatus.SENT]
        assert all(m.sent_at is not None and m.last_error == "" for m in messages())

    received = {m["to"][0]: m for m in smtp_server.received}
    assert set(received) == {"<ada@example.org>", "<grace@example.org>"}
    parsed = {to: email.message_from_bytes(m["data"], policy=email.policy.default)
              for to, m in received.items()}
    ada, grace = parsed["<ada@example.org>"], parsed["<grace@example.org>"]
    assert ada["Subject"] == f"{fr('Confirm your e-mail address')} — Trophies"
    assert grace["Subject"] == "Confirm your e-mail address — Trophies"
    assert ada["To"] == "Ada Lovelace <ada@example.org>"
    assert ada["Content-Language"] == "fr"
    assert grace["Content-Language"] == "en"
    assert ada["From"] == "Trophées <no-reply@trophies.test>"
    assert ada["Auto-Submitted"] == "auto-generated"
    assert ada["Message-ID"].endswith("@trophies.test>")
    assert "http://trophies.test/account/verify/a" in ada.get_content()
    assert received["<ada@example.org>"]["from"] == "<no-reply@trophies.test>"


def test_an_unreachable_server_is_retried_with_exponential_backoff_then_fails(
        app_factory, closed_port):
    app = app_factory(**smtp_config(closed_port, MAIL_MAX_ATTEMPTS=4, MAIL_BACKOFF_SECONDS=60))
    with app.app_context():
        user = make_user("ada@example.org")
        mail.queue_for(user, "password_changed", reset_url="http://trophies.test/r")
        db.session.commit()
        [message] = messages()
        start = message.next_attempt_at

        now = start
        delays = []
        for attempt in range(1, 4):
            report = mail.deliver_pending(now=now)
            db.session.commit()
            assert report == mail.DeliveryReport(retried=1), attempt
            [message] = messages()
            assert message.status == MailStatus.PENDING
            assert message.attempts == attempt
            assert message.last_error
            delays.append(message.next_attempt_at - now)
            # Not due before its time: nothing happens.
            assert mail.deliver_pending(now=message.next_attempt_at - timedelta(seconds=1)) == (
                mail.DeliveryReport())
            now = message.next_attempt_at
        assert delays == [timedelta(seconds=60), timedelta(seconds=120), timedelta(seconds=240)]

        report = mail.deliver_pending(now=now)
        db.session.commit()
        assert report == mail.DeliveryReport(failed=1)
        [message] = messages()
        assert message.status == MailStatus.FAILED
        assert message.attempts == 4
        assert message.sent_at is None
        assert mail.deliver_pending(now=now + timedelta(days=30)) == mail.DeliveryReport()


def test_a_failed_server_then_a_working_one_delivers_the_retried_message(
        app, app_factory, closed_port, smtp_server):
    user = make_user("ada@example.org")
    mail.queue_for(user, "password_changed", reset_url="http://trophies.test/r")
    db.session.commit()
    broken = app_factory(**smtp_config(closed_port))
    with broken.app_context():
        assert mail.deliver_pending().retried == 1
        db.session.commit()
    working = app_factory(**smtp_config(smtp_server.server_address[1]))
    with working.app_context():
        assert mail.deliver_pending(now=utcnow() + timedelta(hours=1)).sent == 1
        db.session.commit()
    [message] = messages()
    assert message.status == MailStatus.SENT
    assert message.attempts == 2
    assert message.last_error == ""
    assert len(smtp_server.received) == 1


def test_the_send_mail_command_prints_its_counts(app, runner):
    user = make_user()
    for _ in range(3):
        mail.queue_for(user, "password_changed", reset_url="http://trophies.test/r")
    db.session.commit()
    result = runner.invoke(args=["trophies", "send-mail"])
    assert result.exit_code == 0, result.output
    assert "0 sent, 3 logged, 0 to retry, 0 failed" in result.output
    assert "no SMTP" in result.output
    assert [m.status for m in messages()] == [MailStatus.LOGGED] * 3
    again = runner.invoke(args=["trophies", "send-mail"])
    assert "0 sent, 0 logged, 0 to retry, 0 failed" in again.output


def test_the_send_mail_command_reports_smtp_deliveries(app_factory, smtp_server):
    app = app_factory(**smtp_config(smtp_server.server_address[1]))
    with app.app_context():
        mail.queue_for(make_user(), "password_changed", reset_url="http://trophies.test/r")
        db.session.commit()
        result = app.test_cli_runner().invoke(args=["trophies", "send-mail", "--limit", "10"])
    assert result.exit_code == 0, result.output
    assert "1 sent, 0 logged, 0 to retry, 0 failed (SMTP)" in result.output
    assert len(smtp_server.received) == 1


def test_the_send_mail_limit_caps_one_run(app, runner):
    user = make_user()
    for _ in range(3):
        mail.queue_for(user, "password_changed", reset_url="http://trophies.test/r")
    db.session.commit()
    result = runner.invoke(args=["trophies", "send-mail", "--limit", "2"])
    assert "2 logged" in result.output
    assert [m.status for m in messages()].count(MailStatus.PENDING) == 1
