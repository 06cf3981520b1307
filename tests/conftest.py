"""Fixtures shared across test files."""

import pytest


@pytest.fixture
def private_planning_cache(tmp_path, monkeypatch):
    """A private transport cache directory and empty planner caches, restored afterwards."""
    from photodose.dosimetry.tissue import clear_cache

    monkeypatch.setenv("PHOTODOSE_CACHE_DIR", str(tmp_path / "cache"))
    clear_cache()
    yield
    clear_cache()


@pytest.fixture()
def users(tmp_path, monkeypatch):
    """Two web users, alice and bob, with their passwords, in a private PHOTODOSE_HOME."""
    from photodose.web import auth

    monkeypatch.setenv("PHOTODOSE_HOME", str(tmp_path))
    auth.set_password("alice", "alice-secret-1")
    auth.set_password("bob", "bob-secret-22")
    return tmp_path


@pytest.fixture()
def login_app(users, tmp_path, monkeypatch, journal_url):  # SQLite, or both backends with @both_backends
    """The web app with logins required, on the test's journal."""
    from test_web_fixtures import make_app

    return make_app(tmp_path, monkeypatch, db=journal_url, require_login=True, secret_key="test-secret")


POSTGRES_URL_ENV = "PHOTODOSE_TEST_POSTGRES_URL"
# Journal backends: a test that holds on both takes ``@both_backends`` (and the ``journal``, ``journal_url`` or
# ``new_journal_url`` fixture); every other test stays on SQLite. The PostgreSQL variant needs a server whose URL is
# in PHOTODOSE_TEST_POSTGRES_URL (.ci/run starts one) and is skipped, with the reason, without it.
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
both_backends = pytest.mark.parametrize("journal_backend", BACKENDS, indirect=True)


@pytest.fixture(scope="session")
def postgres_admin():
    """An AUTOCOMMIT engine on the test server's database (for CREATE/DROP SCHEMA); skips without a server."""
    import os

    from sqlalchemy import create_engine, make_url, text
    from sqlalchemy.pool import NullPool

    url = os.environ.get(POSTGRES_URL_ENV)
    if not url:
        pytest.skip(f"no PostgreSQL server: set {POSTGRES_URL_ENV}=postgresql+psycopg://USER@HOST/DB "
                    "(.ci/run starts one)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip('no PostgreSQL driver: pip install "photodose[postgres]"')
    engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with engine.connect() as c:
            c.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure to connect is a skip with its reason
        shown = make_url(url).render_as_string(hide_password=True)
        pytest.skip(f"PostgreSQL at {shown} unreachable: {' '.join(str(exc).split())[:200]}")
    yield engine
    engine.dispose()


@pytest.fixture
def journal_backend(request) -> str:
    """``sqlite`` unless the test is parametrised with ``@both_backends``."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def new_journal_url(journal_backend, tmp_path, request):
    """Make URLs of new, empty journal databases on the test's backend: ``new_journal_url("other")``.
    SQLite: a file ``NAME.sqlite`` in tmp_path (its plain path). PostgreSQL: a fresh schema in the test server's
    database, the URL's ``search_path`` (a schema costs milliseconds, a database a checkpoint), dropped afterwards."""
    if journal_backend == "sqlite":
        yield lambda name="journal": str(tmp_path / f"{name}.sqlite")
        return
    import uuid

    admin = request.getfixturevalue("postgres_admin")
    created: list[str] = []

    def make(name: str = "journal") -> str:
        schema = f"photodose_test_{name}_{uuid.uuid4().hex[:10]}".lower()
        with admin.connect() as c:
            c.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        created.append(schema)
        options = f"{admin.url.query.get('options', '')} -csearch_path={schema}".strip()
        return admin.url.update_query_dict({"options": options}).render_as_string(hide_password=False)

    yield make
    with admin.connect() as c:
        for schema in created:
            c.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def journal_url(new_journal_url) -> str:
    """The URL (SQLite: the file path tmp_path/journal.sqlite) of a new, empty journal database."""
    return new_journal_url()


@pytest.fixture
def journal(journal_url):
    """A journal on the test's backend (SQLite: a real file, tmp_path/journal.sqlite), closed afterwards."""
    from photodose.journal import open_journal

    j = open_journal(journal_url)
    yield j
    j.close()


@pytest.fixture(scope="module")
def dask_cluster_client():
    """A real dask.distributed LocalCluster with two single-threaded worker processes (closed after the module)."""
    from photodose.scale.cluster import dask_client

    with dask_client(n_workers=2) as client:
        client.wait_for_workers(2, timeout=60)
        yield client
