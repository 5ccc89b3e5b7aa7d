"""The four headline questions: yes / no / partly, with the panel's reasons."""

from __future__ import annotations

from shiboken6 import isValid
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import HeadlineAnswer
from app.services import sections
from app.services.dto import HeadlineData
from app.ui.context import ReviewContext
from app.ui.jargon_hint import JargonHint

NHS_BLUE = "#005EB8"
ANSWERS = (HeadlineAnswer.YES, HeadlineAnswer.NO, HeadlineAnswer.PARTLY)


class HeadlineQuestionBox(QFrame):
    """One question: its text, the answer buttons, 'Not answered yet', and the reasons."""

    def __init__(self, page: HeadlinePage, question_id: str, number: int, text: str) -> None:
        super().__init__(page)
        self.page = page
        self.question_id = question_id
        self.setObjectName(f"headline_{question_id}")
        self.setProperty("headlineQuestion", True)
        self.setFrameShape(QFrame.Shape.StyledPanel)

        self.question = QLabel(f"{number}. {text}", self)
        self.question.setObjectName("headlineQuestionText")
        self.question.setWordWrap(True)
        self.question.setStyleSheet(f"font-size: 12pt; font-weight: 600; color: {NHS_BLUE};")

        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[HeadlineAnswer, QRadioButton] = {}
        labels = {
            HeadlineAnswer.YES: self.tr("Yes"),
            HeadlineAnswer.NO: self.tr("No"),
            HeadlineAnswer.PARTLY: self.tr("Partly"),
        }
        answer_row = QHBoxLayout()
        answer_row.setSpacing(18)
        for answer in ANSWERS:
            button = QRadioButton(labels[answer], self)
            button.setObjectName(f"answer_{answer.value}")
            button.setAccessibleName(self.tr("{answer} — question {n}").format(answer=labels[answer], n=number))
            button.setAccessibleDescription(text)
            self.group.addButton(button)
            self.buttons[answer] = button
            answer_row.addWidget(button)
        self.group.buttonClicked.connect(self._clicked)
        self.unanswered = QLabel(self.tr("Not answered yet"), self)
        self.unanswered.setObjectName("notAnswered")
        self.unanswered.setStyleSheet("color: #8a4b00; font-style: italic;")
        answer_row.addSpacing(12)
        answer_row.addWidget(self.unanswered)
        answer_row.addStretch(1)

        reasons_label = QLabel(self.tr("Reasons"), self)
        self.reasons = QPlainTextEdit(self)
        self.reasons.setObjectName("headlineReasons")
        self.reasons.setTabChangesFocus(True)
        self.reasons.setPlaceholderText(self.tr("Why the panel answered this way: what was seen, read or heard"))
        self.reasons.setAccessibleName(self.tr("Reasons for question {n}").format(n=number))
        self.reasons.setMinimumHeight(64)
        self.reasons.setMaximumHeight(110)
        reasons_label.setBuddy(self.reasons)
        self.reasons.textChanged.connect(self._typed)
        # The easy read shows the reasons to the person as written.
        self.jargon = JargonHint("headlineReasonsJargon", self.tr("Jargon in the reasons for question {n}")
                                 .format(n=number), self)
        self.reasons.textChanged.connect(lambda: self.jargon.check(self.reasons.toPlainText()))
        self.reasons.installEventFilter(self)  # leaving the reasons stores them at once

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(6)
        layout.addWidget(self.question)
        layout.addLayout(answer_row)
        layout.addWidget(reasons_label)
        layout.addWidget(self.reasons)
        layout.addWidget(self.jargon)
        self._loading = False
        self._dirty = False

    def answer(self) -> HeadlineAnswer:
        for answer, button in self.buttons.items():
            if button.isChecked():
                return answer
        return HeadlineAnswer.UNANSWERED

    def show_data(self, data: HeadlineData) -> None:
        self._loading = True
        try:
            if data.answer in self.buttons:
                self.buttons[data.answer].setChecked(True)
            else:
                # Unanswered: clear the group (an exclusive group will not uncheck by itself).
                self.group.setExclusive(False)
                for button in self.buttons.values():
                    button.setChecked(False)
                self.group.setExclusive(True)
            self.unanswered.setVisible(data.answer is HeadlineAnswer.UNANSWERED)
            # Never overwrite reasons the user is still typing.
            if not self._dirty and self.reasons.toPlainText() != data.reasons:
                self.reasons.setPlainText(data.reasons)
        finally:
            self._loading = False

    def _clicked(self, button: QRadioButton) -> None:
        for answer, candidate in self.buttons.items():
            if candidate is button:
                self.page.set_answer(self.question_id, answer)
                return

    def _typed(self) -> None:
        if self._loading:
            return
        self._dirty = True
        self.page.schedule_reasons(self.question_id, self.reasons.toPlainText())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.reasons and event.type() == QEvent.Type.FocusOut and self._dirty:
            self.page.ctx.flush()
        return super().eventFilter(watched, event)

    def mark_saved(self, text: str) -> None:
        if self.reasons.toPlainText() == text:
            self._dirty = False


class HeadlinePage(QWidget):
    """Answered for every review; shown on the report's first page."""

    def __init__(self, ctx: ReviewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("headlinePage")
        self.ctx = ctx

        heading = QLabel(self.tr("Headline questions"), self)
        heading.setObjectName("headlineHeading")
        heading.setStyleSheet(f"#headlineHeading {{ font-size: 14pt; font-weight: 600; color: {NHS_BLUE}; }}")
        intro = QLabel(
            self.tr("The panel answers these for every review. They open the report, so give the reasons in plain words."),
            self,
        )
        intro.setObjectName("headlineIntro")
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #4c6272;")
        self.progress = QLabel(self)
        self.progress.setObjectName("headlineProgress")
        self.concerns = QLabel(self)
        self.concerns.setObjectName("headlineConcerns")
        self.concerns.setWordWrap(True)

        self.boxes: dict[str, HeadlineQuestionBox] = {}
        body = QWidget(self)
        body.setObjectName("headlineBody")
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 6, 0)
        body_layout.setSpacing(10)
        for question in ctx.template.headline_questions:
            box = HeadlineQuestionBox(self, question.id, question.number, question.text)
            self.boxes[question.id] = box
            body_layout.addWidget(box)
        if not self.boxes:
            empty = QLabel(self.tr("This review type has no headline questions."), body)
            body_layout.addWidget(empty)
        body_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setObjectName("headlineScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        top = QHBoxLayout()
        top.addWidget(heading, 1)
        top.addWidget(self.progress)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(intro)
        layout.addWidget(self.concerns)
        layout.addWidget(scroll, 1)

        ctx.changed.connect(self._on_changed)
        self.refresh()

    # Public -----------------------------------------------------------------------------

    def refresh(self) -> None:
        answers = {h.question_id: h for h in sections.list_headlines(self.ctx.store, self.ctx.review_id)}
        for question_id, box in self.boxes.items():
            box.show_data(answers.get(question_id, HeadlineData(question_id, HeadlineAnswer.UNANSWERED, "")))
        answered = sum(1 for qid in self.boxes if qid in answers and answers[qid].answer is not HeadlineAnswer.UNANSWERED)
        self.progress.setText(self.tr("{n} of {total} answered").format(n=answered, total=len(self.boxes)))
        self._refresh_concerns()

    def box(self, question_id: str) -> HeadlineQuestionBox:
        return self.boxes[question_id]

    # Called by the question boxes -------------------------------------------------------

    def set_answer(self, question_id: str, answer: HeadlineAnswer) -> None:
        result = self.ctx.call(
            sections.set_headline,
            self.ctx.store,
            self.ctx.review_id,
            question_id,
            self.ctx.actor,
            answer=answer,
            changed="headline",
        )
        if result is None:
            self.refresh()  # refused: show what is really stored

    def schedule_reasons(self, question_id: str, text: str) -> None:
        ctx = self.ctx
        actor = ctx.actor

        def write() -> None:
            sections.set_headline(ctx.store, ctx.review_id, question_id, actor, reasons=text)
            # The text is stored even when the page has gone since (a review closed mid-pause).
            box = self.boxes.get(question_id)
            if box is not None and isValid(box) and isValid(box.reasons):
                box.mark_saved(text)

        ctx.autosaver.schedule(f"headline:{question_id}", write)

    # Internals --------------------------------------------------------------------------

    def _refresh_concerns(self) -> None:
        states = sections.list_section_states(self.ctx.store, self.ctx.review_id)
        concerns = sum(s.concerns for s in states)
        flagged = sum(s.safeguarding for s in states)
        if not concerns:
            self.concerns.setText(self.tr("No concerns recorded in the sections yet."))
            return
        if concerns == 1:
            text = self.tr("1 concern recorded in the sections")
        else:
            text = self.tr("{n} concerns recorded in the sections").format(n=concerns)
        if flagged:
            text += self.tr(", {n} flagged for safeguarding").format(n=flagged)
        self.concerns.setText(text + ".")

    def _on_changed(self, kind: str) -> None:
        if kind in ("headline", "entries", "setup"):
            self.refresh()
