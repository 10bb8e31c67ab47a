"""Browser tests: the demo served by a live server, driven by the system's headless Chromium.

One server, one demo database and one browser per session; a fresh browser context (cookies,
storage) per test. Every request a page makes is recorded: a request to any host but the live
server fails the test (security.md: "no request to any other host"), and so does an uncaught
script error or a Content-Security-Policy violation reported in the console. The server runs
under pytest's `filterwarnings = error`: a warning raised while serving a page becomes a 500.
Without /usr/bin/chromium the tests are skipped, unless TROPHIES_REQUIRE_BROWSER=1 (set by
.ci/run) turns that into a failure.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from tests.conftest import throwaway_pg_database

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DEMO_SEED = 2026
DESKTOP = {"width": 1280, "height": 900}

# Same values as tests/conftest.py's TEST_CONFIG, except that CSRF is real in the browser.
BROWSER_CONFIG: dict[str, Any] = {
    "ENVIRONMENT": "testing",
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
    "WTF_CSRF_ENABLED": True,
    "RATELIMIT_ENABLED": False,
    "ARGON2_MEMORY_KIB": 1024,
    "ARGON2_TIME_COST": 1,
    "BASE_URL": "http://trophies.test",
    "MAIL_SERVER": None,
}


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright; Playwright never downloads a browser here."""
    problem = None
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        problem = f"{CHROMIUM} is missing: install Debian's chromium package to run browser tests"
    else:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as error:  # pragma: no cover - the test extra installs it
            problem = f"playwright is not installed ({error}): pip install -e '.[test]'"
    if problem:
        if os.environ.get("TROPHIES_REQUIRE_BROWSER") == "1":
            pytest.fail(f"TROPHIES_REQUIRE_BROWSER=1 but {problem}", pytrace=False)
        pytest.skip(problem)
    manager = sync_playwright().start()
    try:
        browser = manager.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    finally:
        manager.stop()


# --------------------------------------------------------------------------- live server


@dataclass
class LiveSite:
    url: str
    app: Any
    accounts: dict[str, tuple[str, str]]
    open_edition_slug: str
    organized_slugs: dict[str, list[str]] = field(default_factory=dict)

    @property
    def netloc(self) -> str:
        return urlsplit(self.url).netloc

    def close_call(self) -> None:
        """Put the open edition's deadline in the past (the server enforces it)."""
        self._set_deadline(timedelta(minutes=-1))

    def reopen_call(self) -> None:
        self._set_deadline(timedelta(days=60))

    def _set_deadline(self, from_now: timedelta) -> None:
        from trophies.models import Edition, db, utcnow

        with self.app.app_context():
            edition = db.session.scalar(select(Edition).where(
                Edition.slug == self.open_edition_slug))
            edition.call_closes_at = utcnow() + from_now
            db.session.commit()
            db.session.remove()

    def set_language(self, role: str, language: str) -> None:
        """Put a demo account's language back (the header switch saves it on the account)."""
        from trophies.domain.vocabulary import Language
        from trophies.models import User, db

        with self.app.app_context():
            user = db.session.scalar(select(User).where(User.email == self.accounts[role][0]))
            user.language = Language(language)
            db.session.commit()
            db.session.remove()


@pytest.fixture(scope="session")
def browser_database(pg_database, tmp_path_factory) -> Iterator[str]:
    """The live server's database: a SQLite file, or on PostgreSQL a database of its own.

    On PostgreSQL the run's shared `pg_database` is only emptied after each test by
    tests/conftest.py; the demo would still be there when the next test starts, so the
    browser suite takes a sibling throwaway database on the same server, created and dropped
    the same way as `pg_database`.
    """
    if not pg_database:
        yield f"sqlite:///{tmp_path_factory.mktemp('browser-db') / 'browser.sqlite3'}"
        return
    with throwaway_pg_database(pg_database, "trophies_browser") as url:
        yield url


def _read_and_close(file: Any, buffer_size: int = 8192) -> list[bytes]:
    with file:
        return [file.read()]


def _files_read_eagerly(app: Any) -> Callable[..., Any]:
    """Serve files (static assets) from memory, their handles closed before the response.

    Werkzeug's development server skips closing the response when the browser resets the
    connection (a context closed while the favicon loads): the open file then surfaces as a
    ResourceWarning, an error under `filterwarnings = error`, in whichever test runs next.
    """

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        environ["wsgi.file_wrapper"] = _read_and_close
        return app(environ, start_response)

    return wsgi


@pytest.fixture(scope="session")
def live_site(browser_database, tmp_path_factory) -> Iterator[LiveSite]:
    """The app with the demo (seed 2026) on 127.0.0.1, a free port, a threaded server."""
    from trophies import create_app
    from trophies.domain.vocabulary import Phase, Role
    from trophies.models import Edition, Membership, User, db
    from trophies.services.demo import DEMO_ACCOUNTS, build_demo

    instance = tmp_path_factory.mktemp("browser-instance")
    app = create_app(
        {**BROWSER_CONFIG, "SQLALCHEMY_DATABASE_URI": browser_database}, instance_path=str(instance)
    )
    with app.app_context():
        db.create_all()
        build_demo(seed=DEMO_SEED)
        db.session.commit()
        open_slug = db.session.scalar(
            select(Edition.slug).where(Edition.phase == Phase.OPEN).order_by(Edition.slug)
        )
        assert open_slug, "the demo has no edition open for applications"
        organized = {
            role: list(
                db.session.scalars(
                    select(Edition.slug)
                    .join(Membership, Membership.edition_id == Edition.id)
                    .join(User, User.id == Membership.user_id)
                    .where(User.email == email.lower(), Membership.role == Role.ORGANIZER)
                    .order_by(Edition.slug)
                )
            )
            for role, (email, _password) in DEMO_ACCOUNTS.items()
        }
        db.session.remove()

    # Access lines drown the failure report; errors (tracebacks of 500s) are still logged.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, _files_read_eagerly(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="trophies-live-server", daemon=True)
    thread.start()
    try:
        yield LiveSite(
            url=f"http://127.0.0.1:{server.server_port}",
            app=app,
            accounts=dict(DEMO_ACCOUNTS),
            open_edition_slug=open_slug,
            organized_slugs=organized,
        )
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


# --------------------------------------------------------------------------- per test


@dataclass
class PageWatch:
    """What the pages of one browser context did that a test must not let pass."""

    app_netloc: str
    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return True
        return parts.scheme in ("http", "https") and parts.netloc == self.app_netloc

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not self.is_local(url)]

    def report(self) -> str | None:
        lines = [f"request to another host: {url}" for url in self.foreign_requests()]
        lines += self.problems
        return "\n".join(lines) or None


WATCH_KEY = pytest.StashKey[PageWatch]()


def _watch(context: Any, watch: PageWatch) -> None:
    context.on("request", lambda request: watch.requests.append(request.url))
    # Foreign requests are recorded above and never leave the machine.
    context.route(lambda url: not watch.is_local(url), lambda route: route.abort())

    def on_page(page: Any) -> None:
        page.on(
            "pageerror", lambda error: watch.problems.append(f"{page.url}: script error {error}")
        )
        page.on(
            "console",
            lambda message: (
                watch.problems.append(f"{page.url}: console {message.type}: {message.text}")
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )

    context.on("page", on_page)


@pytest.fixture
def page_watch(live_site, request) -> PageWatch:
    """What this test's browser contexts requested and reported; checked after the test."""
    watch = PageWatch(app_netloc=live_site.netloc)
    request.node.stash[WATCH_KEY] = watch
    return watch


@pytest.fixture
def new_context(chromium, live_site, page_watch) -> Iterator[Callable[..., Any]]:
    """`new_context(**options)` opens a browser context (French, desktop size by default)."""
    opened = []

    def open_context(**options: Any) -> Any:
        options = {
            "base_url": live_site.url,
            "locale": "fr-FR",
            "viewport": DESKTOP,
            "timezone_id": "Europe/Paris",
            "service_workers": "block",
            **options,
        }
        context = chromium.new_context(**options)
        context.set_default_timeout(10_000)
        _watch(context, page_watch)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()


@pytest.fixture
def context(new_context) -> Any:
    return new_context()


@pytest.fixture
def page(context) -> Any:
    return context.new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """After the test body: fail it if one of its pages reached another host or broke."""
    result = yield
    watch = item.stash.get(WATCH_KEY, None)
    if watch is not None and (report := watch.report()):
        pytest.fail(f"the browser did something it must not:\n{report}", pytrace=False)
    return result


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe.min.js wrapped in a function for page.evaluate (the bundle sets `window.axe`).

    The app's CSP (script-src 'self') blocks the inline <script> that page.add_script_tag
    would insert; page.evaluate runs outside the CSP, so no context needs bypass_csp and
    the CSP stays enforced for everything the app itself loads.
    """
    return "() => {\n" + AXE_JS.read_text(encoding="utf-8") + "\n;return window.axe.version;}"


def format_violations(where: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} axe-core violation(s) on {where}:"]
    for violation in violations:
        targets = [
            " ".join(t) if isinstance(t, list) else str(t)
            for node in violation["nodes"][:3]
            for t in node["target"][:1]
        ]
        more = len(violation["nodes"]) - 3
        lines.append(f"- {violation['id']} [{violation['impact']}] {violation['help']}")
        lines.append(
            f"    targets: {', '.join(targets)}" + (f" (+{more} more)" if more > 0 else "")
        )
        summary = violation["nodes"][0].get("failureSummary", "").replace("\n", " ")
        if summary:
            lines.append(f"    first: {summary[:300]}")
    return "\n".join(lines)


@pytest.fixture
def axe_violations(axe_source) -> Callable[[Any], list[dict[str, Any]]]:
    """`axe_violations(page)`: axe-core's WCAG 2.0/2.1 A and AA violations on the page as is."""

    def run(page: Any) -> list[dict[str, Any]]:
        if not page.evaluate("() => !!window.axe"):
            page.evaluate(axe_source)
        results = page.evaluate(
            "async (tags) => { const r = await axe.run(document, "
            "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}); "
            "return JSON.stringify(r.violations); }",
            AXE_TAGS,
        )
        return json.loads(results)

    return run


@pytest.fixture
def axe_failure(axe_violations) -> Callable[..., str | None]:
    """`axe_failure(page, label)`: None, or the message listing the page's violations."""

    def describe(page: Any, label: str = "") -> str | None:
        violations = axe_violations(page)
        if not violations:
            return None
        where = urlsplit(page.url).path + (f" ({label})" if label else "")
        return format_violations(where, violations)

    return describe


@pytest.fixture
def check_a11y(axe_failure) -> Callable[..., None]:
    """`check_a11y(page, label)` asserts that axe-core finds no violation on the page."""

    def check(page: Any, label: str = "") -> None:
        if failure := axe_failure(page, label):
            pytest.fail(failure, pytrace=False)

    return check


@pytest.fixture
def log_in(live_site) -> Callable[[Any, str], Any]:
    """`log_in(page, role)` logs a demo account in through the real form (real CSRF)."""

    def login(page: Any, role: str) -> Any:
        from playwright.sync_api import expect

        email, password = live_site.accounts[role]
        page.goto("/account/login")
        form = page.locator("main form[method='post']")
        form.locator("input[name='email']").fill(email)
        form.locator("input[name='password']").fill(password)
        form.locator("button[type='submit']").click()
        page.wait_for_url("**/dashboard")
        expect(page.locator("h1")).to_be_visible()
        return page

    return login
