"""The banner a locked review shows above every page: signed when and by whom, and how to change it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from app.services import signoff
from app.services.errors import ReviewDayError
from app.ui.context import ReviewContext
from app.ui.signoff_panel_model import signed_on

NHS_BLUE = "#005EB8"


class LockBanner(QFrame):
    """'Signed on … by …. To change anything, start an amendment.' Hidden while unlocked."""

    open_signoff = Signal()

    def __init__(self, ctx: ReviewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockBanner")
        self.ctx = ctx
        self._on_signoff_page = False
        self.setStyleSheet(
            f"#lockBanner {{ background: #eef4fa; border: 1px solid {NHS_BLUE}; border-radius: 4px; }}"
        )
        self.label = QLabel(self)
        self.label.setObjectName("lockBannerText")
        self.label.setWordWrap(True)
        self.label.setAccessibleName(self.tr("This review is signed and locked"))
        self.button = QPushButton(self.tr("Go to sign-off"), self)
        self.button.setObjectName("lockBannerButton")
        self.button.setAccessibleName(self.tr("Go to the sign-off page"))
        self.button.setAutoDefault(False)
        self.button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.button.clicked.connect(self.open_signoff)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        icon = QLabel(self.tr("Locked"), self)
        icon.setObjectName("lockBannerTag")
        icon.setStyleSheet(
            f"#lockBannerTag {{ background: {NHS_BLUE}; color: white; font-weight: 600; border-radius: 3px; padding: 1px 6px; }}"
        )
        layout.addWidget(icon)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        ctx.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, _kind: str) -> None:
        self.refresh()

    def text(self) -> str:
        return self.label.text() if not self.isHidden() else ""

    def set_on_signoff_page(self, on_it: bool) -> None:
        """The sign-off page says the same in its own status card; no need to say it twice."""
        self._on_signoff_page = on_it
        self.refresh()

    def refresh(self) -> None:
        review = self.ctx.review
        if not review.locked or self._on_signoff_page:
            self.hide()
            return
        signer = None
        try:
            revisions = signoff.list_revisions(self.ctx.store, self.ctx.review_id)
        except ReviewDayError:
            revisions = []
        if revisions:
            signer = next((s for s in revisions[-1].signoffs if s.kind == "sign"), None)
        if signer is not None:
            text = self.tr("Signed on {when} by {name}. To change anything, start an amendment.").format(
                when=signed_on(signer.at), name=signer.name)
        else:
            text = self.tr("Signed on {when}. To change anything, start an amendment.").format(when=signed_on(review.locked_at))
        self.label.setText(text)
        self.show()
