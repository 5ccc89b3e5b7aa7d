from __future__ import annotations

from datetime import date, datetime

import pytest

from app.report.document import build_report
from app.services.demo import seed_demo
from app.services.store import Store


@pytest.fixture(scope="session")
def demo_doc(tmp_path_factory):
    """The normal demo review's report, built once (a ReportDocument is immutable)."""
    store = Store.open(tmp_path_factory.mktemp("demo") / "reviewday.sqlite3",
                       clock=lambda: datetime(2026, 11, 20, 9, 30))
    try:
        return build_report(store, seed_demo(store, review_date=date(2026, 11, 20)))
    finally:
        store.close()
